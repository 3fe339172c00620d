package dev.thing.protocol;

import dev.thing.protocol.ClientMessage.Accept;
import dev.thing.protocol.ClientMessage.Autoplay;
import dev.thing.protocol.ClientMessage.Delete;
import dev.thing.protocol.ClientMessage.Demote;
import dev.thing.protocol.ClientMessage.Get;
import dev.thing.protocol.ClientMessage.Help;
import dev.thing.protocol.ClientMessage.Join;
import dev.thing.protocol.ClientMessage.Kick;
import dev.thing.protocol.ClientMessage.Play;
import dev.thing.protocol.ClientMessage.Promote;
import dev.thing.protocol.ClientMessage.Reject;
import dev.thing.protocol.ClientMessage.Request;
import dev.thing.protocol.ClientMessage.Seek;
import dev.thing.protocol.ClientMessage.SongSet;
import dev.thing.protocol.ClientMessage.Time;
import dev.thing.protocol.Message.Abort;
import dev.thing.protocol.Message.Okay;
import dev.thing.protocol.Message.Send;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Turns one text line (without its LF) into a typed message. Chunk bodies never reach the parser: the codec
 * frames them. Every malformed line becomes a {@link ProtocolException} carrying the ERROR code to answer with.
 */
public final class MessageParser {
    private MessageParser() {
    }

    /** The verbs a client may send; anything else before joining is taken as a join line. */
    public static final List<String> CLIENT_VERBS = List.of("HELP", "QUIT", "LOBBIES", "USERS", "LIST", "GET",
            "TIME", "REQUEST", "QUEUE", "WANTED", "PLAY", "PAUSE", "RESUME", "SEEK", "SKIP", "STOP", "ACCEPT",
            "REJECT", "PROMOTE", "DEMOTE", "KICK", "DELETE", "SONG", "SEND", "OKAY", "ABORT", "AUTOPLAY");

    /** The verbs of the commands that work before a client has joined a lobby. */
    public static final List<String> PRE_JOIN_VERBS = List.of("HELP", "LOBBIES", "QUIT");

    /**
     * Parses a line from a client that has not joined yet: a lone HELP, LOBBIES or QUIT, or
     * {@code <lobby> <username>} (so "help bob" joins the lobby called help).
     */
    public static ClientMessage parseBeforeJoin(String line) throws ProtocolException {
        List<String> tokens = Tokens.split(line);
        if (tokens.isEmpty()) {
            return null;
        }
        String verb = tokens.get(0).toUpperCase(Locale.ROOT);
        if (tokens.size() == 1 && PRE_JOIN_VERBS.contains(verb)) {
            return parseClient(line);
        }
        if (tokens.size() != 2) {
            throw new ProtocolException(ErrorCode.SYNTAX,
                    "to join, send <lobby> <username> (two names of letters, digits, '_' or '-'); "
                            + "HELP, LOBBIES and QUIT work too");
        }
        Names.requireName("lobby name", tokens.get(0));
        Names.requireName("username", tokens.get(1));
        return new Join(tokens.get(0), tokens.get(1));
    }

