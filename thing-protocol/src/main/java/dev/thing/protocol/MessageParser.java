package dev.thing.protocol;

import dev.thing.protocol.ClientMessage.Join;
import dev.thing.protocol.Message.Abort;
import dev.thing.protocol.Message.Okay;
import dev.thing.protocol.Message.Send;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns one text line (without its LF) into a typed message. Chunk bodies never reach the parser: the codec
 * frames them. Every malformed line becomes a {@link ProtocolException} carrying the ERROR code to answer with.
 */
public final class MessageParser {
    private MessageParser() {
    }

    /**
     * Parses a line from a client that has not joined yet. A line whose verb works before joining (HELP, LOBBIES,
     * QUIT, CAP; see {@link Access#beforeJoin()}) is that command, whatever follows it, so {@code HELP PLAY} asks
     * for help; any other line must be {@code <lobby> <username>}. Returns null for a blank line.
     */
    public static ClientMessage parseBeforeJoin(String line) throws ProtocolException {
        List<String> tokens = Tokens.split(line);
        if (tokens.isEmpty()) {
            return null;
        }
        Optional<Command<?>> command = Commands.byVerb(tokens.get(0));
        if (command.isPresent() && command.get().access().beforeJoin()) {
            return parseClient(line);
        }
        boolean withToken = tokens.size() == 4 && tokens.get(2).equalsIgnoreCase("TOKEN");
        if (tokens.size() != 2 && tokens.size() != 3 && !withToken) {
            throw new ProtocolException(ErrorCode.SYNTAX,
                    "to join, send <lobby> <username> (two names of letters, digits, '_' or '-'), and the "
                            + "password as a third token for a registered name (or TOKEN <token> to come back); "
                            + "HELP, LOBBIES, CAP and QUIT work too");
        }
        Names.requireName("lobby name", tokens.get(0));
        Names.requireName("username", tokens.get(1));
        if (withToken) {
            Names.requireRejoinToken(tokens.get(3));
            return Join.withToken(tokens.get(0), tokens.get(1), tokens.get(3));
        }
        if (tokens.size() == 3) {
            Names.requirePassword(tokens.get(2));
            return new Join(tokens.get(0), tokens.get(1), tokens.get(2));
        }
        return new Join(tokens.get(0), tokens.get(1));
    }

    /**
     * Parses a command from a client through its declaration in {@link Commands}. Returns null for a blank line,
     * which is not a command and gets no reply.
     */
    public static ClientMessage parseClient(String line) throws ProtocolException {
        if (startsWithVerb(line, Commands.SAY.verb())) {
            // Chat is free text, like NOTIFY: quotes and backslashes in it are the speaker's, not quoting.
            return Commands.say(Tokens.restAfterVerb(line).stripTrailing(), Commands.SAY.usage());
        }
        List<String> tokens = Tokens.split(line);
        if (tokens.isEmpty()) {
            return null;
        }
        String verb = tokens.get(0);
        Optional<Command<?>> command = Commands.byVerb(verb);
        if (command.isEmpty()) {
            if (verb.equalsIgnoreCase("CHUNK")) {
                throw new ProtocolException(ErrorCode.SYNTAX, "usage: CHUNK <n> followed by n bytes (1-1000)");
            }
            throw new ProtocolException(ErrorCode.UNKNOWN_COMMAND,
                    "unknown command " + clip(verb) + "; HELP lists the commands you can use");
        }
        return (ClientMessage) command.get().parse(tokens.subList(1, tokens.size()));
    }

