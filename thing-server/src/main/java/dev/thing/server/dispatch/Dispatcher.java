package dev.thing.server.dispatch;

import dev.thing.protocol.ClientMessage;
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
import dev.thing.server.command.CommandSpec;
import dev.thing.server.command.Commands;
import dev.thing.server.command.Reply;
import dev.thing.server.library.LibraryException;
import dev.thing.server.library.Song;
import dev.thing.server.lobby.JoinResult;
import dev.thing.server.lobby.Member;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;

/**
 * The server's IoHandler: the state gate, rate limiting, uploads, and the command table. It runs behind MINA's
 * ExecutorFilter, never on an I/O thread, one event at a time per connection.
 */
public final class Dispatcher extends IoHandlerAdapter {
    private static final Logger LOG = LogManager.getLogger(Dispatcher.class);
    private static final AttributeKey CONNECTION = new AttributeKey(Dispatcher.class, "connection");
    static final int MAX_MALFORMED_JOIN_LINES = 5;
    static final int PING_BURST = 5;
    static final long PING_BURST_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    public static final String GREETING = "THING/1.0 ready: send \"<lobby> <username>\" to join, or HELP, LOBBIES, QUIT";

    private final Services services;
    private final java.util.concurrent.Executor drainExecutor;
    private final Jukebox jukebox;
    private final Commands commands;
    private final Map<Long, Connection> connections = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;

    public Dispatcher(Services services, Jukebox jukebox) {
        this(services, jukebox, Runnable::run);
    }

    /** {@code drainExecutor} runs held commands when their turn comes (the server's worker pool). */
    public Dispatcher(Services services, Jukebox jukebox, java.util.concurrent.Executor drainExecutor) {
        this.drainExecutor = drainExecutor;
        this.services = services;
        this.jukebox = jukebox;
        this.commands = new Commands(jukebox);
    }

    public int connectionCount() {
        return connections.size();
    }

    // ---- session lifecycle ----

    @Override
    public void sessionOpened(IoSession session) {
        SessionPeer peer = new SessionPeer(session, services.config().maxUnsentBytes(), services.timers(),
                () -> startPings(session));
        Connection conn = new Connection(session, peer,
                new RateLimiter(services.config().rateBurst(), services.config().ratePerSecond(), services.time()));
        peer.who(conn.who());
        session.setAttribute(CONNECTION, conn);
        connections.put(session.getId(), conn);
        if (connections.size() > services.config().maxConnections()) {
            LOG.warn("refusing {}: {} connections is the limit", session.getRemoteAddress(),
                    services.config().maxConnections());
            peer.closeAfter(new ServerMessage.Notify("server full (" + services.config().maxConnections()
                    + " connections); try later"), "server full");
            return;
        }
        LOG.debug("connection from {}", session.getRemoteAddress());
        peer.send(new ServerMessage.Notify(GREETING));
        long timeout = services.config().handshakeTimeout().toNanos();
        conn.handshakeTimer = services.timers().schedule(() -> {
            if (conn.member == null && !session.isClosing()) {
                peer.closeAfter(new ServerMessage.Notify("no join line within "
                        + services.config().handshakeTimeout().toSeconds() + " s; closing"), "handshake timeout");
            }
        }, timeout);
    }

    @Override
    public void sessionClosed(IoSession session) {
        Connection conn = (Connection) session.getAttribute(CONNECTION);
        if (conn == null) {
            return;
        }
        connections.remove(session.getId());
        withContext(conn, () -> {
            if (conn.handshakeTimer != null) {
                conn.handshakeTimer.cancel();
            }
            if (conn.upload != null) {
                LOG.info("{} disconnected in the middle of uploading {} ({} bytes received); nothing was stored",
                        conn.who(), conn.upload.title(), conn.upload.bytesReceived());
                conn.upload.abort();
                conn.upload = null;
            }
            conn.peer.closed();
            Member m = conn.member;
            if (m != null && !shuttingDown) {
                services.lobbies().leave(m);
                LOG.info("{} disconnected", conn.who());
            }
        });
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        Connection conn = (Connection) session.getAttribute(CONNECTION);
        String who = conn == null ? String.valueOf(session.getRemoteAddress()) : conn.who();
        if (cause instanceof java.io.IOException) {
            LOG.debug("{}: {}", who, cause.toString());
        } else {
            LOG.warn("{}: unexpected failure; closing the connection", who, cause);
        }
        session.closeNow();
    }

