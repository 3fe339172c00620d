package dev.thing.server.session;

import dev.thing.protocol.Capability;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Command;
import dev.thing.protocol.Commands;
import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;
import dev.thing.protocol.MessageParser;
import dev.thing.protocol.ProtocolException;
import dev.thing.protocol.Role;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.Tokens;
import dev.thing.protocol.codec.Frame;
import dev.thing.server.Jukebox;
import dev.thing.server.Services;
import dev.thing.server.ThingException;
import dev.thing.server.command.CommandContext;
import dev.thing.server.command.CommandTable;
import dev.thing.server.command.Reply;
import dev.thing.server.command.SessionControl;
import dev.thing.server.dispatch.ErrorReplies;
import dev.thing.server.library.LibraryException;
import dev.thing.server.library.Song;
import dev.thing.server.library.Upload;
import dev.thing.server.lobby.Identity;
import dev.thing.server.lobby.JoinResult;
import dev.thing.server.lobby.Member;
import dev.thing.server.time.Timers;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;

/**
 * One connection's protocol, whatever carries it: frames in (from a transport adapter), output out (through its
 * {@link Outbox} to a {@link Wire}). Its {@link State} is explicit and changes only in {@link #moveTo}, checked
 * against {@link State#next()}. It knows no socket library; its tests feed it frames and read a fake wire.
 *
 * <p>Input is handled in arrival order, one frame at a time under this object's lock. A command past the
 * client's burst is not dropped: it waits in the backlog until its turn under the steady rate, and the transport
 * stops reading meanwhile, so a flood is slowed by TCP itself. Whether a frame costs a token is decided when its
 * turn comes, in the state it finds: a chunk body inside a transfer is free, one outside a transfer is a command.
 *
 * <p>Callbacks from other connections (a moderator's ACCEPT, a long reply drained) never take this lock on their
 * own thread: they hand the work to {@code executor}, so lobby locks and session locks are never taken in the
 * two orders.
 */
public final class SessionCore {
    private static final Logger LOG = LogManager.getLogger(SessionCore.class);
    static final int MAX_MALFORMED_JOIN_LINES = 5;
    static final int PING_BURST = 5;
    static final long PING_BURST_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** A connection that did not ask for PINGs (a person in telnet) gets one at most this often. */
    static final long QUIET_PING_NANOS = TimeUnit.SECONDS.toNanos(60);
    public static final String GREETING =
            "THING/1.0 ready: send \"<lobby> <username>\" to join, or HELP, LOBBIES, CAP, QUIT";

    /** The states of a connection. A transfer (RECEIVING, DISCARDING) returns to the state it interrupted. */
    public enum State {
        /** Connected and greeted; no join line yet. */
        GREETED,
        /** Asked to join; waiting for an admin or moderator. */
        PENDING,
        /** An accepted member of a lobby. */
        MEMBER,
        /** Receiving an upload: CHUNKs until OKAY or ABORT. */
        RECEIVING,
        /** Reading the rest of a refused transfer and throwing it away. */
        DISCARDING,
        /** QUIT, a kick, a refusal or a limit: output drains, input is ignored. */
        CLOSING,
        /** Gone. */
        CLOSED;

        private static final Map<State, Set<State>> NEXT = new EnumMap<>(State.class);

        static {
            NEXT.put(GREETED, EnumSet.of(PENDING, MEMBER, DISCARDING, CLOSING, CLOSED));
            NEXT.put(PENDING, EnumSet.of(MEMBER, DISCARDING, CLOSING, CLOSED));
            NEXT.put(MEMBER, EnumSet.of(RECEIVING, DISCARDING, CLOSING, CLOSED));
            NEXT.put(RECEIVING, EnumSet.of(MEMBER, DISCARDING, CLOSING, CLOSED));
            NEXT.put(DISCARDING, EnumSet.of(GREETED, PENDING, MEMBER, CLOSING, CLOSED));
            NEXT.put(CLOSING, EnumSet.of(CLOSED));
            NEXT.put(CLOSED, EnumSet.noneOf(State.class));
        }

        /** The states this one may move to. */
        public Set<State> next() {
            return NEXT.get(this);
        }
    }

