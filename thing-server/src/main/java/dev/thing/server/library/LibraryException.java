package dev.thing.server.library;

/**
 * A library operation failed for a reason the caller reports to a person. {@link #reason()} is what
 * the server maps to its wire error code (in one place); {@link #getMessage()} is the human text,
 * e.g. {@code no song titled "X"}.
 */
public final class LibraryException extends Exception implements dev.thing.server.Failure {
    private static final long serialVersionUID = 1L;

    /** Why the operation failed. */
    public enum Reason {
        /** No song with that title or id. */
        NO_SUCH_SONG,
        /** The title is already in the library or is being uploaded. */
        TITLE_EXISTS,
        /** The upload passed the size limit. */
        TOO_LARGE,
        /** The uploaded bytes are not (complete) MP3 audio. */
        BAD_AUDIO,
        /** A title or value is malformed (length, control characters, a reserved {@code #<id>} form). */
        SYNTAX,
        /** The server failed (I/O, database); nothing was changed. */
        INTERNAL
    }

    private final Reason reason;

    public LibraryException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public LibraryException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "LibraryException[" + reason + "]: " + getMessage();
    }

    @Override
    public dev.thing.protocol.ErrorCode errorCode() {
        return switch (reason) {
            case NO_SUCH_SONG -> dev.thing.protocol.ErrorCode.NO_SUCH_SONG;
            case TITLE_EXISTS -> dev.thing.protocol.ErrorCode.TITLE_EXISTS;
            case TOO_LARGE -> dev.thing.protocol.ErrorCode.TOO_LARGE;
            case BAD_AUDIO -> dev.thing.protocol.ErrorCode.BAD_AUDIO;
            case SYNTAX -> dev.thing.protocol.ErrorCode.SYNTAX;
            case INTERNAL -> dev.thing.protocol.ErrorCode.INTERNAL;
        };
    }
}