    private static boolean startsWithVerb(String line, String verb) {
        String t = line.stripLeading();
        return t.length() >= verb.length() && t.regionMatches(true, 0, verb, 0, verb.length())
                && (t.length() == verb.length() || t.charAt(verb.length()) == ' ' || t.charAt(verb.length()) == '\t');
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
                case "CAP": {
                    String rest = Tokens.restAfterVerb(line);
                    if (rest.isEmpty()) {
                        throw new ProtocolException(ErrorCode.SYNTAX, "usage: CAP <name> <description>");
                    }
                    return new ServerMessage.CapLine(rest.split("[ \t]", 2)[0], Tokens.restAfterVerb(rest));
                }
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
                case "BAN":
                    arity(verb, args, 3, 3, "BAN <username> <scope> <banned-by>");
                    return new ServerMessage.BanLine(args.get(0), args.get(1), args.get(2));
                case "USER": {
                    arity(verb, args, 3, 4, "USER <username> <role> <rtt-ms|-> [AWAY]");
                    Role role;
                    try {
                        role = Role.valueOf(args.get(1).toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new ProtocolException(ErrorCode.SYNTAX, "unknown role " + clip(args.get(1)));
                    }
                    OptionalDouble rtt = args.get(2).equals("-") ? OptionalDouble.empty()
                            : OptionalDouble.of(Double.parseDouble(args.get(2)));
                    return new ServerMessage.UserLine(args.get(0), role, rtt,
                            args.size() == 4 && args.get(3).equalsIgnoreCase("AWAY"));
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
                case "EVENT":
                    return event(args);
                case "BOARD":
                    return dev.thing.protocol.board.BoardLines.boardLine(args);
                case "TRACK":
                    return dev.thing.protocol.board.BoardLines.trackLine(args);
                case "ROW":
                    return dev.thing.protocol.board.BoardLines.rowLine(args);
                case "VOTESHARE":
                    arity(verb, args, 1, 1, "VOTESHARE <percent>");
                    return new ServerMessage.VoteShareLine(Integer.parseInt(args.get(0)));
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

    private static ServerMessage.Event event(List<String> args) throws ProtocolException {
        if (args.isEmpty()) {
            throw new ProtocolException(ErrorCode.SYNTAX, "EVENT without a kind");
        }
        String kind = args.get(0).toUpperCase(Locale.ROOT);
        List<String> a = args.subList(1, args.size());
        try {
            switch (kind) {
                case "MEMBER":
                    arity("EVENT MEMBER", a, 2, 2, "EVENT MEMBER <username> <role>");
                    return new ServerMessage.MemberEvent(a.get(0), Role.valueOf(a.get(1).toUpperCase(Locale.ROOT)));
                case "GONE":
                    arity("EVENT GONE", a, 2, 2, "EVENT GONE <username> QUIT|KICKED|DISCONNECTED|REPLACED");
                    return new ServerMessage.GoneEvent(a.get(0),
                            ServerMessage.Departure.valueOf(a.get(1).toUpperCase(Locale.ROOT)));
                case "WAITING":
                    arity("EVENT WAITING", a, 1, 1, "EVENT WAITING <username>");
                    return new ServerMessage.WaitingEvent(a.get(0));
                case "DECIDED":
                    arity("EVENT DECIDED", a, 2, 2, "EVENT DECIDED <username> <decision>");
                    return new ServerMessage.DecidedEvent(a.get(0),
                            ServerMessage.Decision.valueOf(a.get(1).toUpperCase(Locale.ROOT)));
                case "APPROVAL":
                    arity("EVENT APPROVAL", a, 2, 2, "EVENT APPROVAL <lobby> <state>");
                    return new ServerMessage.ApprovalEvent(a.get(0),
                            ServerMessage.Approval.valueOf(a.get(1).toUpperCase(Locale.ROOT)));
                case "DELETED":
                    arity("EVENT DELETED", a, 1, 1, "EVENT DELETED <title>");
                    return new ServerMessage.DeletedEvent(a.get(0));
                case "SAID":
                    arity("EVENT SAID", a, 2, 2, "EVENT SAID <username> <text>");
                    return new ServerMessage.SaidEvent(a.get(0), a.get(1));
                case "VOTES":
                    arity("EVENT VOTES", a, 3, 3, "EVENT VOTES <title> <votes> <needed>");
                    return new ServerMessage.VotesEvent(a.get(0), Integer.parseInt(a.get(1)),
                            Integer.parseInt(a.get(2)));
                case "RENAMED":
                    arity("EVENT RENAMED", a, 2, 2, "EVENT RENAMED <title> <new-title>");
                    return new ServerMessage.RenamedEvent(a.get(0), a.get(1));
                case "BOARD":
                    return dev.thing.protocol.board.BoardLines.event(a);
                case "AWAY":
                    arity("EVENT AWAY", a, 2, 2, "EVENT AWAY <username> <seconds>");
                    return new ServerMessage.AwayEvent(a.get(0), Long.parseLong(a.get(1)));
                case "BACK":
                    arity("EVENT BACK", a, 1, 1, "EVENT BACK <username>");
                    return new ServerMessage.BackEvent(a.get(0));
                case "BY":
                    arity("EVENT BY", a, 2, 2, "EVENT BY <username> <action>");
                    return new ServerMessage.ByEvent(a.get(0),
                            ServerMessage.PlaybackAction.valueOf(a.get(1).toUpperCase(java.util.Locale.ROOT)));
                case "TOKEN":
                    arity("EVENT TOKEN", a, 2, 2, "EVENT TOKEN <lobby> <token>");
                    return new ServerMessage.TokenEvent(a.get(0), a.get(1));
                case "ENTRY":
                    arity("EVENT ENTRY", a, 4, 4, "EVENT ENTRY <n> <id> <title> <requested-by>");
                    return new ServerMessage.EntryEvent(Integer.parseInt(a.get(0)), Long.parseLong(a.get(1)),
                            a.get(2), a.get(3));
                case "QUEUE":
                    arity("EVENT QUEUE", a, 1, 1, "EVENT QUEUE <length>");
                    return new ServerMessage.QueueEvent(Integer.parseInt(a.get(0)));
                default:
                    throw new ProtocolException(ErrorCode.UNKNOWN_COMMAND, "unknown event " + clip(kind));
            }
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.SYNTAX, "bad value in EVENT " + kind + " line");
        }
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
