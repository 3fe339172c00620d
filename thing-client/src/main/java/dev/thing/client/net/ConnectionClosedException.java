package dev.thing.client.net;

/** A command could not be answered because the connection is gone. */
public final class ConnectionClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConnectionClosedException(String message) {
        super(message);
    }
}
