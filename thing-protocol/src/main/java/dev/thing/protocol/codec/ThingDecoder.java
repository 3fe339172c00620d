package dev.thing.protocol.codec;

import dev.thing.protocol.Message;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.CumulativeProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;

/**
 * Cuts the byte stream into {@link Frame}s. Two modes, kept per session: LINE (read up to LF) and CHUNK (read
 * exactly the n bytes a {@code CHUNK <n>} line announced, never one more, so that a command right behind them is a
 * line again). What a line or a chunk header means, and the error each problem becomes, are {@link FrameRules}; this
 * class only finds where lines end in a byte stream. Nothing here throws on bad input: every problem becomes a {@link Frame.Malformed} and decoding goes
 * on with the next byte, because an exception would make MINA drop the rest of the buffer.
 */
public final class ThingDecoder extends CumulativeProtocolDecoder {
    static final int MAX_SKIPPABLE_CHUNK = FrameRules.MAX_SKIPPABLE_CHUNK;

    private static final AttributeKey STATE = new AttributeKey(ThingDecoder.class, "state");

    private final int maxLineBytes;
    private final boolean batchChunks;

    public ThingDecoder(int maxLineBytes) {
        this(maxLineBytes, false);
    }

    /**
     * With {@code batchChunks}, chunk bodies that follow each other in one read are handed on as one
     * {@link Frame.ChunkBodies} (two or more) instead of one {@link Frame.ChunkBody} each.
     */
    public ThingDecoder(int maxLineBytes, boolean batchChunks) {
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("line limit must be at least 16 bytes");
        }
        this.maxLineBytes = maxLineBytes;
        this.batchChunks = batchChunks;
    }

    @Override
    public void decode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) throws Exception {
        if (!batchChunks) {
            super.decode(session, in, out);
            return;
        }
        ChunkBatcher batcher = new ChunkBatcher(out);
        super.decode(session, in, batcher);
        batcher.end();
    }

    /** Gathers runs of chunk bodies; any other frame ends a run and follows it, so that the order stays. */
    private static final class ChunkBatcher implements ProtocolDecoderOutput {
        private final ProtocolDecoderOutput out;
        private final java.util.List<Message.Chunk> run = new java.util.ArrayList<>();

        ChunkBatcher(ProtocolDecoderOutput out) {
            this.out = out;
        }

        @Override
        public void write(Object message) {
            if (message instanceof Frame.ChunkBody body) {
                run.add(body.chunk());
                return;
            }
            end();
            out.write(message);
        }

        void end() {
            if (run.size() == 1) {
                out.write(new Frame.ChunkBody(run.get(0)));
            } else if (run.size() > 1) {
                out.write(new Frame.ChunkBodies(run));
            }
            run.clear();
        }

        @Override
        public void flush(org.apache.mina.core.filterchain.IoFilter.NextFilter nextFilter, IoSession session) {
            end();
            out.flush(nextFilter, session);
        }
    }

    /** Per-session framing state. */
    private static final class State {
        /** Bytes of a chunk body still to read (CHUNK mode) when > 0. */
        int chunkRemaining;
        /** Bytes of an oversized chunk still to throw away. */
        int skipRemaining;
        int skippedChunkSize;
        /** True while throwing away the rest of a line that passed the limit. */
        boolean discardingLine;
        /** The first bytes of the line being discarded, as ASCII. */
        String discardedHead = "";
        /** How far the search for LF has already looked, relative to the buffer position. */
        int scanned;
        final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private State state(IoSession session) {
        State state = (State) session.getAttribute(STATE);
        if (state == null) {
            state = new State();
            session.setAttribute(STATE, state);
        }
        return state;
    }

    @Override
    protected boolean doDecode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) {
        State st = state(session);

        if (st.skipRemaining > 0) {
            int skip = Math.min(st.skipRemaining, in.remaining());
            in.skip(skip);
            st.skipRemaining -= skip;
            if (st.skipRemaining > 0) {
                return false;
            }
            out.write(FrameRules.oversized(st.skippedChunkSize));
            return true;
        }

        if (st.chunkRemaining > 0) {
            if (in.remaining() < st.chunkRemaining) {
                return false;
            }
            byte[] data = new byte[st.chunkRemaining];
            in.get(data);
            st.chunkRemaining = 0;
            out.write(new Frame.ChunkBody(new Message.Chunk(data)));
            return true;
        }

        int start = in.position();
        int limit = in.limit();
        int lf = -1;
        for (int i = start + st.scanned; i < limit; i++) {
            if (in.get(i) == '\n') {
                lf = i;
                break;
            }
        }
        if (lf < 0) {
            st.scanned = limit - start;
            if (st.discardingLine || limit - start > maxLineBytes + 1) {
                // Too long already: throw away what we have and keep throwing away up to the LF, keeping only its
                // first bytes (a SEND too long to read must still open a transfer to discard).
                if (!st.discardingLine) {
                    st.discardedHead = FrameRules.head(in.buf(), start, limit);
                }
                st.discardingLine = true;
                in.position(limit);
                st.scanned = 0;
            }
            return false;
        }
        st.scanned = 0;
        int end = lf;
        if (end > start && in.get(end - 1) == '\r') {
            end--;
        }
        int length = end - start;
        if (st.discardingLine || length > maxLineBytes) {
            String head = st.discardingLine ? st.discardedHead : FrameRules.head(in.buf(), start, end);
            st.discardingLine = false;
            st.discardedHead = "";
            in.position(lf + 1);
            out.write(FrameRules.lineTooLong(maxLineBytes, head));
            return true;
        }
        ByteBuffer bytes = in.buf().duplicate();
        bytes.limit(end).position(start);
        in.position(lf + 1);
        String text;
        try {
            CharBuffer chars = st.utf8.reset().decode(bytes);
            text = chars.toString();
        } catch (CharacterCodingException e) {
            out.write(FrameRules.notUtf8());
            return true;
        }
        if (FrameRules.isChunkHeader(text)) {
            chunkHeader(st, text, out);
        } else {
            out.write(new Frame.Line(text));
        }
        return true;
    }

    private static void chunkHeader(State st, String text, ProtocolDecoderOutput out) {
        FrameRules.ChunkHeader header = FrameRules.chunkHeader(text);
        if (header instanceof FrameRules.Body body) {
            st.chunkRemaining = body.bytes();
        } else if (header instanceof FrameRules.Oversized oversized) {
            st.skipRemaining = oversized.bytes();
            st.skippedChunkSize = oversized.bytes();
        } else {
            out.write(FrameRules.badChunkHeader());
        }
    }

    @Override
    public void dispose(IoSession session) throws Exception {
        session.removeAttribute(STATE);
        super.dispose(session);
    }
}
