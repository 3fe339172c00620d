package dev.thing.protocol;

/**
 * A line that cannot be understood. Carries the {@link ErrorCode} the peer should be answered with, and a
 * message written for the person at the other end (often someone typing into telnet).
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