    /**
     * Parses a command from a client. Returns null for a blank line, which is not a command and gets no reply.
     */
    public static ClientMessage parseClient(String line) throws ProtocolException {
        List<String> tokens = Tokens.split(line);
        if (tokens.isEmpty()) {
            return null;
        }
        String verb = tokens.get(0).toUpperCase(Locale.ROOT);
        List<String> args = tokens.subList(1, tokens.size());
        switch (verb) {
            case "HELP":
                arity(verb, args, 0, 1, "HELP [<command>]");
                return new Help(args.isEmpty() ? null : args.get(0).toUpperCase(Locale.ROOT));
            case "QUIT":
                arity(verb, args, 0, 0, "QUIT");
                return new ClientMessage.Quit();
            case "LOBBIES":
                arity(verb, args, 0, 0, "LOBBIES");
                return new ClientMessage.Lobbies();
            case "USERS":
                arity(verb, args, 0, 0, "USERS");
                return new ClientMessage.Users();
            case "LIST":
                arity(verb, args, 0, 0, "LIST");
                return new ClientMessage.ListSongs();
            case "QUEUE":
                arity(verb, args, 0, 0, "QUEUE");
                return new ClientMessage.ShowQueue();
            case "WANTED":
                arity(verb, args, 0, 0, "WANTED");
                return new ClientMessage.ShowWanted();
            case "PAUSE":
                arity(verb, args, 0, 0, "PAUSE");
                return new ClientMessage.Pause();
            case "RESUME":
                arity(verb, args, 0, 0, "RESUME");
                return new ClientMessage.Resume();
            case "SKIP":
                arity(verb, args, 0, 0, "SKIP");
                return new ClientMessage.Skip();
            case "STOP":
                arity(verb, args, 0, 0, "STOP");
                return new ClientMessage.Stop();
            case "ABORT":
                arity(verb, args, 0, 0, "ABORT");
                return new Abort();
            case "GET":
                return new Get(songRest(verb, args, "GET <title>"));
            case "DELETE":
                return new Delete(songRest(verb, args, "DELETE <title>"));
            case "TIME":
                arity(verb, args, 0, 1, "TIME [<token>]");
                return new Time(args.isEmpty() ? null : args.get(0));
            case "OKAY":
                return new Okay(args.isEmpty() ? null : String.join(" ", args));
            case "REQUEST": {
                arity(verb, args, 1, 2, "REQUEST <title> [<artist>] (quote titles with spaces)");
                Names.requireSongRef(args.get(0));
                String artist = args.size() > 1 ? args.get(1) : null;
                if (artist != null) {
                    Names.requireText("artist", artist, 0, Names.MAX_VALUE_CHARS);
                }
                return new Request(args.get(0), artist);
            }
            case "PLAY": {
                arity(verb, args, 1, 2, "PLAY <title> [<position-ms>] (quote titles with spaces)");
                Names.requireSongRef(args.get(0));
                Long position = args.size() > 1 ? Positions.parse(args.get(1)) : null;
                return new Play(args.get(0), position);
            }
            case "SEEK":
                arity(verb, args, 1, 1, "SEEK <position-ms>");
                return new Seek(Positions.parse(args.get(0)));
            case "ACCEPT":
                return new Accept(username(verb, args));
            case "REJECT":
                return new Reject(username(verb, args));
            case "PROMOTE":
                return new Promote(username(verb, args));
            case "DEMOTE":
                return new Demote(username(verb, args));
            case "KICK":
                return new Kick(username(verb, args));
            case "SONG":
                return songSet(args);
            case "SEND": {
                arity(verb, args, 1, 4, "SEND <title> [<artist> [<tag1> [<tag2>]]]");
                Names.requireNewTitle(args.get(0));
                for (int i = 1; i < args.size(); i++) {
                    Names.requireText(i == 1 ? "artist" : "tag" + (i - 1), args.get(i), 0, Names.MAX_VALUE_CHARS);
                }
                return new Send(args.get(0), opt(args, 1), opt(args, 2), opt(args, 3));
            }
            case "AUTOPLAY": {
                arity(verb, args, 0, 1, "AUTOPLAY [ON|OFF]");
                if (args.isEmpty()) {
                    return new Autoplay(null);
                }
                String value = args.get(0).toUpperCase(Locale.ROOT);
                if (!value.equals("ON") && !value.equals("OFF")) {
                    throw new ProtocolException(ErrorCode.SYNTAX, "usage: AUTOPLAY [ON|OFF]");
                }
                return new Autoplay(value.equals("ON"));
            }
            case "CHUNK":
                throw new ProtocolException(ErrorCode.SYNTAX, "usage: CHUNK <n> followed by n bytes (1-1000)");
            default:
                throw new ProtocolException(ErrorCode.UNKNOWN_COMMAND,
                        "unknown command " + clip(tokens.get(0)) + "; HELP lists the commands you can use");
        }
    }

