package dev.thing.server.session;

/**
 * What the session core needs of a transport: somewhere to put outgoing messages, how much of it the transport
 * still holds, and a way to stop reading and to close. A TCP connection (MINA) and, later, a WebSocket each
 * implement this in {@code transport}; the core never sees either.
 *
 * <p>The transport reports back through {@link SessionCore#onSent} once a message has actually left (so that
 * transfers and long replies are paced by what the client reads) and {@link SessionCore#onClosed} when the
 * connection is gone.
 */
public interface Wire {
    /**
     * Queues a message: a {@code ServerMessage}, one of the transfer messages (SEND, CHUNK, OKAY, ABORT), or an
     * {@link dev.thing.protocol.codec.EncodedLine} (a broadcast line encoded once, whose bytes or text the transport
     * sends as they are). The transport reports back whatever stands for it ({@link SessionCore#onSent}).
     */
    void write(Object message);

    /** Bytes queued in the transport and not yet written to the network. */
    long queuedBytes();

    /** Stop reading the client's input until {@link #resumeInput()} (backpressure for the rate limit). */
    void suspendInput();

    void resumeInput();

    /** Close once what is queued has been written. */
    void closeOnFlush();

    /** Close now, dropping what is queued. */
    void closeNow();

    /** True once the transport is closing (nothing more will be written). */
    boolean isClosing();

    /** The peer's address, for logs. */
    String remote();

    /**
     * The peer's network address, for the per-address limits ({@link AddressLimits}); null when the transport
     * cannot tell (such a connection is not limited per address).
     */
    java.net.InetAddress address();
}
