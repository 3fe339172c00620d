package dev.thing.client.net;

import dev.thing.protocol.Message;

/** Where {@link ClientProtocol} writes: the MINA session in the client, a recording fake in tests. */
public interface Transport {
    /**
     * Queues one message for writing. {@code onSent}, when not null, runs (off the I/O thread) once the message
     * has actually been written to the socket: the transport's "messageSent".
     */
    void write(Message message, Runnable onSent);

    /** Closes the connection; {@link ClientProtocol#onClosed()} follows. */
    void close();
}
