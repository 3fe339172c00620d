package dev.thing.protocol.codec;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames a message-based transport (a WebSocket): one text message is one line without its line ending, and the
 * body of a {@code CHUNK <n>} is the one binary message right after that text message. It turns the transport's
 * messages, which may arrive in fragments, into the same {@link Frame}s the TCP decoder produces, with the rules of
 * {@link FrameRules}. Nothing here throws on bad input: every problem becomes a {@link Frame.Malformed} and the
 * framer stays in step with the client, because the transport's own message boundaries say where each piece ends:
 * <ul>
 *   <li>a text message holding CR or LF is discarded whole (SYNTAX): it is one line or nothing;</li>
 *   <li>a text message longer than the line limit is discarded whole (LINE_TOO_LONG), as on TCP;</li>
 *   <li>a binary message with no {@code CHUNK <n>} right before it is discarded (SYNTAX);</li>
 *   <li>a binary message whose length is not the announced n is discarded (SYNTAX);</li>
 *   <li>a text message where the announced body should be is an error (SYNTAX) and is then read as the line it
 *       is, so that an OKAY or ABORT sent after a lost body still counts;</li>
 *   <li>a chunk over 1000 bytes is read and discarded (TOO_LARGE), and a header that is not a size (SYNTAX)
 *       swallows the binary message that follows it, if one does, so one mistake draws one error.</li>
 * </ul>
 * One instance per connection, used by one thread at a time.
 */
public final class MessageFramer {
    private final int maxLineBytes;

    /** What the next binary message is for. */
    private enum Expect { NOTHING, BODY, OVERSIZED, AFTER_BAD_HEADER }

    private Expect expect = Expect.NOTHING;
    private int announced;

    // The text message being assembled from fragments.
    private final StringBuilder text = new StringBuilder();
    private long textBytes;
    private boolean textTooLong;
    private String textHead = "";

    // The binary message being assembled from fragments.
    private ByteBuffer binary;
    private long binaryBytes;

    public MessageFramer(int maxLineBytes) {
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("line limit must be at least 16 bytes");
        }
        this.maxLineBytes = maxLineBytes;
    }

    /** A whole text message. */
    public List<Frame> text(String message) {
        return text(message, true);
    }

    /** A whole binary message. */
    public List<Frame> binary(byte[] message) {
        return binary(ByteBuffer.wrap(message), true);
    }

    /** A fragment of a text message; the frames come when its last fragment does. */
    public List<Frame> text(String fragment, boolean last) {
        if (!textTooLong) {
            textBytes += utf8Length(fragment);
            if (textBytes > maxLineBytes) {
                // Keep only the head (its verb), never the whole of an over-long message.
                text.append(fragment, 0, Math.min(fragment.length(), FrameRules.HEAD_BYTES));
                textHead = FrameRules.head(text);
                textTooLong = true;
                text.setLength(0);
            } else {
                text.append(fragment);
            }
        }
        if (!last) {
            return List.of();
        }
        List<Frame> out = new ArrayList<>(2);
        if (expect == Expect.BODY || expect == Expect.OVERSIZED) {
            out.add(new Frame.Malformed(ErrorCode.SYNTAX, "CHUNK " + announced + " must be followed by a binary "
                    + "message of " + announced + " bytes, not by a text message; the chunk is lost", true));
        }
        // After a bad header its error was already given: a text message is simply the next line.
        expect = Expect.NOTHING;
        if (textTooLong) {
            out.add(FrameRules.lineTooLong(maxLineBytes, textHead));
        } else {
            line(text.toString(), out);
        }
        text.setLength(0);
        textBytes = 0;
        textTooLong = false;
        textHead = "";
        return out;
    }

    private void line(String line, List<Frame> out) {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            out.add(new Frame.Malformed(ErrorCode.SYNTAX, "a text message is one line, without CR or LF; "
                    + "this one held a line break and was discarded", false, FrameRules.head(line)));
            return;
        }
        if (!FrameRules.isChunkHeader(line)) {
            out.add(new Frame.Line(line));
            return;
        }
        FrameRules.ChunkHeader header = FrameRules.chunkHeader(line);
        if (header instanceof FrameRules.Body body) {
            expect = Expect.BODY;
            announced = body.bytes();
        } else if (header instanceof FrameRules.Oversized oversized) {
            expect = Expect.OVERSIZED;
            announced = oversized.bytes();
        } else {
            expect = Expect.AFTER_BAD_HEADER;
            out.add(FrameRules.badChunkHeader());
        }
    }

    /** A fragment of a binary message (its bytes are copied); the frame comes when its last fragment does. */
    public List<Frame> binary(ByteBuffer fragment, boolean last) {
        int n = fragment.remaining();
        if (expect == Expect.BODY && binaryBytes + n <= announced) {
            if (binary == null) {
                binary = ByteBuffer.allocate(announced);
            }
            binary.put(fragment);
        } else {
            fragment.position(fragment.limit());
        }
        binaryBytes += n;
        if (!last) {
            return List.of();
        }
        long length = binaryBytes;
        ByteBuffer body = binary;
        binary = null;
        binaryBytes = 0;
        Expect was = expect;
        expect = Expect.NOTHING;
        return switch (was) {
            case NOTHING -> List.of(new Frame.Malformed(ErrorCode.SYNTAX, "a binary message must come right after "
                    + "its CHUNK <n> text message; this one (" + length + " bytes) was discarded", true));
            case AFTER_BAD_HEADER -> List.of();
            case OVERSIZED -> List.of(FrameRules.oversized(announced));
            case BODY -> length == announced
                    ? List.of(new Frame.ChunkBody(new Message.Chunk(body.array())))
                    : List.of(new Frame.Malformed(ErrorCode.SYNTAX, "CHUNK " + announced + " announced "
                    + announced + " bytes but its binary message held " + length + "; the chunk was discarded",
                    true));
        };
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
