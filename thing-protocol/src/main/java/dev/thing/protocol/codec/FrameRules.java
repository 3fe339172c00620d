package dev.thing.protocol.codec;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;
import dev.thing.protocol.MessageWriter;
import java.nio.ByteBuffer;

/**
 * The framing rules every transport shares, in one place: how long a line may be, what a {@code CHUNK <n>} header
 * announces, which chunk sizes are refused and how, and the error each problem becomes. The TCP decoder
 * ({@link ThingDecoder}, a byte stream cut at LF) and the message framer of the WebSocket transport
 * ({@link MessageFramer}, one text message per line, one binary message per chunk body) differ only in where a line
 * ends; everything they decide about a line or a chunk is decided here.
 */
public final class FrameRules {
    /** Chunks larger than this are not skipped but treated as a broken header: nobody sends 64 KiB by mistake. */
    public static final int MAX_SKIPPABLE_CHUNK = 65_536;
    /** How many leading bytes of a discarded line are kept, so that its verb can still be seen. */
    static final int HEAD_BYTES = 16;

    private FrameRules() {
    }

    /** What a {@code CHUNK <n>} header announces. */
    public sealed interface ChunkHeader permits Body, Oversized, Bad {
    }

    /** A body of {@code bytes} follows (1 to {@link Message.Chunk#MAX_BYTES}). */
    public record Body(int bytes) implements ChunkHeader {
    }

    /** A body over the limit follows: it is read and thrown away, then {@link #oversized} is the error. */
    public record Oversized(int bytes) implements ChunkHeader {
    }

    /** Not a size the protocol can read: {@link #badChunkHeader()} is the error; no body is known to follow. */
    public record Bad() implements ChunkHeader {
    }

    /** True when the line's first token is CHUNK; leading blanks are skipped, as the tokenizer skips them. */
    public static boolean isChunkHeader(String text) {
        int i = leadingBlanks(text);
        return text.length() - i >= 5 && text.regionMatches(true, i, "CHUNK", 0, 5)
                && (text.length() == i + 5 || text.charAt(i + 5) == ' ' || text.charAt(i + 5) == '\t');
    }

    /** Reads a line for which {@link #isChunkHeader} holds. */
    public static ChunkHeader chunkHeader(String text) {
        String size = text.substring(leadingBlanks(text) + 5).strip();
        long n = -1;
        if (size.matches("[0-9]{1,9}")) {
            n = Long.parseLong(size);
        }
        if (n >= 1 && n <= Message.Chunk.MAX_BYTES) {
            return new Body((int) n);
        }
        if (n > Message.Chunk.MAX_BYTES && n <= MAX_SKIPPABLE_CHUNK) {
            return new Oversized((int) n);
        }
        return new Bad();
    }

    public static Frame.Malformed lineTooLong(int maxLineBytes, String head) {
        return new Frame.Malformed(ErrorCode.LINE_TOO_LONG, "line longer than " + maxLineBytes
                + " bytes was discarded", false, head);
    }

    public static Frame.Malformed notUtf8() {
        return new Frame.Malformed(ErrorCode.SYNTAX, "line is not valid UTF-8", false);
    }

    public static Frame.Malformed badChunkHeader() {
        return new Frame.Malformed(ErrorCode.SYNTAX,
                "bad chunk header: expected CHUNK <n> with n from 1 to " + Message.Chunk.MAX_BYTES, true);
    }

    public static Frame.Malformed oversized(int bytes) {
        return new Frame.Malformed(ErrorCode.TOO_LARGE, "chunk of " + bytes + " bytes is over the "
                + Message.Chunk.MAX_BYTES + "-byte limit; its bytes were discarded", true);
    }

    /** Up to the first {@link #HEAD_BYTES} bytes of a line, ASCII only (anything else as '?'): enough to see its verb. */
    static String head(ByteBuffer bytes, int start, int end) {
        StringBuilder head = new StringBuilder();
        for (int i = start; i < Math.min(end, start + HEAD_BYTES); i++) {
            head.append(headChar(bytes.get(i)));
        }
        return head.toString();
    }

    /** The same for a line already decoded. */
    static String head(CharSequence text) {
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < Math.min(text.length(), HEAD_BYTES); i++) {
            char c = text.charAt(i);
            head.append(c < 0x80 ? headChar((byte) c) : '?');
        }
        return head.toString();
    }

    private static char headChar(byte b) {
        return b >= 0x20 && b < 0x7f ? (char) b : b == '\t' ? ' ' : '?';
    }

    /**
     * What a message is on the wire: its line (without line ending) and, for a chunk, the bytes that follow it. A
     * byte stream writes the line, LF, then the bytes; a WebSocket one text message, then one binary message.
     */
    public record Outgoing(String line, byte[] body) {
    }

    public static Outgoing outgoing(Message message) {
        return new Outgoing(MessageWriter.line(message), message instanceof Message.Chunk chunk ? chunk.data() : null);
    }

    private static int leadingBlanks(String text) {
        int i = 0;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
