package dev.thing.protocol;

/**
 * The fixed list of codes an {@code ERROR} line may carry. The text after the code is for people;
 * programs act on the code alone.
 */
public enum ErrorCode {
    /** The line is malformed: wrong number of arguments, a bad name, an unterminated quote, bad UTF-8. */
    SYNTAX,
    /** The verb is not a THING command. */
    UNKNOWN_COMMAND,
    /** The sender's role may not use this command, or the command makes no sense in the current state. */
    NOT_ALLOWED,
    /** The sender is still waiting for approval to join its lobby. */
    PENDING,
    /** No member or pending joiner of that name in the lobby. */
    NO_SUCH_USER,
    /** No song with that title or id in the library. */
    NO_SUCH_SONG,
    /** A song with that title is already in the library (or is being uploaded). */
    TITLE_EXISTS,
    /** An upload, or a single chunk, is larger than allowed. */
    TOO_LARGE,
    /** The uploaded bytes are not playable MP3 audio. */
    BAD_AUDIO,
    /** A transfer is already under way on this connection. */
    UPLOAD_IN_PROGRESS,
    /** The line was longer than the line limit and was discarded. */
    LINE_TOO_LONG,
    /** A server limit was hit (lobbies, pending joiners, queue length, wanted list, ...). */
    LIMIT,
    /** The request is already in effect (a song already queued or wanted, a user already a moderator). */
    DUPLICATE,
    /** The sender cancelled its transfer with ABORT; nothing was stored. */
    ABORTED,
    /** The server failed; the text says what to report. Nothing was changed. */
    INTERNAL;

    /** Parses a code as it appears on the wire; unknown codes map to {@link #INTERNAL}. */
    public static ErrorCode fromWire(String token) {
        try {
            return valueOf(token);
        } catch (IllegalArgumentException e) {
            return INTERNAL;
        }
    }
}
