package dev.thing.client.console;

import dev.thing.protocol.Access;
import dev.thing.protocol.Commands;

import java.util.List;
import java.util.Optional;

/**
 * One client command, for help and tab completion. Who may use it is not written here: it comes from the
 * declaration of the protocol command it sends ({@link Commands}), so the client's help cannot drift from the
 * server's permission checks.
 */
public record CommandSpec(String name, String usage, String description, Arg arg, String who) {

    /** A command that sends the protocol command {@code verb}: its "who" is that declaration's. */
    static CommandSpec sends(String verb, String name, String usage, String description, Arg arg) {
        Access access = Commands.byVerb(verb).orElseThrow(() -> new IllegalArgumentException(verb)).access();
        String who = switch (access) {
            case MODERATOR -> "admin, moderator";
            case ADMIN -> "admin";
            default -> null;
        };
        return new CommandSpec(name, usage, description, arg, who);
    }

    /** What the command's arguments are, for completion. */
    public enum Arg { NONE, USER, SONG, FILE, ON_OFF, TOPIC, BOARD, OTHER }

    /** The words after {@code board}, for completion (each has its own entry below). */
    public static final List<String> BOARD_WORDS = List.of("join", "leave", "set", "clear", "tempo", "size",
            "instrument", "start", "stop", "mix");

