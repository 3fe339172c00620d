package dev.thing.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place that knows how a line is cut into tokens and how a token is quoted.
 *
 * <p>Tokens are separated by runs of spaces or tabs. A token may be a double-quoted string in which
 * {@code \"} stands for a quote and {@code \\} for a backslash; {@code ""} is the empty token. A writer
 * quotes a token only when it has to: when it is empty or holds whitespace, a quote or a backslash.
 */
public final class Tokens {
    private Tokens() {
    }

    /** Splits a line into tokens, undoing quotes and escapes. Control characters other than tab are refused. */
    public static List<String> split(String line) throws ProtocolException {
        for (int k = 0; k < line.length(); k++) {
            char c = line.charAt(k);
            if (Character.isISOControl(c) && c != '\t') {
                throw new ProtocolException(ErrorCode.SYNTAX,
                        "control character U+" + String.format("%04X", (int) c) + " at column " + (k + 1));
            }
        }
        List<String> tokens = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && isBlank(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return tokens;
            }
            if (line.charAt(i) == '"') {
                StringBuilder token = new StringBuilder();
                int openedAt = i;
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i);
                    if (c == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (c == '\\') {
                        if (i + 1 >= n) {
                            break;
                        }
                        char next = line.charAt(i + 1);
                        if (next != '"' && next != '\\') {
                            throw new ProtocolException(ErrorCode.SYNTAX,
                                    "bad escape \\" + next + " at column " + (i + 1)
                                            + ": inside quotes only \\\" and \\\\ are allowed");
                        }
                        token.append(next);
                        i += 2;
                        continue;
                    }
                    token.append(c);
                    i++;
                }
                if (!closed) {
                    throw new ProtocolException(ErrorCode.SYNTAX,
                            "unterminated quote starting at column " + (openedAt + 1));
                }
                if (i < n && !isBlank(line.charAt(i))) {
                    throw new ProtocolException(ErrorCode.SYNTAX,
                            "a closing quote must be followed by a space (column " + (i + 1) + ")");
                }
                tokens.add(token.toString());
            } else {
                int start = i;
                while (i < n && !isBlank(line.charAt(i))) {
                    char c = line.charAt(i);
                    if (c == '"') {
                        throw new ProtocolException(ErrorCode.SYNTAX,
                                "a quote may only start a token (column " + (i + 1) + ")");
                    }
                    i++;
                }
                tokens.add(line.substring(start, i));
            }
        }
    }

    /**
     * Returns the token as it must be written: bare when it can be, quoted and escaped otherwise. Control
     * characters (which no token may hold) are written as spaces, so no text can break a line in two.
     */
    public static String quote(String token) {
        token = withoutControls(token);
        if (!needsQuotes(token)) {
            return token;
        }
        StringBuilder out = new StringBuilder(token.length() + 2).append('"');
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    /** Writes the tokens quoted where needed, separated by single spaces. */
    public static String join(List<String> tokens) {
        StringBuilder out = new StringBuilder();
        for (String token : tokens) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(quote(token));
        }
        return out.toString();
    }

    /** The text after the first token and the blanks that follow it, untouched (for free-text lines). */
    public static String restAfterVerb(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && isBlank(line.charAt(i))) {
            i++;
        }
        while (i < n && !isBlank(line.charAt(i))) {
            i++;
        }
        while (i < n && isBlank(line.charAt(i))) {
            i++;
        }
        return line.substring(i);
    }

    private static String withoutControls(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (Character.isISOControl(c) && c != '\t') {
                StringBuilder out = new StringBuilder(token);
                for (int j = i; j < out.length(); j++) {
                    if (Character.isISOControl(out.charAt(j)) && out.charAt(j) != '\t') {
                        out.setCharAt(j, ' ');
                    }
                }
                return out.toString();
            }
        }
        return token;
    }

    static boolean needsQuotes(String token) {
        if (token.isEmpty()) {
            return true;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (isBlank(c) || c == '"' || c == '\\' || Character.isWhitespace(c)) {
                return true;
            }
        }
        return false;
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
