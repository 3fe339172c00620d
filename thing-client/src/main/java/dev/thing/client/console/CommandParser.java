package dev.thing.client.console;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.MetadataField;
import dev.thing.protocol.Names;
import dev.thing.protocol.Positions;
import dev.thing.protocol.ProtocolException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a friendly command line into a {@link Command}.
 *
 * <p>Words are separated by spaces; {@code "..."} quotes (with {@code \"} and {@code \\}) and a backslash before
 * any character outside quotes (as tab completion inserts) keep spaces inside a word. Titles:
 * <ul>
 *   <li>When the title is the command's last argument (get, delete, play, request), the words are joined by single
 *   spaces: {@code play Bohemian Rhapsody}. {@code play} takes a trailing position only in {@code m:ss} form
 *   ({@code play Song 2 1:30}); a title ending in such a word is quoted.</li>
 *   <li>A quoted first word is always the whole title: {@code play "Song 2" 90000}.</li>
 *   <li>{@code tag}: the first word (after the first) that is {@code artist}, {@code tag1} or {@code tag2} ends the
 *   title; the rest is the value: {@code tag My Song artist Freddie Mercury}. Quote a title holding such a word.</li>
 *   <li>{@code request <title> --artist <artist>}; or a quoted title followed by the artist.</li>
 *   <li>{@code upload}: the path is the words before the first option; each option takes the words up to the
 *   next option.</li>
 * </ul>
 */
public final class CommandParser {
    private static final Pattern CLOCK_POSITION = Pattern.compile("[0-9]{1,6}:[0-5][0-9](\\.[0-9]{1,3})?");
    private static final List<String> UPLOAD_OPTIONS = List.of("--title", "--artist", "--tag1", "--tag2");

    /** Every word that starts a command (names and aliases). */
    static final java.util.Set<String> VERBS = java.util.Set.of("help", "?", "status", "quit", "exit", "lobbies",
            "users", "list", "queue", "wanted", "pause", "resume", "skip", "stop", "time", "clear", "cls", "accept",
            "reject", "kick", "promote", "demote", "get", "delete", "unwant", "seek", "play", "request", "tag",
            "autoplay", "upload", "say", "vote", "voteshare", "unqueue", "move", "rename", "board");

    /** One word and whether it was quoted. */
    record Word(String text, boolean quoted) {
    }

    private final boolean chatByDefault;

    /** A parser for scripts: every line must be a command. */
    public CommandParser() {
        this(false);
    }

    /**
     * @param chatByDefault a line that does not start with a command is said to the lobby, as in an IRC client
     *                      (at a terminal); otherwise it is an unknown command (scripts)
     */
    public CommandParser(boolean chatByDefault) {
        this.chatByDefault = chatByDefault;
    }

    /**
     * Parses one line; null for a blank line or a comment ({@code # ...} at the start). As in IRC, {@code /} before a
     * command is allowed ({@code /play x}) and {@code //text} says "/text".
     */
    public Command parse(String line) throws CommandException {
        if (line == null || line.isBlank() || line.strip().startsWith("#")) {
            return null;
        }
        String trimmed = line.strip();
        boolean slashed = false;
        if (trimmed.startsWith("//")) {
            return say(trimmed.substring(1));
        }
        if (trimmed.startsWith("/")) {
            slashed = true;
            line = trimmed.substring(1);
            if (line.isBlank()) {
                throw new CommandException("a command after '/', for example /say hello");
            }
        }
        String head = line.strip().split("[ \t]", 2)[0].toLowerCase(Locale.ROOT);
        if (head.equals("say")) {
            return say(dev.thing.protocol.Tokens.restAfterVerb(line.strip()));
        }
        if (chatByDefault && !slashed && !VERBS.contains(head)) {
            List<String> near = CommandSpec.closest(head, CommandSpec.ALL.stream().map(CommandSpec::name).toList());
            if (near.isEmpty()) {
                return say(line.strip());
            }
            throw new CommandException("unknown command '" + line.strip().split("[ \t]", 2)[0] + "'"
                    + CommandSpec.didYouMean(near) + " (to say it to the lobby: say " + line.strip() + ")");
        }
        List<Word> words = split(line);
        String verb = words.get(0).text().toLowerCase(Locale.ROOT);
        List<Word> args = words.subList(1, words.size());
        try {
            return switch (verb) {
                case "help", "?" -> help(args);
                case "status" -> none(verb, args, new Command.Status());
                case "quit", "exit" -> none(verb, args, new Command.Quit());
                case "lobbies" -> send(verb, args, new ClientMessage.Lobbies());
                case "users" -> send(verb, args, new ClientMessage.Users());
                case "list" -> send(verb, args, new ClientMessage.ListSongs());
                case "queue" -> send(verb, args, new ClientMessage.ShowQueue());
                case "wanted" -> send(verb, args, new ClientMessage.ShowWanted());
                case "pause" -> send(verb, args, new ClientMessage.Pause());
                case "resume" -> send(verb, args, new ClientMessage.Resume());
                case "skip" -> send(verb, args, new ClientMessage.Skip());
                case "stop" -> send(verb, args, new ClientMessage.Stop());
                case "time" -> send(verb, args, new ClientMessage.Time(null));
                case "clear", "cls" -> none(verb, args, new Command.Clear());
                case "accept" -> new Command.Send(new ClientMessage.Accept(user(verb, args)));
                case "reject" -> new Command.Send(new ClientMessage.Reject(user(verb, args)));
                case "kick" -> new Command.Send(new ClientMessage.Kick(user(verb, args)));
                case "promote" -> new Command.Send(new ClientMessage.Promote(user(verb, args)));
                case "demote" -> new Command.Send(new ClientMessage.Demote(user(verb, args)));
                case "get" -> new Command.Send(new ClientMessage.Get(wholeTitle(verb, args)));
                case "delete" -> new Command.Send(new ClientMessage.Delete(wholeTitle(verb, args)));
                case "unwant" -> new Command.Send(new ClientMessage.Unwant(wholeTitle(verb, args)));
                case "ban" -> new Command.Send(new ClientMessage.Ban(user(verb, args)));
                case "unban" -> new Command.Send(new ClientMessage.Unban(user(verb, args)));
                case "bans" -> send(verb, args, new ClientMessage.ShowBans());
                case "claim" -> send(verb, args, new ClientMessage.Claim());
                case "unclaim" -> send(verb, args, new ClientMessage.Unclaim());
                case "register" -> register(args);
                case "password" -> password(args);
                case "seek" -> seek(args);
                case "play" -> play(args);
                case "request" -> request(args);
                case "tag" -> tag(args);
                case "autoplay" -> autoplay(args);
                case "upload" -> upload(args);
                case "vote" -> vote(args);
                case "voteshare" -> voteShare(args);
                case "unqueue" -> new Command.Send(new ClientMessage.Unqueue(position("unqueue", args, 1)[0]));
                case "move" -> {
                    int[] p = position("move", args, 2);
                    yield new Command.Send(new ClientMessage.Move(p[0], p[1]));
                }
                case "rename" -> rename(args);
                case "board" -> board(args);
                default -> throw new CommandException("unknown command '" + words.get(0).text() + "'"
                        + CommandSpec.didYouMean(CommandSpec.closest(verb,
                                CommandSpec.ALL.stream().map(CommandSpec::name).toList()))
                        + " (type 'help' for the list)");
            };
        } catch (ProtocolException e) {
            throw new CommandException(e.getMessage());
        }
    }

    private static Command say(String text) throws CommandException {
        try {
            return new Command.Send(dev.thing.protocol.Commands.say(text.strip(), "say <text>"));
        } catch (ProtocolException e) {
            throw new CommandException(e.getMessage());
        }
    }

    private static Command vote(List<Word> args) throws CommandException {
        if (args.isEmpty() || (args.size() == 1 && args.get(0).text().equalsIgnoreCase("skip"))) {
            return new Command.Send(new ClientMessage.VoteSkip());
        }
        throw usage("vote");
    }

    private static Command voteShare(List<Word> args) throws CommandException {
        if (args.isEmpty()) {
            return new Command.Send(new ClientMessage.VoteShare(null));
        }
        if (args.size() == 1) {
            String v = args.get(0).text().endsWith("%")
                    ? args.get(0).text().substring(0, args.get(0).text().length() - 1) : args.get(0).text();
            try {
                int percent = Integer.parseInt(v);
                if (percent >= 0 && percent <= 99) {
                    return new Command.Send(new ClientMessage.VoteShare(percent));
                }
            } catch (NumberFormatException e) {
                // usage below
            }
        }
        throw new CommandException("usage: " + CommandSpec.find("voteshare").orElseThrow().usage()
                + " (a whole number from 0 to 99)");
    }

    /** {@code count} queue positions (1 is next), as 'queue' numbers them. */
    private static int[] position(String verb, List<Word> args, int count) throws CommandException {
        if (args.size() != count) {
            throw usage(verb);
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            try {
                out[i] = Integer.parseInt(args.get(i).text());
            } catch (NumberFormatException e) {
                throw new CommandException("positions are the numbers 'queue' shows; usage: "
                        + CommandSpec.find(verb).orElseThrow().usage());
            }
            if (out[i] < 1) {
                throw new CommandException("positions start at 1 (the next song); usage: "
                        + CommandSpec.find(verb).orElseThrow().usage());
            }
        }
        return out;
    }

    /**
     * {@code board} alone draws the board; {@code board <subcommand> ...} is sent as {@code BOARD <SUBCOMMAND> ...},
     * read by the protocol's own parser (so the client checks exactly what the server will), with its usages
     * given in the client's words.
     */
    private static Command board(List<Word> args) throws CommandException {
        if (args.isEmpty()) {
            return new Command.ShowBoard();
        }
        List<String> tokens = args.stream().map(Word::text).toList();
        String sub = tokens.get(0).toLowerCase(Locale.ROOT);
        if (!CommandSpec.BOARD_WORDS.contains(sub)) {
            throw new CommandException("no 'board " + tokens.get(0) + "'" + CommandSpec.didYouMean(
                    CommandSpec.closest(sub, CommandSpec.BOARD_WORDS).stream().map(w -> "board " + w).toList())
                    + " (type 'help board')");
        }
        try {
            return new Command.Send(new ClientMessage.Board(dev.thing.protocol.board.BoardRequest.parse(tokens)));
        } catch (ProtocolException e) {
            if (e.getMessage().startsWith("usage: ")) {
                throw new CommandException("usage: " + CommandSpec.usageOf("board", sub));
            }
            throw new CommandException(e.getMessage());
        }
    }

    /** {@code rename <title> -> <new title>}, or a quoted title followed by the new one. */
    private static Command rename(List<Word> args) throws CommandException, ProtocolException {
        int arrow = indexOf(args, "->");
        String title;
        String newTitle;
        if (arrow > 0 && arrow < args.size() - 1) {
            title = join(args.subList(0, arrow));
            newTitle = join(args.subList(arrow + 1, args.size()));
        } else if (arrow < 0 && args.size() >= 2 && args.get(0).quoted()) {
            title = args.get(0).text();
            newTitle = join(args.subList(1, args.size()));
        } else if (arrow < 0 && args.size() == 2) {
            title = args.get(0).text();
            newTitle = args.get(1).text();
        } else {
            throw usage("rename");
        }
        Names.requireSongRef(title);
        Names.requireNewTitle(newTitle);
        return new Command.Send(new ClientMessage.Rename(title, newTitle));
    }

    private static Command help(List<Word> args) throws CommandException {
        if (args.isEmpty()) {
            return new Command.Help(null);
        }
        if (args.size() == 1 && args.get(0).text().equalsIgnoreCase("server")) {
            return new Command.Send(new ClientMessage.Help(null));
        }
        if (args.size() == 1) {
            return new Command.Help(args.get(0).text().toLowerCase(Locale.ROOT));
        }
        throw usage("help");
    }

    private static Command none(String verb, List<Word> args, Command command) throws CommandException {
        if (!args.isEmpty()) {
            throw usage(verb);
        }
        return command;
    }

    private static Command send(String verb, List<Word> args, ClientMessage message) throws CommandException {
        return none(verb, args, new Command.Send(message));
    }

    private static Command register(List<Word> args) throws CommandException, ProtocolException {
        if (args.size() != 1) {
            throw usage("register");
        }
        Names.requireNewPassword(args.get(0).text());
        return new Command.Send(new ClientMessage.Register(args.get(0).text()));
    }

    private static Command password(List<Word> args) throws CommandException, ProtocolException {
        if (args.size() != 2) {
            throw usage("password");
        }
        Names.requirePassword(args.get(0).text());
        Names.requireNewPassword(args.get(1).text());
        return new Command.Send(new ClientMessage.ChangePassword(args.get(0).text(), args.get(1).text()));
    }

    private static String user(String verb, List<Word> args) throws CommandException, ProtocolException {
        if (args.size() != 1) {
            throw usage(verb);
        }
        Names.requireName("username", args.get(0).text());
        return args.get(0).text();
    }

    private static String wholeTitle(String verb, List<Word> args) throws CommandException, ProtocolException {
        if (args.isEmpty()) {
            throw usage(verb);
        }
        String title = args.size() == 1 ? args.get(0).text() : join(args);
        Names.requireSongRef(title);
        return title;
    }

    private static Command seek(List<Word> args) throws CommandException, ProtocolException {
        if (args.size() != 1) {
            throw usage("seek");
        }
        String to = args.get(0).text();
        if (!args.get(0).quoted() && (to.startsWith("+") || to.startsWith("-")) && to.length() > 1) {
            long delta = Positions.parse(to.substring(1));
            return new Command.SeekBy(to.startsWith("-") ? -delta : delta);
        }
        return new Command.Send(new ClientMessage.Seek(Positions.parse(to)));
    }

    private static Command play(List<Word> args) throws CommandException, ProtocolException {
        if (args.isEmpty()) {
            throw usage("play");
        }
        String title;
        Long position = null;
        if (args.get(0).quoted()) {
            title = args.get(0).text();
            if (args.size() == 2) {
                position = Positions.parse(args.get(1).text());
            } else if (args.size() > 2) {
                throw usage("play");
            }
        } else {
            Word last = args.get(args.size() - 1);
            if (args.size() > 1 && !last.quoted() && CLOCK_POSITION.matcher(last.text()).matches()) {
                position = Positions.parse(last.text());
                args = args.subList(0, args.size() - 1);
            }
            title = join(args);
        }
        Names.requireSongRef(title);
        return new Command.Send(new ClientMessage.Play(title, position));
    }

    private static Command request(List<Word> args) throws CommandException, ProtocolException {
        if (args.isEmpty()) {
            throw usage("request");
        }
        String title;
        String artist = null;
        int option = indexOf(args, "--artist");
        if (option >= 0) {
            if (option == 0 || option == args.size() - 1) {
                throw usage("request");
            }
            title = join(args.subList(0, option));
            artist = join(args.subList(option + 1, args.size()));
        } else if (args.get(0).quoted()) {
            title = args.get(0).text();
            if (args.size() > 1) {
                artist = join(args.subList(1, args.size()));
            }
        } else {
            title = join(args);
        }
        Names.requireSongRef(title);
        if (artist != null) {
            Names.requireText("artist", artist, 0, Names.MAX_VALUE_CHARS);
        }
        return new Command.Send(new ClientMessage.Request(title, artist));
    }

    private static Command tag(List<Word> args) throws CommandException, ProtocolException {
        int field = -1;
        if (!args.isEmpty() && args.get(0).quoted()) {
            field = 1;
        } else {
            for (int i = 1; i < args.size(); i++) {
                if (!args.get(i).quoted() && isField(args.get(i).text())) {
                    field = i;
                    break;
                }
            }
        }
        if (field < 1 || field >= args.size() || !isField(args.get(field).text())) {
            throw usage("tag");
        }
        String title = field == 1 ? args.get(0).text() : join(args.subList(0, field));
        MetadataField which = MetadataField.valueOf(args.get(field).text().toUpperCase(Locale.ROOT));
        List<Word> rest = args.subList(field + 1, args.size());
        String value = rest.size() == 1 ? rest.get(0).text() : join(rest);
        Names.requireSongRef(title);
        Names.requireText(which.name().toLowerCase(Locale.ROOT), value, 0, Names.MAX_VALUE_CHARS);
        return new Command.Send(new ClientMessage.SongSet(title, which, value));
    }

    private static boolean isField(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return w.equals("artist") || w.equals("tag1") || w.equals("tag2");
    }

    private static Command autoplay(List<Word> args) throws CommandException {
        if (args.isEmpty()) {
            return new Command.Send(new ClientMessage.Autoplay(null));
        }
        if (args.size() == 1) {
            String v = args.get(0).text().toLowerCase(Locale.ROOT);
            if (v.equals("on") || v.equals("off")) {
                return new Command.Send(new ClientMessage.Autoplay(v.equals("on")));
            }
        }
        throw usage("autoplay");
    }

    private static Command upload(List<Word> args) throws CommandException, ProtocolException {
        int firstOption = args.size();
        for (int i = 0; i < args.size(); i++) {
            if (!args.get(i).quoted() && args.get(i).text().startsWith("--")) {
                firstOption = i;
                break;
            }
        }
        if (firstOption == 0) {
            throw usage("upload");
        }
        String file = firstOption == 1 ? args.get(0).text() : join(args.subList(0, firstOption));
        Map<String, String> options = new HashMap<>();
        int i = firstOption;
        while (i < args.size()) {
            String name = args.get(i).text().toLowerCase(Locale.ROOT);
            if (!UPLOAD_OPTIONS.contains(name)) {
                throw new CommandException("unknown upload option " + args.get(i).text() + "; usage: "
                        + CommandSpec.find("upload").orElseThrow().usage());
            }
            int j = i + 1;
            while (j < args.size() && !(!args.get(j).quoted() && args.get(j).text().startsWith("--"))) {
                j++;
            }
            List<Word> value = args.subList(i + 1, j);
            if (value.isEmpty()) {
                throw new CommandException(name + " needs a value");
            }
            if (options.put(name, value.size() == 1 ? value.get(0).text() : join(value)) != null) {
                throw new CommandException(name + " given twice");
            }
            i = j;
        }
        String title = options.get("--title");
        if (title != null) {
            Names.requireNewTitle(title);
        }
        for (String f : List.of("--artist", "--tag1", "--tag2")) {
            if (options.containsKey(f)) {
                Names.requireText(f.substring(2), options.get(f), 0, Names.MAX_VALUE_CHARS);
            }
        }
        return new Command.Upload(Path.of(expandHome(file)), title, options.get("--artist"), options.get("--tag1"),
                options.get("--tag2"));
    }

    private static String expandHome(String file) {
        if (file.equals("~") || file.startsWith("~/")) {
            return System.getProperty("user.home") + file.substring(1);
        }
        return file;
    }

    private static int indexOf(List<Word> args, String option) {
        for (int i = 0; i < args.size(); i++) {
            if (!args.get(i).quoted() && args.get(i).text().equalsIgnoreCase(option)) {
                return i;
            }
        }
        return -1;
    }

    private static String join(List<Word> words) {
        List<String> texts = new ArrayList<>();
        for (Word w : words) {
            texts.add(w.text());
        }
        return String.join(" ", texts);
    }

    private static CommandException usage(String verb) {
        return new CommandException("usage: " + CommandSpec.find(verb).map(CommandSpec::usage).orElse(verb));
    }

    /** Splits a line into words: quotes and backslash escapes keep spaces inside a word. */
    static List<Word> split(String line) throws CommandException {
        List<Word> words = new ArrayList<>();
        StringBuilder current = null;
        boolean quoted = false;
        boolean inQuotes = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inQuotes) {
                if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                    current.append(line.charAt(++i));
                } else if (c == '"') {
                    inQuotes = false;
                } else {
                    current.append(c);
                }
            } else if (c == ' ' || c == '\t') {
                if (current != null) {
                    words.add(new Word(current.toString(), quoted));
                    current = null;
                    quoted = false;
                }
            } else {
                if (current == null) {
                    current = new StringBuilder();
                }
                if (c == '"') {
                    inQuotes = true;
                    quoted = true;
                } else if (c == '\\' && i + 1 < line.length()) {
                    current.append(line.charAt(++i));
                    quoted = true;
                } else {
                    current.append(c);
                }
            }
        }
        if (inQuotes) {
            throw new CommandException("unterminated quote");
        }
        if (current != null) {
            words.add(new Word(current.toString(), quoted));
        }
        return words;
    }
}