    @Override
    public void messageSent(IoSession session, Object message) {
        Connection conn = (Connection) session.getAttribute(CONNECTION);
        if (conn == null) {
            return;
        }
        if (message instanceof ServerMessage.Ping ping) {
            conn.pings.written(ping.token(), services.time().monotonicNanos());
        }
        conn.peer.sent(message);
    }

    // ---- input ----

    /**
     * Frames are handled in arrival order. A command past the client's burst is not dropped: it waits in the
     * connection's backlog until its turn under the steady rate, and the socket is not read meanwhile, so a
     * flooding client is slowed down by TCP itself and its backlog stays small (one read's worth at most).
     */
    @Override
    public void messageReceived(IoSession session, Object message) {
        Connection conn = (Connection) session.getAttribute(CONNECTION);
        if (conn == null || session.isClosing()) {
            return;
        }
        synchronized (conn) {
            if (!conn.backlog.isEmpty()) {
                conn.backlog.addLast(new Connection.Held(message, dueNanos(conn, message)));
                return;
            }
            long wait = costsToken(conn, message) ? conn.rate.take() : 0;
            if (wait > 0) {
                conn.backlog.addLast(new Connection.Held(message, services.time().monotonicNanos() + wait));
                session.suspendRead();
                scheduleDrain(conn, wait);
                return;
            }
            handle(conn, message);
        }
    }

    /**
     * Chunk bodies are paced by TCP, not counted as commands. (Whether one belongs to an upload cannot be told
     * when it arrives: the SEND before it may still be waiting its turn in the backlog.)
     */
    private static boolean costsToken(Connection conn, Object message) {
        return !(message instanceof Frame.ChunkBody);
    }

    private long dueNanos(Connection conn, Object message) {
        long wait = costsToken(conn, message) ? conn.rate.take() : 0;
        return services.time().monotonicNanos() + wait;
    }

    private void scheduleDrain(Connection conn, long waitNanos) {
        services.timers().schedule(() -> drainExecutor.execute(() -> drain(conn)), waitNanos);
    }

    private void drain(Connection conn) {
        synchronized (conn) {
            long now = services.time().monotonicNanos();
            while (!conn.backlog.isEmpty() && !conn.session.isClosing()) {
                Connection.Held next = conn.backlog.peekFirst();
                if (next.dueNanos() > now) {
                    scheduleDrain(conn, next.dueNanos() - now);
                    return;
                }
                conn.backlog.removeFirst();
                handle(conn, next.frame());
            }
            conn.backlog.clear();
            conn.session.resumeRead();
        }
    }

    private void handle(Connection conn, Object message) {
        if (conn.peer.closing()) {
            // After QUIT (or a kick, or a limit) nothing more the client sent may take effect.
            return;
        }
        withContext(conn, () -> {
            try {
                if (message instanceof Frame.ChunkBody chunk) {
                    chunk(conn, chunk.chunk());
                } else if (message instanceof Frame.Line line) {
                    line(conn, line.text());
                } else if (message instanceof Frame.Malformed bad) {
                    malformed(conn, bad);
                }
            } catch (RuntimeException e) {
                conn.peer.send(ErrorReplies.of(e));
            }
        });
    }

    private void malformed(Connection conn, Frame.Malformed bad) {
        if (conn.upload != null) {
            abandonUpload(conn, bad.code(), bad.text());
            return;
        }
        if (conn.discarding) {
            if (!bad.inChunk()) {
                conn.discarding = false;
                conn.peer.receiving(false);
                reply(conn, ErrorReplies.error(bad.code(), bad.text()));
            }
            return;
        }
        reply(conn, ErrorReplies.error(bad.code(), bad.text()));
        if (conn.member == null) {
            countMalformedJoin(conn);
        }
    }

