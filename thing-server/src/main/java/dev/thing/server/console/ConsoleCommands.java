package dev.thing.server.console;

import dev.thing.protocol.Commands;
import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Role;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.Tokens;
import dev.thing.server.Jukebox;
import dev.thing.server.Services;
import dev.thing.server.ThingException;
import dev.thing.server.command.CommandTable;
import dev.thing.server.library.RescanReport;
import dev.thing.server.library.Song;
import dev.thing.server.lobby.Lobby;
import dev.thing.server.lobby.Member;
import dev.thing.server.party.PartySong;
import dev.thing.server.party.Wish;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The console's commands, one handler each, every one returning its answer as text for people (the console prints
 * it). They run against the live server's rooms; what members see of them is the rooms' doing (the RFC's section
 * on the server's operator). Refusals are thrown as {@link ThingException}s and answered by {@link Console}.
 */
final class ConsoleCommands {
    /** Who the members are told acted: {@code NOTIFY you were kicked from <lobby> by the server's operator}. */
    static final String OPERATOR = "the server's operator";
    /** The prefix of what {@code say} sends: {@code NOTIFY server: <text>}. */
    static final String SAY_PREFIX = "server: ";
    private static final Logger STAFF = LogManager.getLogger(CommandTable.STAFF_LOGGER);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** A line given to a command: its arguments (the tokens after the verb) and the whole line as typed. */
    record Line(List<String> args, String text, Command command) {
        /** Refuses a line with fewer than {@code min} or more than {@code max} arguments, naming the usage. */
        void arity(int min, int max) {
            if (args.size() < min || args.size() > max) {
                throw new ThingException(ErrorCode.SYNTAX, "usage: " + command.usage());
            }
        }
    }

    /** What a command does; the answer is for people. */
    @FunctionalInterface
    interface Handler {
        String run(Line line) throws Exception;
    }

    /**
     * One console command: {@code staffAction} marks what changes the server (logged under the staff logger with
     * the console as the one who did it, as members' staff commands are).
     */
    record Command(String verb, String usage, String help, boolean staffAction, Handler handler) {
    }

    private final Services services;
    private final Jukebox jukebox;
    private final Runnable quit;
    private final Map<String, Command> commands = new LinkedHashMap<>();

    ConsoleCommands(Services services, Jukebox jukebox, Runnable quit) {
        this.services = services;
        this.jukebox = jukebox;
        this.quit = quit;
        add("lobbies", "lobbies", "the open lobbies: members, waiting joiners, admin, what plays, the claim", false,
                this::lobbies);
        add("users", "users [<lobby>]", "the members of a lobby (of every lobby without one): role, standing, "
                + "round trip", false, this::users);
        add("songs", "songs", "the songs of the library", false, this::songs);
        add("wanted", "wanted", "the wanted list: songs asked for that the library lacks", false, this::wanted);
        add("say", "say <lobby|*> <text>", "tells a lobby's members, or everyone (*): NOTIFY server: <text>", true,
                this::say);
        add("stop", "stop <lobby>", "ends the lobby's party: every member is told and disconnected", true,
                this::stop);
        add("kick", "kick <lobby> <user>", "disconnects a member, as KICK does, \"by the server's operator\"", true,
                this::kick);
        add("rescan", "rescan", "indexes MP3s dropped into the library folder and drops songs whose file is gone",
                true, this::rescan);
        add("operator", "operator <name>", "marks the registered account <name> as an operator (from its next "
                + "join)", true, line -> operator(line, true));
        add("unoperator", "unoperator <name>", "takes the operator mark from the account <name>", true,
                line -> operator(line, false));
        add("help", "help", "this list", false, this::help);
        add("quit", "quit", "stops the server cleanly, as SIGTERM does", true, this::quit);
    }

    private void add(String verb, String usage, String help, boolean staffAction, Handler handler) {
        commands.put(verb, new Command(verb, usage, help, staffAction, handler));
    }

    /** The command of a (lower-case) verb, or null. */
    Command byVerb(String verb) {
        return commands.get(verb);
    }

    /** Logs a console action that succeeded, as the members' staff actions are logged. */
    static void logAction(String line) {
        STAFF.info("staff: console ({}): {}", OPERATOR, line);
    }

    // ---- reading ----

    private String help(Line line) {
        line.arity(0, 0);
        int width = 0;
        for (Command c : commands.values()) {
            width = Math.max(width, c.usage().length());
        }
        StringBuilder out = new StringBuilder("console commands (a text or title with spaces may be quoted, as in "
                + "the protocol):");
        for (Command c : commands.values()) {
            out.append("\n  ").append(pad(c.usage(), width)).append("  ").append(c.help());
        }
        return out.toString();
    }

    private String lobbies(Line line) {
        line.arity(0, 0);
        List<Lobby> open = services.lobbies().lobbies();
        if (open.isEmpty()) {
            return "no lobbies (a member creates one by joining it: <lobby> <username>)";
        }
        StringBuilder out = new StringBuilder(count(open.size(), "lobby", "lobbies") + ":");
        long now = services.time().epochMicros();
        for (Lobby lobby : open) {
            List<Member> everyone = lobby.everyone();
            long away = everyone.stream().filter(Member::isAway).count();
            out.append("\n  ").append(lobby.name()).append(": ").append(count(everyone.size(), "member", "members"));
            if (away > 0) {
                out.append(" (").append(away).append(" away)");
            }
            out.append(", ").append(lobby.pendingCount()).append(" waiting");
            everyone.stream().filter(m -> m.role() == Role.ADMIN).findFirst()
                    .ifPresent(admin -> out.append(", admin ").append(admin.username()));
            out.append("; ").append(lobby.<String>peekParty(party -> {
                Optional<PartySong> song = party.nowPlaying();
                String playing = song.isEmpty() ? "nothing playing"
                        : party.state().name().toLowerCase(Locale.ROOT) + " " + Tokens.quote(song.get().title())
                        + " (" + minutes(party.positionAtMs(now)) + " of " + minutes(song.get().durationMs()) + ")";
                return playing + ", " + party.queue().size() + " queued" + (party.autoplay() ? ", autoplay on" : "");
            }));
            lobby.owner().ifPresent(owner -> out.append("; claimed by ").append(owner));
        }
        return out.toString();
    }

    private String users(Line line) {
        line.arity(0, 1);
        List<Lobby> which = line.args().isEmpty() ? services.lobbies().lobbies()
                : List.of(requireLobby(line.args().get(0)));
        if (which.isEmpty()) {
            return "no lobbies, so nobody is here";
        }
        StringBuilder out = new StringBuilder();
        for (Lobby lobby : which) {
            List<Member> people = new ArrayList<>(lobby.everyone());
            people.addAll(lobby.pendingJoiners());
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(lobby.name()).append(": ").append(count(people.size(), "person", "people"));
            for (Member m : people) {
                out.append("\n  ").append(m.username()).append(' ').append(m.role()).append(' ')
                        .append(m.standing().name().toLowerCase(Locale.ROOT));
                if (m.isPending()) {
                    out.append(", waiting for approval");
                } else if (m.isAway()) {
                    long left = Math.max(0, m.awayUntilUs() - services.time().epochMicros()) / 1000;
                    out.append(", away (place kept ").append(minutes(left)).append(" more)");
                } else {
                    OptionalLong rtt = m.rtt().lastMicros();
                    if (rtt.isPresent()) {
                        out.append(String.format(Locale.ROOT, ", round trip %.1f ms", rtt.getAsLong() / 1000.0));
                    }
                }
            }
        }
        return out.toString();
    }

    private String songs(Line line) throws Exception {
        line.arity(0, 0);
        List<Song> songs = services.library().list();
        if (songs.isEmpty()) {
            return "the library is empty (upload songs, or drop MP3s into " + services.library().folder()
                    + " and type rescan)";
        }
        StringBuilder out = new StringBuilder(services.library().describeTotals() + ":");
        for (Song s : songs) {
            out.append("\n  #").append(s.id()).append(' ').append(Tokens.quote(s.title()));
            if (!s.artist().isEmpty()) {
                out.append(" by ").append(s.artist());
            }
            out.append(" (").append(minutes(s.durationMs())).append(String.format(Locale.ROOT, ", %.1f MiB",
                    s.sizeBytes() / (1024.0 * 1024.0))).append(')');
        }
        return out.toString();
    }

    private String wanted(Line line) {
        line.arity(0, 0);
        List<Wish> wishes = services.wanted().list();
        if (wishes.isEmpty()) {
            return "the wanted list is empty";
        }
        StringBuilder out = new StringBuilder(count(wishes.size(), "wanted song", "wanted songs") + ":");
        for (Wish w : wishes) {
            out.append("\n  ").append(Tokens.quote(w.title()));
            if (!w.artist().isEmpty()) {
                out.append(" by ").append(w.artist());
            }
            out.append(", asked for by ").append(w.username()).append(" in ").append(w.lobby()).append(" on ")
                    .append(WHEN.format(Instant.EPOCH.plusNanos(w.requestedAtUs() * 1000)));
        }
        return out.toString();
    }

    // ---- acting ----

    /**
     * {@code say <lobby|*> <text>}: the text is the free rest of the line after the lobby, as SAY's is (quotes are
     * the operator's own), with SAY's rules; members get {@code NOTIFY server: <text>}.
     */
    private String say(Line line) throws Exception {
        line.arity(2, Integer.MAX_VALUE);
        String target = line.args().get(0);
        String text = Commands.say(Tokens.restAfterVerb(Tokens.restAfterVerb(line.text())).strip(),
                line.command().usage()).text();
        ServerMessage.Notify notify = new ServerMessage.Notify(SAY_PREFIX + text);
        if (target.equals("*")) {
            List<Member> all = services.lobbies().allMembers();
            services.lobbies().broadcastAll(notify);
            return "said to " + count(all.size(), "member", "members") + " in "
                    + count(services.lobbies().lobbies().size(), "lobby", "lobbies");
        }
        Lobby lobby = requireLobby(target);
        int here = lobby.memberCount();
        lobby.broadcast(notify);
        return "said to " + count(here, "member", "members") + " of " + lobby.name();
    }

    private String stop(Line line) {
        line.arity(1, 1);
        Lobby lobby = requireLobby(line.args().get(0));
        List<Member> gone = services.lobbies().endParty(lobby, OPERATOR);
        return "ended the party in " + lobby.name() + ": " + count(gone.size(), "member", "members")
                + " told and disconnected";
    }

    private String kick(Line line) {
        line.arity(2, 2);
        Lobby lobby = requireLobby(line.args().get(0));
        Member kicked = services.lobbies().kick(lobby, line.args().get(1), OPERATOR);
        return "kicked " + kicked.username() + " from " + lobby.name();
    }

    private String rescan(Line line) throws Exception {
        line.arity(0, 0);
        RescanReport report = services.library().rescan();
        for (Song gone : report.removed()) {
            services.owners().deleted(gone.id());
        }
        jukebox.songsRescanned(report, OPERATOR);
        StringBuilder out = new StringBuilder("rescan of " + services.library().folder() + ": "
                + report.added().size() + " added, " + report.removed().size() + " removed, "
                + report.skipped().size() + " skipped");
        for (Song s : report.added()) {
            out.append("\n  added #").append(s.id()).append(' ').append(Tokens.quote(s.title())).append(" (")
                    .append(s.file().getFileName()).append(", ").append(minutes(s.durationMs())).append(')');
        }
        for (Song s : report.removed()) {
            out.append("\n  removed #").append(s.id()).append(' ').append(Tokens.quote(s.title()))
                    .append(" (its file ").append(s.file().getFileName()).append(" is gone)");
        }
        for (RescanReport.Skipped s : report.skipped()) {
            out.append("\n  skipped ").append(s.file()).append(": ").append(s.reason());
        }
        return out.toString();
    }

    /** The same account code as --grant-operator / --revoke-operator; the mark counts from the account's next join. */
    private String operator(Line line, boolean grant) {
        line.arity(1, 1);
        String name = line.args().get(0);
        if (!services.requireAccounts().setOperator(name, grant)) {
            throw new ThingException(ErrorCode.NO_SUCH_USER, "no account called " + name + " (a name is registered "
                    + "with REGISTER <password> once joined)");
        }
        return name + (grant ? " is now an operator" : " is no longer an operator")
                + "; it takes effect at their next join";
    }

    private String quit(Line line) {
        line.arity(0, 0);
        quit.run();
        return "stopping the server: every connection is told, uploads under way are dropped";
    }

    // ---- helpers ----

    private Lobby requireLobby(String name) {
        return services.lobbies().lobby(name).orElseThrow(() -> new ThingException(ErrorCode.NOT_ALLOWED,
                "no lobby called " + name + " (lobbies lists them)"));
    }

    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static String minutes(long ms) {
        long s = ms / 1000;
        return (s / 60) + ":" + String.format(Locale.ROOT, "%02d", s % 60);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
