package dev.thing.protocol.codec;

import dev.thing.protocol.MessageWriter;
import dev.thing.protocol.ServerMessage;
import java.nio.charset.StandardCharsets;
import org.apache.mina.core.buffer.IoBuffer;

/**
 * A server line encoded once, to be sent as it is to many connections (a lobby-wide NOTIFY, an UPDATE to the whole
 * server, a playback event). Writing a line and encoding it to UTF-8 for each of a thousand members cost more than
 * the sending itself; this holds the text (for transports that send text, the WebSocket) and one read-only buffer of
 * its bytes with the LF (for byte streams), and hands each connection its own view of that buffer: each has its own
 * position, none can change the bytes, and none copies them.
 *
 * <p>The message is kept too, so that whoever sends it can still apply its per-connection rules to what it is (an
 * EVENT line reaches only connections that asked for events).
 */
public final class EncodedLine {
    private final ServerMessage message;
    private final String line;
    private final IoBuffer bytes;

    private EncodedLine(ServerMessage message) {
        this.message = message;
        this.line = MessageWriter.line(message);
        this.bytes = IoBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }

    /** Encodes {@code message} (any server line; not a chunk, whose bytes follow its line). */
    public static EncodedLine of(ServerMessage message) {
        return new EncodedLine(message);
    }

    public ServerMessage message() {
        return message;
    }

    /** The line without its LF, as {@link MessageWriter#line} writes it. */
    public String line() {
        return line;
    }

    /** The bytes on a byte stream, the LF included. */
    public int wireBytes() {
        return bytes.limit();
    }

    /**
     * A buffer of the line's bytes for one connection to write: its own position and limit over the one shared,
     * read-only array.
     */
    public IoBuffer buffer() {
        return bytes.duplicate();
    }

    @Override
    public String toString() {
        return "EncodedLine[" + line + "]";
    }
}