    private final long id;
    private final Wire wire;
    private final Outbox out;
    private final Services services;
    private final CommandTable commands;
    private final Jukebox jukebox;
    private final Executor executor;
    private final Sessions sessions;
    private final RateLimiter rate;
    private final PingTracker pings = new PingTracker();
    private final ArrayDeque<Frame> backlog = new ArrayDeque<>(1);
    private final SessionControl control = new Control();

    private volatile State state = State.GREETED;
    /** The state a transfer interrupted, to return to when it ends. */
    private State resume = State.GREETED;
    private volatile Member member;
    private volatile Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
    private boolean headPaid;
    private boolean waitingForRate;
    private boolean waitingForOutput;
    private boolean inputSuspended;
    private int malformedJoinLines;
    private Timers.Cancellable handshakeTimer;
    private Upload upload;
    private long uploadStartedNanos;
    private long lastChunkNanos;
    private Timers.Cancellable idleTimer;
    private volatile long lastPingNanos = Long.MIN_VALUE;
    private boolean quitting;

    SessionCore(long id, Wire wire, Services services, CommandTable commands, Jukebox jukebox, Executor executor,
                Sessions sessions) {
        this.id = id;
        this.wire = wire;
        this.services = services;
        this.commands = commands;
        this.jukebox = jukebox;
        this.executor = executor;
        this.sessions = sessions;
        this.out = new Outbox(wire, services.config().maxUnsentBytes(), services.timers());
        this.rate = new RateLimiter(services.config().rateBurst(), services.config().ratePerSecond(), services.time());
        out.who(who());
        out.onAccepted(() -> executor.execute(this::refreshMembership));
        out.onIdle(() -> executor.execute(this::resumeAfterOutput));
    }

    /**
     * Greets the client and arms the handshake timeout; or, when {@code refusal} is not null (server full, too many
     * connections from its address, shutting down), tells it why and closes.
     */
    void start(String refusal) {
        if (refusal != null) {
            LOG.warn("refusing {}: {}", wire.remote(), refusal);
            close(new ServerMessage.Notify(refusal), "refused: " + refusal);
            return;
        }
        LOG.debug("connection from {}", wire.remote());
        out.send(new ServerMessage.Notify(GREETING));
        handshakeTimer = services.timers().schedule(() -> executor.execute(this::handshakeTimedOut),
                services.config().handshakeTimeout().toNanos());
    }

    public long id() {
        return id;
    }

    /** The peer's network address as the transport reported it (null when it could not tell). */
    java.net.InetAddress address() {
        return wire.address();
    }

    /** The peer's host address as text, what the login throttle and guests' bans go by ("unknown" if untold). */
    private String hostAddress() {
        java.net.InetAddress a = wire.address();
        return a == null ? "unknown" : a.getHostAddress();
    }

    public synchronized State state() {
        return state;
    }

    public Member member() {
        return member;
    }

    public Set<Capability> capabilities() {
        return capabilities;
    }

    /** The outgoing side, as the lobby sees this connection. */
    public Outbox outbox() {
        return out;
    }

    /** For log lines: lobby/user, or the remote address before the handshake. */
    public String who() {
        Member m = member;
        return m == null ? wire.remote() : m.lobby().name() + "/" + m.username();
    }

    // ---- transitions: the only place the state changes ----

    private void moveTo(State next) {
        if (next == state) {
            return;
        }
        if (!state.next().contains(next)) {
            throw new IllegalStateException("a connection cannot go from " + state + " to " + next);
        }
        LOG.trace("{}: {} -> {}", who(), state, next);
        if (next == State.RECEIVING || next == State.DISCARDING) {
            if (state != State.RECEIVING && state != State.DISCARDING) {
                resume = state;
            }
        }
        state = next;
    }

    private void endTransfer() {
        upload = null;
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
        if (state == State.RECEIVING || state == State.DISCARDING) {
            moveTo(resume);
        }
    }

    /** A pending joiner accepted meanwhile (the lobby changed its role) becomes a member here. */
    private synchronized void refreshMembership() {
        Member m = member;
        if (m == null || m.isPending()) {
            return;
        }
        if (state == State.PENDING) {
            moveTo(State.MEMBER);
            startPings();
        } else if ((state == State.RECEIVING || state == State.DISCARDING) && resume == State.PENDING) {
            resume = State.MEMBER;
            startPings();
        }
    }

