package dev.thing.protocol;

import java.util.Locale;
import java.util.regex.Pattern;

/** Rules for the names and texts that travel on the wire: lobby and user names, titles, tag values. */
public final class Names {
    /** Lobby and user names: 1 to 32 letters, digits, '_' or '-'. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    /** A song reference by number, as shown by LIST. */
    public static final Pattern SONG_ID = Pattern.compile("#[0-9]{1,18}");
    public static final int MAX_TITLE_CHARS = 256;
    public static final int MAX_VALUE_CHARS = 256;
    /** A new password's length, in characters (a password given at join is only checked against the stored one). */
    public static final int MIN_PASSWORD_CHARS = 8;
    public static final int MAX_PASSWORD_CHARS = 128;
    /** The longest chat line (SAY), in characters. */
    public static final int MAX_CHAT_CHARS = 500;

    private Names() {
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The form in which names and titles are compared: case-insensitive, locale-independent. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public static void requireName(String what, String name) throws ProtocolException {
        if (!isValidName(name)) {
            throw new ProtocolException(ErrorCode.SYNTAX,
                    what + " must be 1-32 characters of letters, digits, '_' or '-'");
        }
    }

    /** A password as given at join or as the old one of PASSWORD: 1-128 characters, no control characters. */
    public static void requirePassword(String password) throws ProtocolException {
        requireText("password", password, 1, MAX_PASSWORD_CHARS);
    }

    /** A rejoin token as the server issues them: 16 to 64 characters of the base64url alphabet. */
    public static void requireRejoinToken(String token) throws ProtocolException {
        if (!REJOIN_TOKEN.matcher(token).matches()) {
            throw new ProtocolException(ErrorCode.SYNTAX, "a rejoin token is 16-64 characters of letters, digits, "
                    + "'_' or '-', as the server gave it in EVENT TOKEN");
        }
    }

    private static final java.util.regex.Pattern REJOIN_TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{16,64}");

    /** A password to be stored (REGISTER, the new one of PASSWORD): 8-128 characters. */
    public static void requireNewPassword(String password) throws ProtocolException {
        requirePassword(password);
        if (password.codePointCount(0, password.length()) < MIN_PASSWORD_CHARS) {
            throw new ProtocolException(ErrorCode.SYNTAX, "a password must be at least " + MIN_PASSWORD_CHARS
                    + " characters (quote it if it holds spaces)");
        }
    }

    /** A reference to a song: {@code #<id>} or a title. */
    public static void requireSongRef(String ref) throws ProtocolException {
        if (SONG_ID.matcher(ref).matches()) {
            return;
        }
        requireText("title", ref, 1, MAX_TITLE_CHARS);
    }

    /** A title for a new song: like a reference, but it may not look like {@code #<id>}. */
    public static void requireNewTitle(String title) throws ProtocolException {
        requireText("title", title, 1, MAX_TITLE_CHARS);
        if (title.startsWith("#") && title.length() > 1 && title.substring(1).chars().allMatch(Character::isDigit)) {
            throw new ProtocolException(ErrorCode.SYNTAX,
                    "a title may not look like a song number (#<digits>)");
        }
    }

    public static void requireText(String what, String value, int min, int max) throws ProtocolException {
        int length = value.codePointCount(0, value.length());
        if (length < min) {
            throw new ProtocolException(ErrorCode.SYNTAX, what + " may not be empty");
        }
        if (length > max) {
            throw new ProtocolException(ErrorCode.SYNTAX, what + " is longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new ProtocolException(ErrorCode.SYNTAX, what + " may not contain control characters");
            }
        }
    }

    /** Makes free text safe for the rest of a NOTIFY or ERROR line: no line breaks, no control characters. */
    public static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString();
    }
}
