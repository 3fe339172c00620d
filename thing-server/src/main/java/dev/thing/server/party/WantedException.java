package dev.thing.server.party;

import dev.thing.protocol.ErrorCode;
import java.util.Objects;

/** A wanted-list operation that failed; nothing was changed. The message is for people. */
public class WantedException extends RuntimeException implements dev.thing.server.Failure {

    /** Why. */
    public enum Reason {
        /** That title is already wanted for that lobby. */
        DUPLICATE(ErrorCode.DUPLICATE),
        /** The wanted list is full, or the person has as many wishes as one may have. */
        LIMIT(ErrorCode.LIMIT),
        /** UNWANT of a title that is not wanted in that lobby. */
        NO_SUCH_WISH(ErrorCode.NO_SUCH_SONG),
        /** UNWANT by someone who is neither the wisher nor staff. */
        NOT_ALLOWED(ErrorCode.NOT_ALLOWED),
        /** The database failed. */
        STORAGE(ErrorCode.INTERNAL);

        private final ErrorCode errorCode;

        Reason(ErrorCode errorCode) {
            this.errorCode = errorCode;
        }

        public ErrorCode errorCode() {
            return errorCode;
        }
    }

    private final Reason reason;

    public WantedException(Reason reason, String message) {
        this(reason, message, null);
    }

    public WantedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** The wire {@code ERROR} code suggested for this failure. */
    @Override
    public ErrorCode errorCode() {
        return reason.errorCode();
    }
}
