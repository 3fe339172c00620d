package dev.thing.server;

import dev.thing.protocol.ErrorCode;

/** A command refused with a wire error code and a message for people. Nothing was changed. */
public class ThingException extends RuntimeException implements Failure {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public ThingException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    @Override
    public ErrorCode errorCode() {
        return code;
    }
}
