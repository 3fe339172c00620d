package dev.thing.protocol.codec;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;

/**
 * What the decoder hands up: a text line, a chunk body, or a framing error.
 *
 * <p>The decoder frames bytes but does not parse lines into messages: what a line means depends on the
 * connection's state (before joining, any line but HELP, LOBBIES and QUIT is a {@code <lobby> <username>} line),
 * and that state belongs to the handler, which sees lines in order while the decoder may already have cut the
 * next few out of the same packet. The handler parses each {@link Line} with
 * {@link dev.thing.protocol.MessageParser} in the state it is in when the line's turn comes.
 */
public sealed interface Frame permits Frame.Line, Frame.ChunkBody, Frame.ChunkBodies, Frame.Malformed {

    /** One line of text, already checked to be valid UTF-8, without its CR LF. */
    record Line(String text) implements Frame {
    }

    /** The raw bytes that followed a {@code CHUNK <n>} line. */
    record ChunkBody(Message.Chunk chunk) implements Frame {
    }

    /**
     * Consecutive chunk bodies cut from one read, in order, handed on together (a decoder made with {@code
     * batchChunks}): an upload's chunks then cost one hand-off per read instead of one per chunk. It means exactly
     * what the same chunks as {@link ChunkBody} frames one after another would.
     */
    record ChunkBodies(java.util.List<Message.Chunk> chunks) implements Frame {
        public ChunkBodies {
            chunks = java.util.List.copyOf(chunks);
        }
    }

    /**
     * Bytes that could not be framed: a line over the limit (discarded whole), bytes that are not UTF-8, a bad
     * chunk header, or a chunk over 1000 bytes (its bytes read and thrown away so the stream stays in step).
     * {@code inChunk} is true when the error concerns a chunk, so that a transfer under way can fail on it.
     * {@code head} holds the first few bytes of a discarded line (ASCII), so that a SEND too long to read can
     * still be recognised; it is empty otherwise.
     */
    record Malformed(ErrorCode code, String text, boolean inChunk, String head) implements Frame {
        public Malformed(ErrorCode code, String text, boolean inChunk) {
            this(code, text, inChunk, "");
        }
    }
}
