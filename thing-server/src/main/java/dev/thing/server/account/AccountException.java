package dev.thing.server.account;

import dev.thing.protocol.ErrorCode;
import dev.thing.server.Failure;

/** A refusal (NOT_ALLOWED: a wrong password, a name registered already) or a storage failure (INTERNAL). */
public final class AccountException extends RuntimeException implements Failure {
    private final ErrorCode code;

    public AccountException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public AccountException(String message, Throwable cause) {
        super(message, cause);
        this.code = ErrorCode.INTERNAL;
    }

    @Override
    public ErrorCode errorCode() {
        return code;
    }
}
