package dev.thing.protocol;

import dev.thing.protocol.ClientMessage.Accept;
import dev.thing.protocol.ClientMessage.Autoplay;
import dev.thing.protocol.ClientMessage.Cap;
import dev.thing.protocol.ClientMessage.Delete;
import dev.thing.protocol.ClientMessage.Demote;
import dev.thing.protocol.ClientMessage.Get;
import dev.thing.protocol.ClientMessage.Help;
import dev.thing.protocol.ClientMessage.Kick;
import dev.thing.protocol.ClientMessage.ListSongs;
import dev.thing.protocol.ClientMessage.Lobbies;
import dev.thing.protocol.ClientMessage.Pause;
import dev.thing.protocol.ClientMessage.Play;
import dev.thing.protocol.ClientMessage.Promote;
import dev.thing.protocol.ClientMessage.Quit;
import dev.thing.protocol.ClientMessage.Reject;
import dev.thing.protocol.ClientMessage.Request;
import dev.thing.protocol.ClientMessage.Resume;
import dev.thing.protocol.ClientMessage.Seek;
import dev.thing.protocol.ClientMessage.ShowQueue;
import dev.thing.protocol.ClientMessage.ShowWanted;
import dev.thing.protocol.ClientMessage.Skip;
import dev.thing.protocol.ClientMessage.SongSet;
import dev.thing.protocol.ClientMessage.Stop;
import dev.thing.protocol.ClientMessage.Time;
import dev.thing.protocol.ClientMessage.Users;
import dev.thing.protocol.Message.Abort;
import dev.thing.protocol.Message.Okay;
import dev.thing.protocol.Message.Send;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every command a client may send, each declared once (see {@link Command}), in HELP's order. The parser and the
 * writer dispatch on this table; the server binds one handler to each entry and checks {@link Command#access()}
 * before it runs; the terminal client completes and checks verbs from it.
 */
public final class Commands {
    private static final Map<String, Command<?>> BY_VERB = new LinkedHashMap<>();
    private static final Map<Class<?>, Command<?>> BY_TYPE = new LinkedHashMap<>();

    public static final Command<Help> HELP = add("HELP", Help.class, "HELP [<command>]", "the commands open to you",
            Access.ALWAYS, (a, u) -> {
                arity(a, 0, 1, u);
                return new Help(a.isEmpty() ? null : a.get(0).toUpperCase(Locale.ROOT));
            }, m -> opt(m.topic()));
    public static final Command<Cap> CAP = add("CAP", Cap.class, "CAP [<name>...]",
            "list what the server offers, or turn capabilities on for this connection", Access.ALWAYS, (a, u) -> {
                List<Capability> names = new ArrayList<>();
                for (String name : a) {
                    names.add(Capability.named(name).orElseThrow(() -> new ProtocolException(ErrorCode.SYNTAX,
                            "unknown capability " + clip(name) + "; CAP lists them")));
                }
                return new Cap(List.copyOf(names));
            }, m -> m.names().stream().map(Capability::name).toList());
    public static final Command<Quit> QUIT = add("QUIT", Quit.class, "QUIT", "leave; the server closes the connection",
            Access.ALWAYS, none(Quit::new), m -> List.of());
    public static final Command<Lobbies> LOBBIES = add("LOBBIES", Lobbies.class, "LOBBIES",
            "the lobbies with their member and pending counts", Access.NOT_PENDING, none(Lobbies::new), m -> List.of());
    public static final Command<Users> USERS = add("USERS", Users.class, "USERS",
            "the lobby's members with role and round-trip time", Access.MEMBER, none(Users::new), m -> List.of());
    public static final Command<ListSongs> LIST = add("LIST", ListSongs.class, "LIST",
            "the library: id, title, artist, tag1, tag2, duration", Access.MEMBER, none(ListSongs::new),
            m -> List.of());
    public static final Command<Get> GET = add("GET", Get.class, "GET <title>", "download a song (a SEND transfer)",
            Access.MEMBER, (a, u) -> new Get(songRest(a, u)), m -> List.of(m.song()));
    public static final Command<Time> TIME = add("TIME", Time.class, "TIME [<token>]",
            "the server's clock in microseconds", Access.MEMBER, (a, u) -> {
                arity(a, 0, 1, u);
                return new Time(a.isEmpty() ? null : a.get(0));
            }, m -> opt(m.token()));
    public static final Command<Request> REQUEST = add("REQUEST", Request.class, "REQUEST <title> [<artist>]",
            "queue a song; one not in the library goes on the wanted list", Access.MEMBER, (a, u) -> {
                arity(a, 1, 2, u + " (quote titles with spaces)");
                Names.requireSongRef(a.get(0));
                String artist = a.size() > 1 ? a.get(1) : null;
                if (artist != null) {
                    Names.requireText("artist", artist, 0, Names.MAX_VALUE_CHARS);
                }
                return new Request(a.get(0), artist);
            }, m -> m.artist() == null ? List.of(m.song()) : List.of(m.song(), m.artist()));
    public static final Command<ShowQueue> QUEUE = add("QUEUE", ShowQueue.class, "QUEUE",
            "the lobby's queue, with who asked", Access.MEMBER, none(ShowQueue::new), m -> List.of());
    public static final Command<ShowWanted> WANTED = add("WANTED", ShowWanted.class, "WANTED",
            "songs requested but not in the library", Access.MODERATOR, none(ShowWanted::new), m -> List.of());
    public static final Command<ClientMessage.Unwant> UNWANT = add("UNWANT", ClientMessage.Unwant.class,
            "UNWANT <title>", "take a wish off the wanted list (your own; staff: any of the lobby's)", Access.MEMBER,
            (a, u) -> new ClientMessage.Unwant(songRest(a, u)), m -> List.of(m.song()));
    public static final Command<Accept> ACCEPT = add("ACCEPT", Accept.class, "ACCEPT <username>",
            "let a waiting joiner in", Access.MODERATOR, (a, u) -> new Accept(username(a, u)),
            m -> List.of(m.username()));
    public static final Command<Reject> REJECT = add("REJECT", Reject.class, "REJECT <username>",
            "turn a waiting joiner away", Access.MODERATOR, (a, u) -> new Reject(username(a, u)),
            m -> List.of(m.username()));
    public static final Command<Play> PLAY = add("PLAY", Play.class, "PLAY <title> [<position-ms>|<m:ss>]",
            "play a song for the lobby", Access.MODERATOR, (a, u) -> {
                arity(a, 1, 2, u + " (quote titles with spaces)");
                Names.requireSongRef(a.get(0));
                return new Play(a.get(0), a.size() > 1 ? Positions.parse(a.get(1)) : null);
            }, m -> m.positionMs() == null ? List.of(m.song()) : List.of(m.song(), Long.toString(m.positionMs())));
    public static final Command<Pause> PAUSE = add("PAUSE", Pause.class, "PAUSE", "pause the lobby's song",
            Access.MODERATOR, none(Pause::new), m -> List.of());
    public static final Command<Resume> RESUME = add("RESUME", Resume.class, "RESUME", "resume the paused song",
            Access.MODERATOR, none(Resume::new), m -> List.of());
    public static final Command<Seek> SEEK = add("SEEK", Seek.class, "SEEK <position-ms>|<m:ss>",
            "move the song to a position", Access.MODERATOR, (a, u) -> {
                arity(a, 1, 1, u);
                return new Seek(Positions.parse(a.get(0)));
            }, m -> List.of(Long.toString(m.positionMs())));
    public static final Command<Skip> SKIP = add("SKIP", Skip.class, "SKIP", "go to the next song in the queue",
            Access.MODERATOR, none(Skip::new), m -> List.of());
    public static final Command<Stop> STOP = add("STOP", Stop.class, "STOP", "stop playback", Access.MODERATOR,
            none(Stop::new), m -> List.of());
    public static final Command<Kick> KICK = add("KICK", Kick.class, "KICK <username>",
            "disconnect a member (moderators: users only)", Access.MODERATOR, (a, u) -> new Kick(username(a, u)),
            m -> List.of(m.username()));
    public static final Command<Promote> PROMOTE = add("PROMOTE", Promote.class, "PROMOTE <username>",
            "make a member a moderator", Access.ADMIN, (a, u) -> new Promote(username(a, u)),
            m -> List.of(m.username()));
    public static final Command<Demote> DEMOTE = add("DEMOTE", Demote.class, "DEMOTE <username>",
            "make a moderator a plain user again", Access.ADMIN, (a, u) -> new Demote(username(a, u)),
            m -> List.of(m.username()));
    public static final Command<Send> SEND = add("SEND", Send.class, "SEND <title> [<artist> [<tag1> [<tag2>]]]",
            "upload a song: CHUNK <n> lines each followed by n bytes (1-1000), then OKAY (or ABORT)", Access.ADMIN,
            (a, u) -> {
                arity(a, 1, 4, u);
                Names.requireNewTitle(a.get(0));
                for (int i = 1; i < a.size(); i++) {
                    Names.requireText(i == 1 ? "artist" : "tag" + (i - 1), a.get(i), 0, Names.MAX_VALUE_CHARS);
                }
                return new Send(a.get(0), opt(a, 1), opt(a, 2), opt(a, 3));
            }, m -> trailing(m.title(), m.artist(), m.tag1(), m.tag2()));
    public static final Command<SongSet> SONG = add("SONG", SongSet.class,
            "SONG <title> SET TAG1|TAG2|ARTIST <value>", "edit a song's metadata (its uploader or an operator)",
            Access.MEMBER,
            Commands::songSet, m -> List.of(m.song(), "SET", m.field().name(), m.value()));
    public static final Command<Delete> DELETE = add("DELETE", Delete.class, "DELETE <title>",
            "remove a song from the library (its uploader or an operator)", Access.MEMBER, (a, u) -> new Delete(songRest(a, u)),
            m -> List.of(m.song()));
    public static final Command<Autoplay> AUTOPLAY = add("AUTOPLAY", Autoplay.class, "AUTOPLAY [ON|OFF]",
            "play random songs when the queue runs dry", Access.ADMIN, (a, u) -> {
                arity(a, 0, 1, u);
                if (a.isEmpty()) {
                    return new Autoplay(null);
                }
                String value = a.get(0).toUpperCase(Locale.ROOT);
                if (!value.equals("ON") && !value.equals("OFF")) {
                    throw new ProtocolException(ErrorCode.SYNTAX, "usage: " + u);
                }
                return new Autoplay(value.equals("ON"));
            }, m -> m.on() == null ? List.of() : List.of(m.on() ? "ON" : "OFF"));
    public static final Command<ClientMessage.Register> REGISTER = add("REGISTER", ClientMessage.Register.class,
            "REGISTER <password>", "register your username on this server; from then on join with your "
                    + "password as a third word", Access.MEMBER, (a, u) -> {
                arity(a, 1, 1, u + " (quote a password with spaces)");
                Names.requireNewPassword(a.get(0));
                return new ClientMessage.Register(a.get(0));
            }, m -> List.of(m.password()), EnumSet.of(Standing.GUEST));
    public static final Command<ClientMessage.ChangePassword> PASSWORD = add("PASSWORD",
            ClientMessage.ChangePassword.class, "PASSWORD <old> <new>", "change your account's password",
            Access.MEMBER, (a, u) -> {
                arity(a, 2, 2, u + " (quote a password with spaces)");
                Names.requirePassword(a.get(0));
                Names.requireNewPassword(a.get(1));
                return new ClientMessage.ChangePassword(a.get(0), a.get(1));
            }, m -> List.of(m.oldPassword(), m.newPassword()), EnumSet.of(Standing.REGISTERED, Standing.OPERATOR));
    public static final Command<ClientMessage.Claim> CLAIM = add("CLAIM", ClientMessage.Claim.class, "CLAIM",
            "keep this lobby yours: it outlives empty periods and restarts, and you are its admin whenever present",
            Access.ADMIN, none(ClientMessage.Claim::new), m -> List.of(),
            EnumSet.of(Standing.REGISTERED, Standing.OPERATOR));
    public static final Command<ClientMessage.Unclaim> UNCLAIM = add("UNCLAIM", ClientMessage.Unclaim.class,
            "UNCLAIM", "give up the claim on this lobby (its owner or an operator)", Access.ADMIN,
            none(ClientMessage.Unclaim::new), m -> List.of(), EnumSet.of(Standing.REGISTERED, Standing.OPERATOR));
    public static final Command<ClientMessage.Ban> BAN = add("BAN", ClientMessage.Ban.class, "BAN <username>",
            "remove someone and bar the name from this lobby (moderators: users only)", Access.MODERATOR,
            (a, u) -> new ClientMessage.Ban(username(a, u)), m -> List.of(m.username()));
    public static final Command<ClientMessage.Unban> UNBAN = add("UNBAN", ClientMessage.Unban.class,
            "UNBAN <username>", "lift a ban", Access.MODERATOR, (a, u) -> new ClientMessage.Unban(username(a, u)),
            m -> List.of(m.username()));
    public static final Command<ClientMessage.ShowBans> BANS = add("BANS", ClientMessage.ShowBans.class, "BANS",
            "the lobby's bans", Access.MODERATOR, none(ClientMessage.ShowBans::new), m -> List.of());
    public static final Command<ClientMessage.Say> SAY = add("SAY", ClientMessage.Say.class, "SAY <text>",
            "say something to your lobby (at most " + Names.MAX_CHAT_CHARS + " characters)", Access.MEMBER,
            (a, u) -> say(String.join(" ", a), u), m -> List.of(m.text()));
    public static final Command<ClientMessage.VoteSkip> VOTE = add("VOTE", ClientMessage.VoteSkip.class, "VOTE SKIP",
            "vote to skip the song playing; enough votes skip it", Access.MEMBER, (a, u) -> {
                if (a.size() != 1 || !a.get(0).equalsIgnoreCase("SKIP")) {
                    throw new ProtocolException(ErrorCode.SYNTAX, "usage: " + u);
                }
                return new ClientMessage.VoteSkip();
            }, m -> List.of("SKIP"));
    public static final Command<ClientMessage.VoteShare> VOTESHARE = add("VOTESHARE", ClientMessage.VoteShare.class,
            "VOTESHARE [<percent>]", "show or set the share of members (0-99 %) whose skip votes must be passed",
            Access.MODERATOR, (a, u) -> {
                arity(a, 0, 1, u);
                return new ClientMessage.VoteShare(a.isEmpty() ? null : number(a.get(0), 0, 99, "percent", u));
            }, m -> opt(m.percent() == null ? null : Integer.toString(m.percent())));
    public static final Command<ClientMessage.Unqueue> UNQUEUE = add("UNQUEUE", ClientMessage.Unqueue.class,
            "UNQUEUE <position>", "take a song off the queue (your own; staff: any)", Access.MEMBER, (a, u) -> {
                arity(a, 1, 1, u);
                return new ClientMessage.Unqueue(number(a.get(0), 1, Integer.MAX_VALUE, "position", u));
            }, m -> List.of(Integer.toString(m.position())));
    public static final Command<ClientMessage.Move> MOVE = add("MOVE", ClientMessage.Move.class,
            "MOVE <position> <new-position>", "move a song in the queue", Access.MODERATOR, (a, u) -> {
                arity(a, 2, 2, u);
                return new ClientMessage.Move(number(a.get(0), 1, Integer.MAX_VALUE, "position", u),
                        number(a.get(1), 1, Integer.MAX_VALUE, "new position", u));
            }, m -> List.of(Integer.toString(m.position()), Integer.toString(m.newPosition())));
    public static final Command<ClientMessage.Rename> RENAME = add("RENAME", ClientMessage.Rename.class,
            "RENAME <title> <new-title>",
            "give a song a new title (its uploader or an operator; quote titles with spaces)", Access.MEMBER,
            (a, u) -> {
                arity(a, 2, 2, u + " (quote titles with spaces)");
                Names.requireSongRef(a.get(0));
                Names.requireNewTitle(a.get(1));
                return new ClientMessage.Rename(a.get(0), a.get(1));
            }, m -> List.of(m.song(), m.newTitle()));
    public static final Command<ClientMessage.Board> BOARD = add("BOARD", ClientMessage.Board.class,
            dev.thing.protocol.board.BoardRequest.USAGE,
            "the lobby's two-track board: show it, take a seat, set rows, tempo, size, instruments, start and stop",
            Access.MEMBER, (a, u) -> new ClientMessage.Board(dev.thing.protocol.board.BoardRequest.parse(a)),
            m -> dev.thing.protocol.board.BoardRequest.args(m.request()));
    /** The answer to a PING ({@code OKAY <token>}), or the end of an upload; not listed by HELP. */
    public static final Command<Okay> OKAY = add("OKAY", Okay.class, "OKAY [<token>]", null, Access.ALWAYS,
            (a, u) -> new Okay(a.isEmpty() ? null : String.join(" ", a)), m -> okayWords(m.detail()));
    /** Cancels a transfer; outside one it is refused. Not listed by HELP. */
    public static final Command<Abort> ABORT = add("ABORT", Abort.class, "ABORT", null, Access.MEMBER,
            none(Abort::new), m -> List.of());

    private Commands() {
    }

    /** Every declaration, in HELP's order. */
    public static List<Command<?>> all() {
        return Collections.unmodifiableList(new ArrayList<>(BY_VERB.values()));
    }

    /** The command with this verb, any case. */
    public static Optional<Command<?>> byVerb(String verb) {
        return Optional.ofNullable(BY_VERB.get(verb.toUpperCase(Locale.ROOT)));
    }

    /** The declaration of a message type. */
    public static Optional<Command<?>> of(Class<?> type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    private static <M extends Message> Command<M> add(String verb, Class<M> type, String usage, String summary,
                                                      Access access, Command.Parser<M> parser,
                                                      Command.Writer<M> writer) {
        return add(verb, type, usage, summary, access, parser, writer, EnumSet.allOf(Standing.class));
    }

    private static <M extends Message> Command<M> add(String verb, Class<M> type, String usage, String summary,
                                                      Access access, Command.Parser<M> parser,
                                                      Command.Writer<M> writer, Set<Standing> standings) {
        Command<M> command = new Command<>(verb, type, usage, summary, access, parser, writer,
                Collections.unmodifiableSet(EnumSet.copyOf(standings)));
        BY_VERB.put(verb, command);
        BY_TYPE.put(type, command);
        return command;
    }

    private static <M extends Message> Command.Parser<M> none(java.util.function.Supplier<M> make) {
        return (a, u) -> {
            arity(a, 0, 0, u);
            return make.get();
        };
    }

    private static SongSet songSet(List<String> args, String usage) throws ProtocolException {
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

    /** A chat text: 1 to {@link Names#MAX_CHAT_CHARS} characters with something visible, no control characters. */
    public static ClientMessage.Say say(String text, String usage) throws ProtocolException {
        if (text.isBlank()) {
            throw new ProtocolException(ErrorCode.SYNTAX, "usage: " + usage);
        }
        Names.requireText("a chat line", text, 1, Names.MAX_CHAT_CHARS);
        return new ClientMessage.Say(text);
    }

    private static int number(String token, int min, int max, String what, String usage) throws ProtocolException {
        int value;
        try {
            value = Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw new ProtocolException(ErrorCode.SYNTAX, what + " must be a whole number; usage: " + usage);
        }
        if (value < min || value > max) {
            throw new ProtocolException(ErrorCode.SYNTAX, what + " must be " + (max == Integer.MAX_VALUE
                    ? "at least " + min : "between " + min + " and " + max) + "; usage: " + usage);
        }
        return value;
    }

    /** A title may be given unquoted: the rest of the line, blanks folded. */
    private static String songRest(List<String> args, String usage) throws ProtocolException {
        if (args.isEmpty()) {
            throw new ProtocolException(ErrorCode.SYNTAX, "usage: " + usage);
        }
        String ref = String.join(" ", args);
        Names.requireSongRef(ref);
        return ref;
    }

    private static String username(List<String> args, String usage) throws ProtocolException {
        arity(args, 1, 1, usage);
        Names.requireName("username", args.get(0));
        return args.get(0);
    }

    static void arity(List<String> args, int min, int max, String usage) throws ProtocolException {
        if (args.size() < min || args.size() > max) {
            throw new ProtocolException(ErrorCode.SYNTAX, "usage: " + usage);
        }
    }

    private static String opt(List<String> args, int index) {
        return args.size() > index ? args.get(index) : null;
    }

    /**
     * An OKAY's words: a detail of plain words with single spaces between them (a reply that says what happened,
     * "welcome back to party as ADMIN") is written as those words, which the parser joins back; anything else is
     * one token, quoted if it needs it.
     */
    private static List<String> okayWords(String detail) {
        if (detail != null && detail.indexOf(' ') > 0 && !detail.endsWith(" ") && !detail.contains("  ")) {
            List<String> words = List.of(detail.split(" "));
            if (words.stream().allMatch(w -> Tokens.quote(w).equals(w))) {
                return words;
            }
        }
        return opt(detail);
    }

    private static List<String> opt(String value) {
        return value == null ? List.of() : List.of(value);
    }

    /** The fields up to the last present one; an absent field before a present one is written as "". */
    private static List<String> trailing(String first, String... optional) {
        List<String> out = new ArrayList<>(List.of(first));
        int last = -1;
        for (int i = 0; i < optional.length; i++) {
            if (optional[i] != null) {
                last = i;
            }
        }
        for (int i = 0; i <= last; i++) {
            out.add(optional[i] == null ? "" : optional[i]);
        }
        return out;
    }

    static String clip(String text) {
        String safe = Names.oneLine(text);
        return safe.length() > 40 ? safe.substring(0, 40) + "..." : safe;
    }
}