    public static final List<CommandSpec> ALL = List.of(
            new CommandSpec("help", "help [<command>|server]", "this list; 'help server' asks the server", Arg.TOPIC, null),
            new CommandSpec("status", "status", "song and position, clock offset and RTT, player drift", Arg.NONE, null),
            new CommandSpec("lobbies", "lobbies", "lobbies and their member counts", Arg.NONE, null),
            new CommandSpec("users", "users", "members of the lobby with role and RTT", Arg.NONE, null),
            new CommandSpec("list", "list", "the song library", Arg.NONE, null),
            new CommandSpec("queue", "queue", "the lobby's queue", Arg.NONE, null),
            new CommandSpec("request", "request <title> [--artist <artist>]",
                    "queue a song; one not in the library becomes wanted", Arg.SONG, null),
            new CommandSpec("say", "say <text>", "chat to the lobby (500 characters at most); at the prompt any line "
                    + "that does not start with a command is said too, '/' before a command works as in IRC, and "
                    + "'//text' says '/text'", Arg.OTHER, null),
            new CommandSpec("vote", "vote [skip]", "vote to skip the song playing; more than half of the lobby "
                    + "(or the share staff set) skips it", Arg.NONE, null),
            new CommandSpec("unqueue", "unqueue <n>", "take song number <n> of 'queue' off the queue (yours; "
                    + "staff: any)", Arg.NONE, null),
            new CommandSpec("get", "get <title>", "download a song into the cache", Arg.SONG, null),
            new CommandSpec("time", "time", "the server's clock", Arg.NONE, null),
            new CommandSpec("clear", "clear", "clear the screen", Arg.NONE, null),
            CommandSpec.sends("WANTED", "wanted", "wanted", "songs asked for but not in the library", Arg.NONE),
            CommandSpec.sends("ACCEPT", "accept", "accept <user>", "let a pending joiner in", Arg.USER),
            CommandSpec.sends("REJECT", "reject", "reject <user>", "turn a pending joiner away", Arg.USER),
            CommandSpec.sends("PLAY", "play", "play <title> [<m:ss>]", "play a song for the lobby (from <m:ss> if given)", Arg.SONG),
            CommandSpec.sends("PAUSE", "pause", "pause", "pause the lobby's song", Arg.NONE),
            CommandSpec.sends("RESUME", "resume", "resume", "resume the lobby's song", Arg.NONE),
            CommandSpec.sends("SEEK", "seek", "seek <m:ss>|+<m:ss>|-<m:ss>",
                    "jump to a position, or forward/back from where the song is", Arg.OTHER),
            CommandSpec.sends("SKIP", "skip", "skip", "next song in the queue", Arg.NONE),
            CommandSpec.sends("STOP", "stop", "stop", "stop playback", Arg.NONE),
            CommandSpec.sends("MOVE", "move", "move <n> <new-n>", "move song number <n> of 'queue' to position "
                    + "<new-n>", Arg.NONE),
            CommandSpec.sends("VOTESHARE", "voteshare", "voteshare [<percent>]",
                    "show or set the share (0-99) of members whose skip votes a song must pass", Arg.NONE),
            CommandSpec.sends("KICK", "kick", "kick <user>", "disconnect a member (moderators: users only)", Arg.USER),
            CommandSpec.sends("PROMOTE", "promote", "promote <user>", "make a member a moderator", Arg.USER),
            CommandSpec.sends("DEMOTE", "demote", "demote <user>", "make a moderator a user again", Arg.USER),
            CommandSpec.sends("AUTOPLAY", "autoplay", "autoplay [on|off]", "show or set random play when the queue is empty",
                    Arg.ON_OFF),
            CommandSpec.sends("SEND", "upload", "upload <file.mp3> [--title T] [--artist A] [--tag1 X] [--tag2 Y]",
                    "send a song to the library (fields default to the file's ID3 tags); Ctrl-C aborts", Arg.FILE),
            CommandSpec.sends("SONG", "tag", "tag <title> artist|tag1|tag2 <value>",
                    "change a song's metadata (the first artist/tag1/tag2 word ends the title; quote titles holding one)",
                    Arg.SONG),
            CommandSpec.sends("RENAME", "rename", "rename <title> -> <new title>",
                    "give a song a new title (or: rename \"Old Title\" New Title)", Arg.SONG),
            CommandSpec.sends("DELETE", "delete", "delete <title>", "remove a song from the library", Arg.SONG),
            CommandSpec.sends("UNWANT", "unwant", "unwant <title>",
                    "take a wish off the wanted list (yours; staff: anyone's in the lobby)", Arg.OTHER),
            CommandSpec.sends("REGISTER", "register", "register <password>",
                    "register your username; later join with --password or --ask-password", Arg.OTHER),
            CommandSpec.sends("PASSWORD", "password", "password <old> <new>", "change your account's password",
                    Arg.OTHER),
            CommandSpec.sends("BAN", "ban", "ban <user>",
                    "remove someone and bar the name from this lobby (moderators: users only)", Arg.USER),
            CommandSpec.sends("UNBAN", "unban", "unban <user>", "lift a ban", Arg.OTHER),
            CommandSpec.sends("BANS", "bans", "bans", "the lobby's bans", Arg.NONE),
            CommandSpec.sends("CLAIM", "claim", "claim",
                    "keep this lobby yours across empty periods and restarts (registered admins)", Arg.NONE),
            CommandSpec.sends("UNCLAIM", "unclaim", "unclaim", "give up the claim on this lobby", Arg.NONE),
            CommandSpec.sends("BOARD", "board", "board", "draw the lobby's two-track board: instruments, players, "
                    + "one line of digits per row, the beat playing marked", Arg.BOARD),
            CommandSpec.sends("BOARD", "board", "board join [1|2]", "take seat 1 or 2 (or the first free one) to play "
                    + "that track", Arg.BOARD),
            CommandSpec.sends("BOARD", "board", "board leave", "give your seat back", Arg.BOARD),
            CommandSpec.sends("BOARD", "board", "board set <track> <row> <cells>", "one row of your track, a digit "
                    + "per column: 0 rests, 1234 is a note of four beats, 1212 two of two (a-z go on from 9); "
                    + "row 1 is the top line", Arg.BOARD),
            CommandSpec.sends("BOARD", "board", "board clear [<track>]", "rests everywhere on your track (staff: "
                    + "the track given, or both)", Arg.BOARD),
            CommandSpec.sends("BOARD", "board", "board tempo <bpm>", "the board's tempo, 30-300 beats per minute "
                    + "(staff and the two players)", Arg.BOARD),
            CommandSpec.sends("BOARD", "board", "board size <columns> <rows>", "1-64 columns by 1-16 rows; rows are "
                    + "cut or padded with rests (staff and the two players)", Arg.BOARD),
            CommandSpec.sends("BOARD", "board", "board instrument <track> <name>", "piano, epiano, organ, guitar, "
                    + "bass, strings, choir, brass, sax, flute, lead, pad, gm0-gm127 (a General MIDI program) or "
                    + "drums (staff and the two players)", Arg.BOARD),
            CommandSpec.sends("BOARD", "board", "board start", "loop the board from a moment from now, on the "
                    + "lobby's clock (staff and the two players)", Arg.BOARD),
            CommandSpec.sends("BOARD", "board", "board stop", "stop the board (staff and the two players)",
                    Arg.BOARD),
            CommandSpec.sends("BOARD", "board", "board mix over|instead", "the board sounds over the song, or "
                    + "instead of it: the song is muted while the board plays (staff)", Arg.BOARD),
            new CommandSpec("quit", "quit", "leave the lobby and exit", Arg.NONE, null));

