package dev.thing.server.party;

import dev.thing.protocol.ErrorCode;
import java.util.Objects;

/** A party command that cannot be carried out; nothing was changed. The message is for people. */
public class PartyException extends RuntimeException implements dev.thing.server.Failure {

    /** Why a party command failed. */
    public enum Reason {
        /** No song with that title or id in the library. */
        NO_SUCH_SONG(ErrorCode.NO_SUCH_SONG),
        /** PAUSE while nothing is playing. */
        NOT_PLAYING(ErrorCode.NOT_ALLOWED),
        /** RESUME while not paused. */
        NOT_PAUSED(ErrorCode.NOT_ALLOWED),
        /** SEEK (or SKIP with nothing to go to) while stopped. */
        NOTHING_PLAYING(ErrorCode.NOT_ALLOWED),
        /** A position below 0 or not before the song's end. */
        BAD_POSITION(ErrorCode.SYNTAX),
        /** The song is already queued. */
        DUPLICATE(ErrorCode.DUPLICATE),
        /** The queue is full. */
        LIMIT(ErrorCode.LIMIT),
        /** No entry at that queue position. */
        NO_SUCH_ENTRY(ErrorCode.NO_SUCH_SONG),
        /** A queue entry someone else asked for, and the caller is not staff. */
        NOT_YOURS(ErrorCode.NOT_ALLOWED),
        /** The caller has voted to skip this song already. */
        ALREADY_VOTED(ErrorCode.DUPLICATE),
        /** The queue is empty. */
        QUEUE_EMPTY(ErrorCode.NOT_ALLOWED),
        /** The library could not be read (database or disk failure); its cause is logged. Nothing was changed. */
        STORAGE(ErrorCode.INTERNAL);

        private final ErrorCode errorCode;

        Reason(ErrorCode errorCode) {
            this.errorCode = errorCode;
        }

        /** The wire {@code ERROR} code suggested for this reason. */
        public ErrorCode errorCode() {
            return errorCode;
        }
    }

    private final Reason reason;

    public PartyException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public PartyException(Reason reason, String message, Throwable cause) {
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