    private void close(ServerMessage last, String why) {
        out.closeAfter(last, why);
        if (state != State.CLOSED) {
            moveTo(State.CLOSING);
        }
    }

    // ---- input from the transport ----

    /** A frame from the client. Called on the transport's thread for this connection, in order. */
    public void onFrame(Frame frame) {
        synchronized (this) {
            if (state == State.CLOSING || state == State.CLOSED) {
                return;
            }
            if (frame instanceof Frame.ChunkBodies run) {
                // Gathered only to cross to this thread at once: each chunk is then handled as if it came alone.
                for (dev.thing.protocol.Message.Chunk chunk : run.chunks()) {
                    backlog.addLast(new Frame.ChunkBody(chunk));
                }
            } else {
                backlog.addLast(frame);
            }
            drain();
        }
    }

    /** Handles what waits in the backlog as far as the rate limit and pending output allow. */
    private void drain() {
        while (!backlog.isEmpty()) {
            if (out.closing() && state != State.CLOSED) {
                // A kick or a refusal from another connection closed the output: nothing more may take effect.
                if (state != State.CLOSING) {
                    moveTo(State.CLOSING);
                }
            }
            if (state == State.CLOSING || state == State.CLOSED) {
                backlog.clear();
                break;
            }
            if (waitingForRate) {
                return;
            }
            if (out.busyWithReply()) {
                // A long reply is still being written: read no more commands until the client has taken it.
                waitingForOutput = true;
                suspendInput();
                return;
            }
            Frame next = backlog.peekFirst();
            if (!headPaid && costsToken(next)) {
                long wait = rate.take();
                headPaid = true;
                if (wait > 0) {
                    waitingForRate = true;
                    suspendInput();
                    services.timers().schedule(() -> executor.execute(this::rateWaitOver), wait);
                    return;
                }
            }
            backlog.removeFirst();
            headPaid = false;
            handle(next);
        }
        if (inputSuspended && !waitingForRate && !waitingForOutput) {
            inputSuspended = false;
            wire.resumeInput();
        }
    }

    private void suspendInput() {
        if (!inputSuspended) {
            inputSuspended = true;
            wire.suspendInput();
        }
    }

    private synchronized void rateWaitOver() {
        waitingForRate = false;
        drain();
    }

    private synchronized void resumeAfterOutput() {
        if (waitingForOutput && !out.busyWithReply()) {
            waitingForOutput = false;
            drain();
        }
    }

    /** Chunk bodies of a transfer are paced by TCP; every other frame, a stray chunk included, is a command. */
    private boolean costsToken(Frame frame) {
        return !(frame instanceof Frame.ChunkBody) || (state != State.RECEIVING && state != State.DISCARDING);
    }

    private void handle(Frame frame) {
        ThreadContext.put("who", who());
        try {
            refreshMembership();
            if (frame instanceof Frame.ChunkBody chunk) {
                chunk(chunk.chunk());
            } else if (frame instanceof Frame.Line line) {
                line(line.text());
            } else if (frame instanceof Frame.Malformed bad) {
                malformed(bad);
            }
        } catch (RuntimeException | Error e) {
            // One place for whatever slipped through: the client gets its final reply, the log the cause.
            out.send(ErrorReplies.of(e));
            if (e instanceof VirtualMachineError vm && !(e instanceof OutOfMemoryError)) {
                throw vm;
            }
        } finally {
            ThreadContext.remove("who");
        }
    }

    /** The transport wrote a message. */
    public void onSent(Object message) {
        if (message instanceof ServerMessage.Ping ping) {
            pings.written(ping.token(), services.time().monotonicNanos());
        }
        out.sent(message);
    }