    private void line(Connection conn, String text) {
        if (conn.inTransfer() && transferLine(conn, text)) {
            return;
        }
        ClientMessage message;
        try {
            message = conn.member == null ? MessageParser.parseBeforeJoin(text) : MessageParser.parseClient(text);
        } catch (ProtocolException e) {
            Member m = conn.member;
            // RFC 3.7: a pending joiner's lines, whatever their verb, are answered ERROR PENDING; and a command
            // from a role that may not use it is NOT_ALLOWED whatever its arguments (RFC 5.6).
            ServerMessage.Error refusal = m == null ? null : m.isPending() ? pendingError(m) : roleRefusal(m, text);
            reply(conn, refusal != null ? refusal : ErrorReplies.of(e));
            if (isSendLine(text)) {
                startDiscarding(conn);
            } else if (conn.member == null) {
                countMalformedJoin(conn);
            }
            return;
        }
        if (message == null) {
            return;
        }
        if (message instanceof Message.Okay okay) {
            pingAnswered(conn, okay.detail());
            return;
        }
        if (message instanceof Message.Abort) {
            Member m = conn.member;
            reply(conn, m != null && m.isPending() ? pendingError(m)
                    : ErrorReplies.error(ErrorCode.NOT_ALLOWED, "ABORT outside a transfer: nothing to cancel"));
            return;
        }
        if (message instanceof ClientMessage.Join join) {
            join(conn, join);
            return;
        }
        if (message instanceof Message.Send send) {
            beginUpload(conn, send);
            return;
        }
        command(conn, message);
    }

    private static ServerMessage.Error notAllowed(CommandSpec<?> spec, Role role) {
        return ErrorReplies.error(ErrorCode.NOT_ALLOWED, spec.verb() + " is for " + spec.access().describe()
                + "; you are a " + role.name().toLowerCase(Locale.ROOT));
    }

    /** NOT_ALLOWED for a malformed line whose verb the member's role may not use at all; else null. */
    private ServerMessage.Error roleRefusal(Member member, String text) {
        String verb;
        try {
            List<String> tokens = Tokens.split(text);
            verb = tokens.isEmpty() ? "" : tokens.get(0).toUpperCase(Locale.ROOT);
        } catch (ProtocolException e) {
            return null;
        }
        return commands.spec(verb).filter(spec -> !spec.access().allows(member.role()))
                .map(spec -> notAllowed(spec, member.role())).orElse(null);
    }

    private void command(Connection conn, ClientMessage message) {
        CommandSpec<?> spec = commands.spec(message).orElseThrow(
                () -> new IllegalStateException("no handler for " + message.getClass().getSimpleName()));
        Member member = conn.member;
        if (member != null) {
            Role role = member.role();
            if (role == Role.PENDING && spec.access() != dev.thing.server.command.Access.PENDING) {
                reply(conn, pendingError(member));
                return;
            }
            if (!spec.access().allows(role)) {
                reply(conn, notAllowed(spec, role));
                return;
            }
        }
        Reply reply;
        try {
            reply = spec.run(message, new CommandContext(member, services, conn.peer));
        } catch (Exception e) {
            reply(conn, ErrorReplies.of(e));
            return;
        }
        write(conn, reply);
    }

    private static ServerMessage.Error pendingError(Member member) {
        return ErrorReplies.error(ErrorCode.PENDING, "you are waiting for approval to join "
                + member.lobby().name() + "; until then only HELP and QUIT work");
    }

