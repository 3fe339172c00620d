package dev.thing.server.tls;

/** The TLS listener cannot be set up: a PEM file missing or unreadable, a key that does not match, and so on. */
public final class TlsSetupException extends Exception {
    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