    /** The connection is gone: an upload under way is dropped, the member leaves its lobby. */
    public void onClosed() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            ThreadContext.put("who", who());
            try {
                if (handshakeTimer != null) {
                    handshakeTimer.cancel();
                }
                if (upload != null) {
                    LOG.info("{} disconnected in the middle of uploading {} ({} bytes received); nothing was stored",
                            who(), upload.title(), upload.bytesReceived());
                    upload.abort();
                    upload = null;
                }
                out.closed();
                backlog.clear();
                state = resume = State.CLOSED;
            } finally {
                ThreadContext.remove("who");
            }
        }
        Member m = member;
        if (m != null && !sessions.shuttingDown()) {
            try {
                services.lobbies().leave(m, quitting ? ServerMessage.Departure.QUIT
                        : ServerMessage.Departure.DISCONNECTED);
            } catch (RuntimeException e) {
                LOG.error("removing {} from its lobby failed", who(), e);
            }
            LOG.info("{} disconnected", who());
        }
        if (m == null || !m.isAway()) {
            // A member away keeps its uploads while its place is kept (RFC 4.8); the registry lets go of them when
            // the grace runs out, and a member coming back takes them to its new connection.
            services.owners().connectionClosed(id);
        }
        sessions.remove(this);
    }

    private synchronized void handshakeTimedOut() {
        if (state == State.GREETED || (state == State.DISCARDING && resume == State.GREETED)) {
            close(new ServerMessage.Notify("no join line within "
                    + services.config().handshakeTimeout().toSeconds() + " s; closing"), "handshake timeout");
        }
    }

    // ---- lines ----

    private void line(String text) {
        if (state == State.RECEIVING && receivingLine(text)) {
            return;
        }
        if (state == State.DISCARDING && discardingLine(text)) {
            return;
        }
        ClientMessage message;
        try {
            message = state == State.GREETED ? MessageParser.parseBeforeJoin(text) : MessageParser.parseClient(text);
        } catch (ProtocolException e) {
            // The gate goes first: a pending joiner's lines are PENDING whatever their arguments, and a verb the
            // caller's role may not use is NOT_ALLOWED however malformed the rest (RFC 5.6).
            Optional<Command<?>> verb = verbOf(text);
            ServerMessage.Error refusal = state == State.GREETED ? null
                    : state == State.PENDING ? pendingError() : verb.flatMap(this::gate).orElse(null);
            out.send(refusal != null ? refusal : ErrorReplies.of(e));
            if (verb.filter(c -> c == Commands.SEND).isPresent()) {
                discard();
            } else if (state == State.GREETED) {
                countMalformedJoin();
            }
            return;
        }
        if (message == null) {
            return;
        }
        if (message instanceof ClientMessage.Join join) {
            join(join);
            return;
        }
        Command<?> command = Commands.of(message.getClass()).orElseThrow(
                () -> new IllegalStateException("no declaration for " + message.getClass().getSimpleName()));
        Optional<ServerMessage.Error> refusal = gate(command);
        if (refusal.isPresent()) {
            if (command == Commands.SEND) {
                ServerMessage.Error e = refusal.get();
                out.send(ErrorReplies.error(e.code(), e.text() + "; the rest of this transfer is discarded"));
                discard();
            } else {
                out.send(refusal.get());
            }
            return;
        }
        Reply reply;
        try {
            reply = commands.run(command, message, new CommandContext(member, services, out, control));
        } catch (Exception | OutOfMemoryError e) {
            out.send(ErrorReplies.of(e));
            if (command == Commands.SEND && state != State.RECEIVING) {
                discard();
            }
            return;
        }
        write(reply);
    }

    /** Why the caller may not use this command now, or empty when it may. */
    private Optional<ServerMessage.Error> gate(Command<?> command) {
        return switch (state) {
            case GREETED -> command.access().beforeJoin() ? Optional.empty()
                    : Optional.of(ErrorReplies.error(ErrorCode.NOT_ALLOWED, "join a lobby first: send <lobby> <username>"));
            case PENDING -> command.access().whilePending() ? Optional.empty() : Optional.of(pendingError());
            default -> {
                Member m = member;
                if (m == null) {
                    yield Optional.empty();
                }
                Role role = m.role();
                if (role == Role.PENDING) {
                    yield command.access().whilePending() ? Optional.empty() : Optional.of(pendingError());
                }
                if (!command.standings().contains(m.standing())) {
                    yield Optional.of(ErrorReplies.error(ErrorCode.NOT_ALLOWED, command.verb() + " is "
                            + dev.thing.server.command.CommandTable.standingRefusal(command)));
                }
                yield command.allows(m.standing(), role) ? Optional.empty()
                        : Optional.of(ErrorReplies.error(ErrorCode.NOT_ALLOWED, command.verb() + " is for "
                        + command.access().describe() + "; you are a " + role.name().toLowerCase(Locale.ROOT)));
            }
        };
    }

    private static Optional<Command<?>> verbOf(String text) {
        try {
            List<String> tokens = Tokens.split(text);
            return tokens.isEmpty() ? Optional.empty() : Commands.byVerb(tokens.get(0));
        } catch (ProtocolException e) {
            String head = text.strip().split("[ \t]", 2)[0];
            return Commands.byVerb(head);
        }
    }

    private ServerMessage.Error pendingError() {
        return ErrorReplies.error(ErrorCode.PENDING, "you are waiting for approval to join "
                + member.lobby().name() + "; until then only HELP, CAP and QUIT work");
    }

    private void write(Reply reply) {
        List<ServerMessage> lines = new ArrayList<>(reply.lines());
        if (reply.transfer() != null) {
            out.sendReply(lines);
            out.sendSong(reply.transfer());
        } else if (reply.close()) {
            out.sendReply(lines);
            close(reply.last(), "QUIT");
        } else {
            if (reply.last() != null) {
                lines.add(reply.last());
            }
            out.sendReply(lines);
        }
        for (Runnable action : reply.afterwards()) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.error("after replying to {}: a follow-up failed", who(), e);
            }
        }
    }

    private void countMalformedJoin() {
        malformedJoinLines++;
        if (malformedJoinLines == MAX_MALFORMED_JOIN_LINES - 1) {
            out.send(new ServerMessage.Notify("one more malformed join line and the server closes the connection; "
                    + "send <lobby> <username>"));
        }
        if (malformedJoinLines >= MAX_MALFORMED_JOIN_LINES) {
            close(new ServerMessage.Notify("too many malformed join lines; closing"), "too many malformed join lines");
        }
    }

    private void malformed(Frame.Malformed bad) {
        if (state == State.RECEIVING) {
            abandonUpload(bad.code(), bad.text());
            return;
        }
        if (state == State.DISCARDING) {
            if (!bad.inChunk()) {
                endTransfer();
                out.send(ErrorReplies.error(bad.code(), bad.text()));
            }
            return;
        }
        if (!bad.inChunk() && startsWithVerb(bad.head(), "SEND")) {
            // A SEND that cannot be read (too long; over a WebSocket, a message holding a line break) still opens a
            // transfer: its chunks must not each draw an error.
            out.send(ErrorReplies.error(bad.code(), bad.text() + "; the rest of this transfer is discarded"));
            discard();
            return;
        }
        out.send(ErrorReplies.error(bad.code(), bad.text()));
        if (state == State.GREETED) {
            countMalformedJoin();
        }
    }

    private static boolean startsWithVerb(String text, String verb) {
        String t = text.stripLeading();
        return t.length() >= verb.length() && t.regionMatches(true, 0, verb, 0, verb.length())
                && (t.length() == verb.length() || Character.isWhitespace(t.charAt(verb.length())));
    }

    // ---- the handshake ----

    private void join(ClientMessage.Join join) {
        Optional<String> tooMany = sessions.joinAttempt(wire.address());
        if (tooMany.isPresent()) {
            LOG.warn("{}: {}", who(), tooMany.get());
            close(new ServerMessage.Notify(tooMany.get()), "join attempts per address");
            return;
        }
        JoinResult result;
        try {
            Identity who = login(join);
            result = services.lobbies().join(join.lobby(), join.username(), out, who, join.token());
        } catch (ThingException | dev.thing.server.account.AccountException e) {
            // A refused join (a wrong password, a ban, a claimed lobby's staff away) leaves the connection open.
            out.send(ErrorReplies.of(e));
            return;
        }
        if (result instanceof JoinResult.Taken taken) {
            LOG.info("{}: username {} is taken in {}{}", who(), join.username(), join.lobby(),
                    taken.awayUntilUs() != 0 ? " (its holder is away)" : "");
            if (taken.awayUntilUs() != 0) {
                String until = java.time.format.DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
                        .withZone(java.time.ZoneOffset.UTC)
                        .format(java.time.Instant.EPOCH.plus(taken.awayUntilUs(), java.time.temporal.ChronoUnit.MICROS));
                out.send(new ServerMessage.Notify(join.username() + " is away; their place is kept until " + until
                        + " UTC (come back with the token, or wait)"));
            }
            close(new ServerMessage.Taken(join.username()), "username taken");
            return;
        }
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        if (result instanceof JoinResult.Created created) {
            member = created.member();
            out.who(who());
            moveTo(State.MEMBER);
            out.send(new Message.Okay("you created " + created.member().lobby().name() + " and are its ADMIN"));
            created.member().lobby().welcome(created.member(), ServerMessage.Approval.CREATED);
            services.lobbies().arrived(created.member());
            startPings();
            Jukebox.wakeAutoplay(created.member().lobby());
        } else if (result instanceof JoinResult.Entered entered) {
            // The lobby has sent its OKAY and brought the member up to date.
            member = entered.member();
            out.who(who());
            moveTo(State.MEMBER);
            services.lobbies().arrived(entered.member());
            startPings();
        } else if (result instanceof JoinResult.Returned returned) {
            // Back to a kept place: the lobby has sent the OKAY and brought the member up to date.
            services.owners().moved(returned.kept().identity().connection(), id);
            member = returned.member();
            out.who(who());
            moveTo(State.MEMBER);
            services.lobbies().arrived(returned.member());
            startPings();
        } else if (result instanceof JoinResult.Pending pending) {
            member = pending.member();
            out.who(who());
            moveTo(State.PENDING);
        }
    }

    /**
     * Who the join line says the client is: a guest, or the account whose password it gave. A registered name
     * without its password, a wrong password, or a try during a lock is refused (NOT_ALLOWED) and the connection
     * stays open; failures are counted per account and per address. The password is never logged.
     */
    private Identity login(ClientMessage.Join join) {
        Identity guest = Identity.guest(id, hostAddress());
        if (services.accounts() == null) {
            if (join.password() != null) {
                throw new ThingException(ErrorCode.NOT_ALLOWED, "this server keeps no accounts; join without a password");
            }
            return guest;
        }
        Optional<dev.thing.server.account.Account> account = services.accounts().find(join.username());
        if (account.isEmpty()) {
            if (join.password() != null) {
                throw new ThingException(ErrorCode.NOT_ALLOWED, join.username() + " is not registered; join with "
                        + "<lobby> " + join.username() + " (no password), then REGISTER <password> to claim the name");
            }
            return guest;
        }
        String name = account.get().username();
        if (join.password() == null && join.token() != null) {
            // The token of this account's place stands for the password it was issued after (RFC 3.15): the page
            // comes back without keeping the password. A token that is not good now gets the refusal below.
            Optional<Identity> holder = services.lobbies().tokenHolder(join.lobby(), name, join.token());
            if (holder.isPresent() && holder.get().accountId() == account.get().id()) {
                LOG.info("{}: comes back to {} as {} with its rejoin token", who(), join.lobby(), name);
                return guest.withAccount(account.get().id(), account.get().operator());
            }
        }
        if (join.password() == null) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, name + " is registered; send <lobby> " + name
                    + " <password>, or pick another name");
        }
        OptionalLong locked = services.throttle().lockedFor(name, hostAddress());
        if (locked.isPresent()) {
            LOG.info("{}: login as {} refused, locked for {} s after wrong passwords", who(), name, locked.getAsLong());
            throw new ThingException(ErrorCode.NOT_ALLOWED, "too many wrong passwords for " + name
                    + " or from your address; try again in " + locked.getAsLong() + " s");
        }
        Optional<dev.thing.server.account.Account> verified = services.accounts().verify(name, join.password());
        if (verified.isEmpty()) {
            services.throttle().failed(name, hostAddress());
            LOG.info("{}: wrong password for {}", who(), name);
            throw new ThingException(ErrorCode.NOT_ALLOWED, "wrong password for " + name + "; try again");
        }
        services.throttle().succeeded(name);
        return guest.withAccount(verified.get().id(), verified.get().operator());
    }

    // ---- PING ----

    private void startPings() {
        if (!capabilities.contains(Capability.PING)) {
            return;
        }
        for (int i = 0; i < PING_BURST; i++) {
            services.timers().schedule(() -> ping(false), i * PING_BURST_GAP_NANOS);
        }
    }

    /**
     * Sends a PING to an accepted member not busy with a transfer. Without {@code CAP PING} at most one a minute,
     * so a person typing is not interrupted every few seconds.
     */
    public void ping(boolean periodic) {
        Member m = member;
        if (state != State.MEMBER || m == null || m.isPending() || out.sendingSong() || out.closing()) {
            return;
        }
        long now = services.time().monotonicNanos();
        if (!capabilities.contains(Capability.PING)
                && lastPingNanos != Long.MIN_VALUE && now - lastPingNanos < QUIET_PING_NANOS) {
            return;
        }
        lastPingNanos = now;
        out.send(new ServerMessage.Ping(pings.nextToken()));
    }

    private void pingAnswered(String token) {
        OptionalLong rtt = pings.answered(token, services.time().monotonicNanos());
        Member m = member;
        if (rtt.isPresent() && m != null) {
            m.rtt().sample(rtt.getAsLong() / 1_000);
        }
    }

    // ---- uploads (C->S SEND) ----

    private void discard() {
        moveTo(State.DISCARDING);
    }

    private void chunk(Message.Chunk chunk) {
        if (state == State.RECEIVING) {
            lastChunkNanos = services.time().monotonicNanos();
            try {
                upload.append(chunk.data(), 0, chunk.data().length);
            } catch (LibraryException e) {
                upload.abort();
                upload = null;
                out.send(ErrorReplies.of(e));
                moveTo(State.DISCARDING);
            }
            return;
        }
        if (state == State.DISCARDING) {
            return;
        }
        if (state == State.PENDING) {
            out.send(pendingError());
            return;
        }
        out.send(ErrorReplies.error(ErrorCode.NOT_ALLOWED, "CHUNK outside a transfer: send SEND <title> first"));
        if (state == State.GREETED) {
            countMalformedJoin();
        }
    }

    /** A line inside an upload. Returns false when it is not part of it and must be handled as a command. */
    private boolean receivingLine(String text) {
        List<String> tokens = transferTokens(text);
        String verb = tokens.isEmpty() ? "" : tokens.get(0).toUpperCase(Locale.ROOT);
        if (verb.equals("OKAY") && tokens.size() > 1) {
            pingAnswered(tokens.get(1));
            return true;
        }
        if (verb.equals("OKAY") && tokens.size() == 1) {
            finishUpload();
            return true;
        }
        if (verb.equals("ABORT") && tokens.size() == 1) {
            LOG.info("{} cancelled the upload of {}", who(), upload.title());
            out.send(ErrorReplies.error(ErrorCode.ABORTED, "upload of " + upload.title() + " cancelled; nothing stored"));
            upload.abort();
            endTransfer();
            return true;
        }
        abandonUpload(ErrorCode.SYNTAX, "expected CHUNK, OKAY or ABORT inside a transfer");
        return state == State.DISCARDING;
    }

    /**
     * A stalled upload (a partial chunk, then silence) must not hold its title for ever: past the idle timeout it is
     * abandoned, the uploader told, and the rest of its transfer, should it ever come, discarded.
     */
    private void armIdleTimer(long delayNanos) {
        idleTimer = services.timers().schedule(() -> executor.execute(this::idleCheck), delayNanos);
    }

    private synchronized void idleCheck() {
        idleTimer = null;
        if (state != State.RECEIVING || upload == null) {
            return;
        }
        long timeout = services.config().uploadIdleTimeout().toNanos();
        long idle = services.time().monotonicNanos() - lastChunkNanos;
        if (idle < timeout) {
            armIdleTimer(timeout - idle);
            return;
        }
        abandonUpload(ErrorCode.LIMIT, "nothing received for " + services.config().uploadIdleTimeout().toSeconds()
                + " s");
        moveTo(State.DISCARDING);
    }

    /** A line while a refused transfer is thrown away: its OKAY or ABORT ends it silently. */
    private boolean discardingLine(String text) {
        List<String> tokens = transferTokens(text);
        String verb = tokens.isEmpty() ? "" : tokens.get(0).toUpperCase(Locale.ROOT);
        if (verb.equals("OKAY") && tokens.size() > 1) {
            pingAnswered(tokens.get(1));
            return true;
        }
        endTransfer();
        return (verb.equals("OKAY") || verb.equals("ABORT")) && tokens.size() == 1;
    }

    private static List<String> transferTokens(String text) {
        try {
            return Tokens.split(text);
        } catch (ProtocolException e) {
            return List.of();
        }
    }

    private void abandonUpload(ErrorCode code, String why) {
        String title = upload.title();
        upload.abort();
        upload = null;
        LOG.info("{}: upload of {} abandoned: {}", who(), title, why);
        out.send(ErrorReplies.error(code, why + "; the upload of " + title + " was abandoned"));
        if (code == ErrorCode.TOO_LARGE) {
            moveTo(State.DISCARDING);
        } else {
            endTransfer();
        }
    }

    private void finishUpload() {
        Upload finished = upload;
        long bytes = finished.bytesReceived();
        long started = uploadStartedNanos;
        endTransfer();
        Song song;
        try {
            song = finished.commit();
        } catch (LibraryException e) {
            LOG.info("{}: upload of {} refused: {}", who(), finished.title(), e.getMessage());
            out.send(ErrorReplies.of(e));
            return;
        } catch (RuntimeException | OutOfMemoryError e) {
            // Whatever the tag library did, the uploader gets exactly one final reply and nothing is kept.
            finished.abort();
            out.send(ErrorReplies.of(e));
            return;
        }
        double seconds = Math.max(1, services.time().monotonicNanos() - started) / 1e9;
        LOG.info("{} uploaded #{} {} ({} bytes in {} s)", who(), song.id(), song.title(), bytes,
                String.format(Locale.ROOT, "%.2f", seconds));
        try {
            services.owners().uploaded(song.id(), member.username(), member.identity());
        } catch (RuntimeException e) {
            LOG.error("recording who uploaded {} failed; only operators may change it", song.title(), e);
        }
        out.send(new Message.Okay(Long.toString(song.id())));
        try {
            jukebox.songAdded(song, member);
        } catch (RuntimeException e) {
            LOG.error("announcing the new song {} failed", song.title(), e);
        }
    }

    // ---- server-wide actions ----

    /** Tells the client the server is stopping and closes. */
    void closeForShutdown(String text) {
        synchronized (this) {
            if (state != State.CLOSED && state != State.CLOSING) {
                moveTo(State.CLOSING);
            }
        }
        out.closeAfter(new ServerMessage.Notify(text), "server stopping");
    }

    /** Drops an upload under way (at shutdown), so that no temporary file outlives the server. */
    synchronized void abortUpload() {
        if (upload != null) {
            upload.abort();
            upload = null;
        }
    }

    /** What handlers may do to the session itself. */
    private final class Control implements SessionControl {
        @Override
        public Set<Capability> capabilities() {
            return capabilities;
        }

        @Override
        public void enable(Collection<Capability> names) {
            EnumSet<Capability> next = EnumSet.noneOf(Capability.class);
            next.addAll(capabilities);
            boolean pingsNew = !next.contains(Capability.PING) && names.contains(Capability.PING);
            next.addAll(names);
            capabilities = next;
            out.capabilities(next);
            if (pingsNew && state == State.MEMBER) {
                startPings();
            }
        }

        @Override
        public void pingAnswered(String token) {
            SessionCore.this.pingAnswered(token);
        }

        @Override
        public void receive(Upload started) {
            upload = started;
            uploadStartedNanos = services.time().monotonicNanos();
            lastChunkNanos = uploadStartedNanos;
            moveTo(State.RECEIVING);
            armIdleTimer(services.config().uploadIdleTimeout().toNanos());
            LOG.info("{} is uploading {}", who(), started.title());
        }

        @Override
        public void quitting() {
            quitting = true;
        }
    }
}
