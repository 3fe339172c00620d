package dev.thing.protocol.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** Seeded generators of hostile protocol input: mutated valid lines, random tokens, huge tokens, raw bytes. */
public final class Fuzz {
    private Fuzz() {
    }

    public static final List<String> TEMPLATES = List.of(
            "HELP", "HELP SEND", "QUIT", "LOBBIES", "USERS", "LIST", "QUEUE", "WANTED", "TIME", "TIME t1",
            "GET \"Bohemian Rhapsody\"", "GET #1", "REQUEST \"Some Title\" Artist", "REQUEST \"a \\\"b\\\" c\"",
            "PLAY #1 1000", "PLAY \"x y\"", "PAUSE", "RESUME", "SEEK 1:30", "SEEK 90000", "SKIP", "STOP",
            "ACCEPT bob", "REJECT bob", "PROMOTE bob", "DEMOTE bob", "KICK bob", "DELETE #3",
            "SONG \"Bohemian Rhapsody\" SET ARTIST Queen", "SONG #1 SET TAG1 rock", "SONG x SET TAG2 a b c",
            "AUTOPLAY", "AUTOPLAY ON", "AUTOPLAY OFF", "SEND \"t\" a b c", "SEND song", "CHUNK 5", "CHUNK 1000",
            "OKAY", "OKAY 17", "ABORT", "lobby user", "party-1 alice_2", "NOTIFY hello there", "ERROR SYNTAX bad",
            "bob TAKEN", "UPDATE \"t\" a b c", "PING 3", "PLAY \"x\" 1700000000000000 5", "PAUSE \"x\" 5", "STOP",
            "TIME t 1700000000000000", "USER bob ADMIN 1.5", "USER bob USER -", "LOBBY l 3 1",
            "SONG 1 \"t\" a b c 1000 2048 " + "ab".repeat(32), "ENTRY 1 2 \"t\" bob", "WISH \"t\" a bob l",
            "AUTOPLAY ON", "HELP HELP - this help");

    private static final char[] SPECIAL = {'"', '\\', ' ', '\t', '#', '\u0000', '\r', '\u001b', '\u007f', 'é',
        '東', '\uD83C', '\uDFB5', '\u00A0', '\u2028', '0', '9', '-', ':', '.', '\uFFFF', '\uFEFF'};