    private void write(Connection conn, Reply reply) {
        for (ServerMessage line : reply.lines()) {
            conn.peer.send(line);
        }
        if (reply.transfer() != null) {
            conn.peer.sendSong(reply.transfer());
        }
        if (reply.close()) {
            conn.peer.closeAfter(reply.last(), "QUIT");
        } else if (reply.last() != null) {
            conn.peer.send(reply.last());
        }
        for (Runnable action : reply.afterwards()) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.error("after replying to {}: a follow-up failed", conn.who(), e);
            }
        }
    }

    private void reply(Connection conn, ServerMessage message) {
        conn.peer.send(message);
    }

    private void countMalformedJoin(Connection conn) {
        conn.malformedJoinLines++;
        if (conn.malformedJoinLines >= MAX_MALFORMED_JOIN_LINES) {
            conn.peer.closeAfter(new ServerMessage.Notify("too many malformed join lines; closing"),
                    "too many malformed join lines");
        }
    }

    // ---- the handshake ----

    private void join(Connection conn, ClientMessage.Join join) {
        JoinResult result;
        try {
            result = services.lobbies().join(join.lobby(), join.username(), conn.peer);
        } catch (ThingException e) {
            reply(conn, ErrorReplies.of(e));
            return;
        }
        if (result instanceof JoinResult.Taken) {
            LOG.info("{}: username {} is taken in {}", conn.who(), join.username(), join.lobby());
            conn.peer.closeAfter(new ServerMessage.Taken(join.username()), "username taken");
            return;
        }
        if (conn.handshakeTimer != null) {
            conn.handshakeTimer.cancel();
        }
        if (result instanceof JoinResult.Created created) {
            conn.member = created.member();
            conn.peer.who(conn.who());
            reply(conn, Message.Okay.PLAIN);
            services.lobbies().arrived(created.member());
        } else if (result instanceof JoinResult.Pending pending) {
            conn.member = pending.member();
            conn.peer.who(conn.who());
        }
    }

    // ---- PING ----

    private void startPings(IoSession session) {
        for (int i = 0; i < PING_BURST; i++) {
            services.timers().schedule(() -> ping(session), i * PING_BURST_GAP_NANOS);
        }
    }

    /** Sends a PING unless a transfer is under way. Called by the burst and by the server's periodic pinger. */
    public void ping(IoSession session) {
        Connection conn = (Connection) session.getAttribute(CONNECTION);
        if (conn == null || session.isClosing() || conn.member == null || conn.member.isPending()
                || conn.peer.transferUnderWay()) {
            return;
        }
        conn.peer.send(new ServerMessage.Ping(conn.pings.nextToken()));
    }

    /** PINGs every accepted member not busy with a transfer. */
    public void pingAll() {
        for (Connection conn : connections.values()) {
            ping(conn.session);
        }
    }

    /**
     * PINGs one slice of the connections: slice {@code slot} of {@code slots}. The server calls this
     * {@code slots} times per ping interval, so that 10,000 PINGs do not all leave (and come back) in one burst.
     */
    public void pingSlice(int slot, int slots) {
        for (Connection conn : connections.values()) {
            if (Math.floorMod(conn.session.getId(), slots) == slot) {
                ping(conn.session);
            }
        }
    }

    private void pingAnswered(Connection conn, String token) {
        OptionalLong rtt = conn.pings.answered(token, services.time().monotonicNanos());
        Member m = conn.member;
        if (rtt.isPresent() && m != null) {
            m.rtt().sample(rtt.getAsLong() / 1_000);
        }
    }

    // ---- uploads (C->S SEND) ----

    private static boolean isSendLine(String text) {
        String trimmed = text.stripLeading();
        return trimmed.length() >= 4 && trimmed.regionMatches(true, 0, "SEND", 0, 4)
                && (trimmed.length() == 4 || Character.isWhitespace(trimmed.charAt(4)));
    }

    private void startDiscarding(Connection conn) {
        conn.discarding = true;
        conn.peer.receiving(true);
    }

    private void beginUpload(Connection conn, Message.Send send) {
        Member m = conn.member;
        String refusal = null;
        ErrorCode code = ErrorCode.NOT_ALLOWED;
        if (m == null) {
            refusal = "join a lobby first";
        } else if (m.isPending()) {
            code = ErrorCode.PENDING;
            refusal = "you are waiting for approval; only the admin uploads songs";
        } else if (m.role() != Role.ADMIN) {
            refusal = "only the admin of " + m.lobby().name() + " uploads songs";
        }
        if (refusal != null) {
            reply(conn, ErrorReplies.error(code, refusal + "; the rest of this transfer is discarded"));
            startDiscarding(conn);
            return;
        }
        try {
            conn.upload = services.library().beginUpload(send.title(), send.artist(), send.tag1(), send.tag2());
            conn.uploadStartedNanos = services.time().monotonicNanos();
            conn.peer.receiving(true);
            LOG.info("{} is uploading {}", conn.who(), send.title());
        } catch (LibraryException e) {
            reply(conn, ErrorReplies.of(e));
            startDiscarding(conn);
        }
    }

    private void chunk(Connection conn, Message.Chunk chunk) {
        if (conn.upload != null) {
            try {
                conn.upload.append(chunk.data(), 0, chunk.data().length);
            } catch (LibraryException e) {
                conn.upload.abort();
                conn.upload = null;
                reply(conn, ErrorReplies.of(e));
                conn.discarding = true;
            }
            return;
        }
        if (conn.discarding) {
            return;
        }
        Member m = conn.member;
        reply(conn, m != null && m.isPending() ? pendingError(m)
                : ErrorReplies.error(ErrorCode.NOT_ALLOWED, "CHUNK outside a transfer: send SEND <title> first"));
    }

    /** Handles a line inside a transfer. Returns false when the line is not part of it and must be handled. */
    private boolean transferLine(Connection conn, String text) {
        List<String> tokens;
        try {
            tokens = Tokens.split(text);
        } catch (ProtocolException e) {
            tokens = List.of();
        }
        String verb = tokens.isEmpty() ? "" : tokens.get(0).toUpperCase(Locale.ROOT);
        if (verb.equals("OKAY") && tokens.size() > 1) {
            pingAnswered(conn, tokens.get(1));
            return true;
        }
        if (verb.equals("OKAY") && tokens.size() == 1) {
            finishUpload(conn);
            return true;
        }
        if (verb.equals("ABORT") && tokens.size() == 1) {
            if (conn.upload != null) {
                LOG.info("{} cancelled the upload of {}", conn.who(), conn.upload.title());
                reply(conn, ErrorReplies.error(ErrorCode.ABORTED, "upload of " + conn.upload.title()
                        + " cancelled; nothing stored"));
                conn.upload.abort();
                conn.upload = null;
            }
            endTransfer(conn);
            return true;
        }
        if (conn.upload != null) {
            abandonUpload(conn, ErrorCode.SYNTAX, "expected CHUNK, OKAY or ABORT inside a transfer");
        } else {
            endTransfer(conn);
        }
        return false;
    }

    private void abandonUpload(Connection conn, ErrorCode code, String why) {
        String title = conn.upload.title();
        conn.upload.abort();
        conn.upload = null;
        LOG.info("{}: upload of {} abandoned: {}", conn.who(), title, why);
        reply(conn, ErrorReplies.error(code, why + "; the upload of " + title + " was abandoned"));
        if (code == ErrorCode.TOO_LARGE) {
            conn.discarding = true;
        } else {
            endTransfer(conn);
        }
    }

    private void endTransfer(Connection conn) {
        conn.discarding = false;
        conn.upload = null;
        conn.peer.receiving(false);
    }

    private void finishUpload(Connection conn) {
        if (conn.upload == null) {
            endTransfer(conn);
            return;
        }
        var upload = conn.upload;
        long bytes = upload.bytesReceived();
        long started = conn.uploadStartedNanos;
        conn.upload = null;
        endTransfer(conn);
        Song song;
        try {
            song = upload.commit();
        } catch (LibraryException e) {
            LOG.info("{}: upload of {} refused: {}", conn.who(), upload.title(), e.getMessage());
            reply(conn, ErrorReplies.of(e));
            return;
        } catch (RuntimeException e) {
            upload.abort();
            reply(conn, ErrorReplies.of(e));
            return;
        }
        double seconds = Math.max(1, services.time().monotonicNanos() - started) / 1e9;
        LOG.info("{} uploaded #{} {} ({} bytes in {} s)", conn.who(), song.id(), song.title(), bytes,
                String.format(Locale.ROOT, "%.2f", seconds));
        reply(conn, new Message.Okay(Long.toString(song.id())));
        Member uploader = conn.member;
        try {
            jukebox.songAdded(song, uploader);
        } catch (RuntimeException e) {
            LOG.error("announcing the new song {} failed", song.title(), e);
        }
    }

    // ---- logging context ----

    private static void withContext(Connection conn, Runnable body) {
        ThreadContext.put("who", conn.who());
        try {
            body.run();
        } finally {
            ThreadContext.remove("who");
        }
    }

    /** Lets the server tell everyone it is stopping. */
    public void closeAll(String text) {
        // From here on nobody "leaves": departures would reach the others before their shutdown notice.
        shuttingDown = true;
        for (Connection conn : connections.values()) {
            conn.peer.closeAfter(new ServerMessage.Notify(text), "server stopping");
        }
    }

    /** Abandons uploads under way (at shutdown), so that no temporary file outlives the server. */
    public void abortUploads() {
        for (Connection conn : connections.values()) {
            synchronized (conn) {
                if (conn.upload != null) {
                    conn.upload.abort();
                }
            }
        }
    }
}