    public static Optional<CommandSpec> find(String name) {
        return ALL.stream().filter(s -> s.name.equalsIgnoreCase(name)).findFirst();
    }

    /** Every entry of a command that has several forms ({@code board}, {@code board join ...}), in order. */
    public static List<CommandSpec> findAll(String name) {
        return ALL.stream().filter(s -> s.name.equalsIgnoreCase(name)).toList();
    }

    /** The usage of one form: the entry whose usage starts with {@code "<name> <word>"}, else the command's. */
    public static String usageOf(String name, String word) {
        String lead = (name + " " + word).toLowerCase(java.util.Locale.ROOT);
        return findAll(name).stream().map(CommandSpec::usage).filter(u -> u.equals(lead) || u.startsWith(lead + " "))
                .findFirst().orElseGet(() -> find(name).map(CommandSpec::usage).orElse(name));
    }

    /**
     * The names closest to {@code typed} (case-insensitive edit distance within a third of its length, at least 1;
     * or those starting with it), nearest first, at most three.
     */
    public static List<String> closest(String typed, java.util.Collection<String> names) {
        String t = typed.toLowerCase(java.util.Locale.ROOT);
        int limit = Math.max(1, Math.min(3, t.length() / 3));
        java.util.Map<String, Integer> scored = new java.util.LinkedHashMap<>();
        for (String n : names) {
            String k = n.toLowerCase(java.util.Locale.ROOT);
            int d = distance(t, k);
            if (d <= limit || (t.length() >= 3 && k.startsWith(t))) {
                scored.putIfAbsent(n, d);
            }
        }
        return scored.entrySet().stream().sorted(java.util.Map.Entry.comparingByValue()).limit(3)
                .map(java.util.Map.Entry::getKey).toList();
    }

    /** Levenshtein distance, an adjacent swap counting one. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** " did you mean 'x'?" for a list of names, or "" when there are none. */
    public static String didYouMean(List<String> names) {
        if (names.isEmpty()) {
            return "";
        }
        return "; did you mean " + String.join(" or ", names.stream().map(n -> "'" + n + "'").toList()) + "?";
    }

    /** Where the help text is laid out to fit (an 80-column terminal). */
    static final int HELP_WIDTH = 79;
    private static final int USAGE_COLUMN = 24;

    /**
     * The whole help text: the commands grouped by who may use them, each usage with its description (wrapped to
     * {@link #HELP_WIDTH} columns; a usage too long for its column gets the description on the lines below), then
     * the keys.
     */
    public static String helpText() {
        StringBuilder out = new StringBuilder("Commands (titles may have spaces; #<id> from 'list' works too):\n");
        String[][] groups = {{null, "For everyone:"}, {"admin, moderator", "For the admin and moderators:"},
                {"admin", "For the admin only:"}};
        for (String[] g : groups) {
            out.append(g[1]).append('\n');
            for (CommandSpec s : ALL) {
                if (java.util.Objects.equals(s.who, g[0])) {
                    appendEntry(out, s);
                }
            }
        }
        out.append("Keys: Tab completes commands, usernames and titles; Up/Down recall history;\n")
                .append("  Ctrl-C clears the line or stops an upload or a wait; Ctrl-D or 'quit' leaves.\n")
                .append("Aliases: '?' for help, 'exit' for quit.");
        return out.toString();
    }

    private static void appendEntry(StringBuilder out, CommandSpec s) {
        String lead = "  " + s.usage;
        int indent = 2 + USAGE_COLUMN + 1;
        List<String> lines = wrap(s.description, HELP_WIDTH - indent);
        if (lead.length() >= indent) {
            out.append(lead).append('\n');
            lead = "";
        }
        for (String line : lines) {
            out.append(lead).append(" ".repeat(indent - lead.length())).append(line).append('\n');
            lead = "";
        }
    }

    /** Splits text into lines of at most {@code width} characters at spaces (a longer word gets its own line). */
    static List<String> wrap(String text, int width) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
