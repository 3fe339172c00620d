package dev.thing.server.library;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a title or tag value may be, and when two titles are the same title. Pure functions.
 *
 * <p>A title is stored in Unicode NFC. Two titles are the same when their {@link #key}s are equal: the key is
 * the NFC form, case-folded (upper then lower case, so "straße" and "STRASSE" meet), width-folded (NFKC, so
 * full-width "ＡＢＣ" is "abc"), with format characters such as the zero-width space removed.
 */
public final class Titles {
    /** Most characters (code points) in a title, artist or tag. */
    public static final int MAX_TEXT = 256;
    private static final int MAX_SLUG = 40;
    static final Pattern ID_REF = Pattern.compile("#[0-9]+");

    private Titles() {
    }

    /** The title as stored: NFC. */
    public static String normalize(String title) {
        return Normalizer.normalize(title, Normalizer.Form.NFC);
    }

    /** The comparison key of a title (see the class comment). */
    public static String key(String title) {
        String folded = normalize(title).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        String compat = Normalizer.normalize(folded, Normalizer.Form.NFKC);
        StringBuilder b = new StringBuilder(compat.length());
        compat.codePoints().filter(c -> Character.getType(c) != Character.FORMAT).forEach(b::appendCodePoint);
        return b.toString();
    }

    static void checkTitle(String title) throws LibraryException {
        if (title == null || title.isEmpty()) {
            throw new LibraryException(LibraryException.Reason.SYNTAX, "a title must not be empty");
        }
        if (title.codePointCount(0, title.length()) > MAX_TEXT) {
            throw new LibraryException(LibraryException.Reason.SYNTAX, "a title is at most " + MAX_TEXT + " characters");
        }
        if (hasControl(title)) {
            throw new LibraryException(LibraryException.Reason.SYNTAX, "a title must not contain control characters");
        }
        if (ID_REF.matcher(title).matches()) {
            throw new LibraryException(LibraryException.Reason.SYNTAX,
                    "\"" + title + "\" cannot be a title: #<digits> refers to a song by id");
        }
        if (key(title).isBlank()) {
            throw new LibraryException(LibraryException.Reason.SYNTAX, "a title must have a visible character");
        }
    }

    static void checkValue(String what, String value) throws LibraryException {
        if (value == null) {
            return;
        }
        if (value.codePointCount(0, value.length()) > MAX_TEXT) {
            throw new LibraryException(LibraryException.Reason.SYNTAX, what + " is at most " + MAX_TEXT + " characters");
        }
        if (hasControl(value)) {
            throw new LibraryException(LibraryException.Reason.SYNTAX, what + " must not contain control characters");
        }
    }

    private static boolean hasControl(String s) {
        return s.codePoints().anyMatch(Character::isISOControl);
    }

    /** A tag value made acceptable: control characters become spaces, at most 256 characters. */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return truncate(b.toString(), MAX_TEXT);
    }

    static String truncate(String s, int codePoints) {
        if (s.codePointCount(0, s.length()) <= codePoints) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, codePoints));
    }

    /** ASCII {@code [a-z0-9-]}, at most 40 characters, never empty. */
    static String slug(String title) {
        String s = Normalizer.normalize(title, Normalizer.Form.NFD).toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder();
        boolean dash = false;
        for (int i = 0; i < s.length() && b.length() < MAX_SLUG; i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                b.append(c);
                dash = false;
            } else if (c < 0x300 || c > 0x36F) { // combining accents vanish, everything else separates
                if (!dash && b.length() > 0) {
                    b.append('-');
                    dash = true;
                }
            }
        }
        while (b.length() > 0 && b.charAt(b.length() - 1) == '-') {
            b.setLength(b.length() - 1);
        }
        return b.length() == 0 ? "song" : b.toString();
    }

    static String describeSize(long bytes) {
        long mib = 1024L * 1024;
        if (bytes % mib == 0) {
            return bytes / mib + " MiB";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + "-byte";
    }
}
