package dev.thing.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * Every THING message. {@link ClientMessage}s go from client to server, {@link ServerMessage}s from server
 * to client; the four transfer messages nested here travel both ways with the same syntax.
 */
public interface Message {

    /**
     * Opens a transfer of a song: {@code SEND <title> [<artist> [<tag1> [<tag2>]]]}. Absent fields are null.
     */
    record Send(String title, String artist, String tag1, String tag2) implements ClientMessage, ServerMessage {
        public Send {
            Objects.requireNonNull(title, "title");
        }
    }

    /** One piece of a transfer: a {@code CHUNK <n>} line followed by exactly n raw bytes (1..1000). */
    record Chunk(byte[] data) implements ClientMessage, ServerMessage {
        public static final int MAX_BYTES = 1000;

        public Chunk {
            Objects.requireNonNull(data, "data");
            if (data.length < 1 || data.length > MAX_BYTES) {
                throw new IllegalArgumentException("a chunk holds 1 to 1000 bytes, not " + data.length);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Chunk other && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Chunk[" + data.length + " bytes]";
        }
    }

    /**
     * {@code OKAY [<detail>]}: success, the end of a transfer, or (client to server) the answer to a PING,
     * carrying the PING's token. Detail is null when absent.
     */
    record Okay(String detail) implements ClientMessage, ServerMessage {
        public static final Okay PLAIN = new Okay(null);
    }

    /** {@code ABORT}: the transfer under way is cancelled by its sender. */
    record Abort() implements ClientMessage, ServerMessage {
    }
}