    /** Parses a line from the server, as a client sees it. */
    public static ServerMessage parseServer(String line) throws ProtocolException {
        String[] words = line.strip().split("[ \t]+");
        if (!(words.length == 2 && words[1].equals("TAKEN"))) {
            // Free-text lines are not tokenized: their text may hold stray quotes and backslashes.
            switch (words[0].toUpperCase(Locale.ROOT)) {
                case "NOTIFY":
                    return new ServerMessage.Notify(Tokens.restAfterVerb(line));
                case "HELP":
                    return new ServerMessage.HelpLine(Tokens.restAfterVerb(line));
                case "ERROR": {
                    String rest = Tokens.restAfterVerb(line);
                    if (rest.isEmpty()) {
                        throw new ProtocolException(ErrorCode.SYNTAX, "ERROR without a code");
                    }
                    String code = rest.split("[ \t]", 2)[0];
                    return new ServerMessage.Error(ErrorCode.fromWire(code), Tokens.restAfterVerb(rest));
                }
                default:
                    break;
            }
        }
        List<String> tokens = Tokens.split(line);
        if (tokens.isEmpty()) {
            throw new ProtocolException(ErrorCode.SYNTAX, "empty line from server");
        }
        if (tokens.size() == 2 && tokens.get(1).equals("TAKEN") && Names.isValidName(tokens.get(0))
                && !tokens.get(0).equalsIgnoreCase("PING") && !tokens.get(0).equalsIgnoreCase("OKAY")) {
            return new ServerMessage.Taken(tokens.get(0));
        }
        String verb = tokens.get(0).toUpperCase(Locale.ROOT);
        List<String> args = tokens.subList(1, tokens.size());
        try {
            switch (verb) {
                case "NOTIFY":
                    return new ServerMessage.Notify(Tokens.restAfterVerb(line));
                case "ERROR": {
                    if (args.isEmpty()) {
                        throw new ProtocolException(ErrorCode.SYNTAX, "ERROR without a code");
                    }
                    String rest = Tokens.restAfterVerb(line);
                    String text = Tokens.restAfterVerb(rest);
                    return new ServerMessage.Error(ErrorCode.fromWire(args.get(0)), text);
                }
                case "OKAY":
                    return new Okay(args.isEmpty() ? null : String.join(" ", args));
                case "ABORT":
                    return new Abort();
                case "UPDATE":
                    arity(verb, args, 4, 4, "UPDATE <title> <artist> <tag1> <tag2>");
                    return new ServerMessage.Update(args.get(0), args.get(1), args.get(2), args.get(3));
                case "PING":
                    arity(verb, args, 0, 1, "PING [<token>]");
                    return new ServerMessage.Ping(args.isEmpty() ? null : args.get(0));
                case "SEND":
                    arity(verb, args, 1, 4, "SEND <title> [<artist> [<tag1> [<tag2>]]]");
                    return new Send(args.get(0), opt(args, 1), opt(args, 2), opt(args, 3));
                case "PLAY":
                    arity(verb, args, 3, 3, "PLAY <title> <start-us> <position-ms>");
                    return new ServerMessage.PlayEvent(args.get(0), Long.parseLong(args.get(1)),
                            Long.parseLong(args.get(2)));
                case "PAUSE":
                    arity(verb, args, 2, 2, "PAUSE <title> <position-ms>");
                    return new ServerMessage.PauseEvent(args.get(0), Long.parseLong(args.get(1)));
                case "STOP":
                    return new ServerMessage.StopEvent();
                case "TIME":
                    arity(verb, args, 1, 2, "TIME [<token>] <server-time-us>");
                    return args.size() == 1
                            ? new ServerMessage.TimeReply(null, Long.parseLong(args.get(0)))
                            : new ServerMessage.TimeReply(args.get(0), Long.parseLong(args.get(1)));
                case "HELP":
                    return new ServerMessage.HelpLine(Tokens.restAfterVerb(line));
                case "LOBBY":
                    arity(verb, args, 3, 3, "LOBBY <name> <members> <pending>");
                    return new ServerMessage.LobbyLine(args.get(0), Integer.parseInt(args.get(1)),
                            Integer.parseInt(args.get(2)));
                case "USER": {
                    arity(verb, args, 3, 3, "USER <username> <role> <rtt-ms|->");
                    Role role;
                    try {
                        role = Role.valueOf(args.get(1).toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new ProtocolException(ErrorCode.SYNTAX, "unknown role " + clip(args.get(1)));
                    }
                    OptionalDouble rtt = args.get(2).equals("-") ? OptionalDouble.empty()
                            : OptionalDouble.of(Double.parseDouble(args.get(2)));
                    return new ServerMessage.UserLine(args.get(0), role, rtt);
                }
                case "SONG":
                    arity(verb, args, 8, 8,
                            "SONG <id> <title> <artist> <tag1> <tag2> <duration-ms> <size-bytes> <hash>");
                    return new ServerMessage.SongLine(Long.parseLong(args.get(0)), args.get(1), args.get(2),
                            args.get(3), args.get(4), Long.parseLong(args.get(5)), Long.parseLong(args.get(6)),
                            args.get(7));
                case "ENTRY":
                    arity(verb, args, 4, 4, "ENTRY <n> <id> <title> <requested-by>");
                    return new ServerMessage.EntryLine(Integer.parseInt(args.get(0)), Long.parseLong(args.get(1)),
                            args.get(2), args.get(3));
                case "WISH":
                    arity(verb, args, 4, 4, "WISH <title> <artist> <requested-by> <lobby>");
                    return new ServerMessage.WishLine(args.get(0), args.get(1), args.get(2), args.get(3));
                case "AUTOPLAY":
                    arity(verb, args, 1, 1, "AUTOPLAY ON|OFF");
                    return new ServerMessage.AutoplayLine(args.get(0).equalsIgnoreCase("ON"));
                default:
                    throw new ProtocolException(ErrorCode.UNKNOWN_COMMAND, "unknown server line " + clip(verb));
            }
        } catch (NumberFormatException e) {
            throw new ProtocolException(ErrorCode.SYNTAX, "bad number in " + verb + " line");
        }
    }

    private static SongSet songSet(List<String> args) throws ProtocolException {
        String usage = "SONG <title> SET TAG1|TAG2|ARTIST <value>";
        if (args.size() < 4 || !args.get(1).equalsIgnoreCase("SET")) {
            throw new ProtocolException(ErrorCode.SYNTAX, "usage: " + usage + " (quote titles with spaces)");
        }
        Names.requireSongRef(args.get(0));
        MetadataField field;
        try {
            field = MetadataField.valueOf(args.get(2).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.SYNTAX,
                    "SONG ... SET takes TAG1, TAG2 or ARTIST, not " + clip(args.get(2)));
        }
        String value = String.join(" ", args.subList(3, args.size()));
        Names.requireText(field.name().toLowerCase(Locale.ROOT), value, 0, Names.MAX_VALUE_CHARS);
        return new SongSet(args.get(0), field, value);
    }

    private static String songRest(String verb, List<String> args, String usage) throws ProtocolException {
        if (args.isEmpty()) {
            throw new ProtocolException(ErrorCode.SYNTAX, "usage: " + usage);
        }
        String ref = String.join(" ", args);
        Names.requireSongRef(ref);
        return ref;
    }

    private static String username(String verb, List<String> args) throws ProtocolException {
        arity(verb, args, 1, 1, verb + " <username>");
        Names.requireName("username", args.get(0));
        return args.get(0);
    }

    private static void arity(String verb, List<String> args, int min, int max, String usage)
            throws ProtocolException {
        if (args.size() < min || args.size() > max) {
            throw new ProtocolException(ErrorCode.SYNTAX, "usage: " + usage);
        }
    }

    private static String opt(List<String> args, int index) {
        return args.size() > index ? args.get(index) : null;
    }

    private static String clip(String text) {
        String safe = Names.oneLine(text);
        return safe.length() > 40 ? safe.substring(0, 40) + "..." : safe;
    }
}