    public static String line(Random rnd) {
        int kind = rnd.nextInt(100);
        if (kind < 45) {
            String s = pick(rnd, TEMPLATES);
            int n = 1 + rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                s = mutate(rnd, s);
            }
            return s;
        }
        if (kind < 60) {
            StringBuilder b = new StringBuilder();
            int tokens = rnd.nextInt(8);
            for (int i = 0; i < tokens; i++) {
                if (i > 0) {
                    b.append(rnd.nextBoolean() ? " " : "\t ");
                }
                b.append(token(rnd));
            }
            return b.toString();
        }
        if (kind < 67) {
            String verb = pick(rnd, TEMPLATES).split(" ")[0];
            int size = 1 + rnd.nextInt(rnd.nextBoolean() ? 5_000 : 70_000);
            char c = SPECIAL[rnd.nextInt(SPECIAL.length)];
            String huge = rnd.nextBoolean() ? "a".repeat(size) : String.valueOf(c).repeat(Math.min(size, 10_000));
            return verb + " " + (rnd.nextBoolean() ? "\"" + huge + "\"" : huge) + (rnd.nextBoolean() ? " x" : "");
        }
        if (kind < 85) {
            StringBuilder b = new StringBuilder();
            int len = rnd.nextInt(60);
            for (int i = 0; i < len; i++) {
                b.append(randomChar(rnd));
            }
            return b.toString();
        }
        return pick(rnd, TEMPLATES);
    }

    public static String token(Random rnd) {
        switch (rnd.nextInt(7)) {
            case 0:
                return "\"" + word(rnd) + " " + word(rnd) + "\"";
            case 1:
                return "\"" + word(rnd) + "\\\"" + word(rnd) + "\"";
            case 2:
                return "\"" + word(rnd); // unterminated
            case 3:
                return word(rnd) + "\\" + (rnd.nextBoolean() ? "n" : "");
            case 4:
                return "#" + (rnd.nextBoolean() ? Long.toString(rnd.nextLong()) : Integer.toString(rnd.nextInt(10)));
            case 5:
                return "\"\"";
            default:
                return pick(rnd, TEMPLATES).split(" ")[0].toLowerCase();
        }
    }

    public static String word(Random rnd) {
        StringBuilder b = new StringBuilder();
        int len = rnd.nextInt(12);
        for (int i = 0; i < len; i++) {
            b.append(rnd.nextInt(5) == 0 ? randomChar(rnd) : (char) ('a' + rnd.nextInt(26)));
        }
        return b.toString();
    }

    public static char randomChar(Random rnd) {
        int k = rnd.nextInt(10);
        if (k < 3) {
            return SPECIAL[rnd.nextInt(SPECIAL.length)];
        }
        if (k < 5) {
            return (char) rnd.nextInt(0x20);
        }
        if (k < 6) {
            return (char) rnd.nextInt(0x10000);
        }
        return (char) (0x20 + rnd.nextInt(0x5f));
    }

    public static String mutate(Random rnd, String s) {
        int at = s.isEmpty() ? 0 : rnd.nextInt(s.length() + 1);
        switch (rnd.nextInt(8)) {
            case 0: // flip
                if (!s.isEmpty() && at < s.length()) {
                    return s.substring(0, at) + randomChar(rnd) + s.substring(at + 1);
                }
                return s + randomChar(rnd);
            case 1: // insert
                return s.substring(0, at) + SPECIAL[rnd.nextInt(SPECIAL.length)] + s.substring(at);
            case 2: // delete
                if (at < s.length()) {
                    return s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + rnd.nextInt(4)));
                }
                return s;
            case 3: // quote
                return s.substring(0, at) + "\"" + s.substring(at);
            case 4: // backslash
                return s.substring(0, at) + "\\" + s.substring(at);
            case 5: // truncate
                return s.substring(0, at);
            case 6: // duplicate
                return s.substring(0, at) + s + s.substring(at);
            default: // case change and extra blanks
                return (rnd.nextBoolean() ? s.toLowerCase() : "  " + s + " \t");
        }
    }

    /** Raw bytes: a mix of random bytes, mutated lines and (if allowed) CHUNK headers with right or wrong sizes. */
    public static byte[] bytes(Random rnd, int approx, boolean chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < approx) {
            int kind = rnd.nextInt(chunks ? 5 : 3);
            switch (kind) {
                case 0 -> {
                    byte[] b = new byte[1 + rnd.nextInt(300)];
                    rnd.nextBytes(b);
                    out.writeBytes(b);
                }
                case 1 -> {
                    byte[] b = mutateBytes(rnd, line(rnd).getBytes(StandardCharsets.UTF_8));
                    out.writeBytes(b);
                    out.write(rnd.nextInt(4) == 0 ? '\r' : '\n');
                    if (rnd.nextBoolean()) {
                        out.write('\n');
                    }
                }
                case 2 -> out.writeBytes((pick(rnd, TEMPLATES) + (rnd.nextBoolean() ? "\r\n" : "\n"))
                        .getBytes(StandardCharsets.UTF_8));
                default -> {
                    String n = switch (rnd.nextInt(8)) {
                        case 0 -> Integer.toString(1001 + rnd.nextInt(64_536));
                        case 1 -> Long.toString(rnd.nextLong());
                        case 2 -> "0";
                        case 3 -> "x" + rnd.nextInt(9);
                        default -> Integer.toString(1 + rnd.nextInt(1000));
                    };
                    out.writeBytes(((rnd.nextBoolean() ? "CHUNK " : " chunk\t") + n + "\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    int body = rnd.nextInt(3) == 0 ? rnd.nextInt(1100) : safeInt(n);
                    byte[] b = new byte[Math.max(0, Math.min(body, 2_000))];
                    rnd.nextBytes(b);
                    out.writeBytes(b);
                }
            }
        }
        byte[] all = out.toByteArray();
        if (!chunks) {
            for (int i = 0; i < all.length; i++) {
                if (all[i] == 'k' || all[i] == 'K') {
                    all[i] = 'q';
                }
            }
        }
        return all;
    }

    private static int safeInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static byte[] mutateBytes(Random rnd, byte[] b) {
        byte[] r = b.clone();
        int n = rnd.nextInt(3);
        for (int i = 0; i < n && r.length > 0; i++) {
            r[rnd.nextInt(r.length)] = (byte) rnd.nextInt(256);
        }
        return r;
    }

    public static <T> T pick(Random rnd, List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    /** A short printable form of hostile input, for failure messages. */
    static String show(Object input) {
        String s = input instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(input);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(s.length(), 300); i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return "[" + s.length() + " chars] " + out + (s.length() > 300 ? "..." : "");
    }
}
