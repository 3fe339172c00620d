package dev.thing.client;

import dev.thing.client.audio.AudioMode;
import dev.thing.client.audio.AudioOutputs;
import dev.thing.client.audio.AudioSink;
import dev.thing.client.audio.GrowingFileSource;
import dev.thing.client.audio.Player;
import dev.thing.client.sync.ClockSync;
import java.util.function.Supplier;

import dev.thing.client.audio.PlaybackControl;
import dev.thing.client.cache.CacheLock;
import dev.thing.client.cache.SongCache;
import dev.thing.client.board.BoardState;
import dev.thing.client.console.BoardDrawing;
import dev.thing.client.console.ClientApi;
import dev.thing.client.console.Command;
import dev.thing.client.console.CommandLoop;
import dev.thing.client.console.CompletionData;
import dev.thing.client.console.ConsoleIO;
import dev.thing.client.net.ClientProtocol;
import dev.thing.client.net.JoinResult;
import dev.thing.client.net.ProtocolListener;
import dev.thing.client.net.Reply;
import dev.thing.client.net.ServerTrust;
import dev.thing.client.net.ThingConnection;
import dev.thing.client.net.UploadHandle;
import dev.thing.client.net.UploadProgress;
import dev.thing.client.sync.LocalClock;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Message;
import dev.thing.protocol.Names;
import dev.thing.protocol.Positions;
import dev.thing.protocol.ProtocolException;
import dev.thing.protocol.Role;
import dev.thing.protocol.ServerMessage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One run of the client: opens the cache, connects, joins, starts clock sampling, runs the command loop, cleans
 * up. Exit codes: 0 success, 1 a failed command (scripts) or a lost connection, 2 could not join.
 */
public final class ThingClient {
    private static final Logger LOG = LogManager.getLogger(ThingClient.class);
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_NOT_JOINED = 2;

    /** The command line, parsed. {@code tls} null: plain TCP; {@code password} null: a guest's join. */
    public record Config(String host, int port, Path cacheDir, long cacheMaxBytes, long latencyMs, AudioMode audio,
                         String lobby, String username, Tls tls, String password) {
        public Config(String host, int port, Path cacheDir, long cacheMaxBytes, long latencyMs, AudioMode audio,
                      String lobby, String username, Tls tls) {
            this(host, port, cacheDir, cacheMaxBytes, latencyMs, audio, lobby, username, tls, null);
        }

        /** Over plain TCP; with {@code noAudio}: silent, without: {@code --audio auto}. */
        public Config(String host, int port, Path cacheDir, long cacheMaxBytes, long latencyMs, boolean noAudio,
                      String lobby, String username) {
            this(host, port, cacheDir, cacheMaxBytes, latencyMs, noAudio ? AudioMode.SILENT : AudioMode.AUTO, lobby,
                    username, null);
        }

        public boolean noAudio() {
            return audio == AudioMode.SILENT;
        }

        public Config withTls(Tls t) {
            return new Config(host, port, cacheDir, cacheMaxBytes, latencyMs, audio, lobby, username, t, password);
        }

        public Config withPassword(String p) {
            return new Config(host, port, cacheDir, cacheMaxBytes, latencyMs, audio, lobby, username, tls, p);
        }

        @Override
        public String toString() {
            return "Config[" + host + ":" + port + " " + lobby + "/" + username + (password == null ? "" : " ***")
                    + (tls == null ? "" : " tls") + "]";
        }
    }

    /**
     * TLS to the server: the certificate pinned by its fingerprint, or (fingerprint null) trusted on first use and
     * remembered in {@code knownHosts}.
     */
    public record Tls(Path knownHosts, String fingerprint) {
    }

    /** The clock-sync and playback parts, replaceable in tests. */
    public interface Components {
        ClockSyncPort clockSync(LocalClock clock);

        PlaybackControl playback(Config config, LocalClock clock, Consumer<String> warn);
    }

    /**
     * The real parts: NTP-style clock sync, and JLayer playback through the output {@code --audio} chooses
     * ({@link AudioOutputs}: PulseAudio, Java Sound, or, with --audio silent or no output at all, after one warning,
     * a silent sink that keeps real time so the client stays in sync).
     */
    public static final Components REAL = new Components() {
        @Override
        public ClockSyncPort clockSync(LocalClock clock) {
            ClockSync cs = new ClockSync(clock);
            return ClockSyncPort.of(cs::addSample, cs, cs::offsetMicros, cs::bestRttMicros, cs::ready);
        }

        @Override
        public PlaybackControl playback(Config config, LocalClock clock, Consumer<String> warn) {
            Supplier<AudioSink> sinks = AudioOutputs.chooseOrSilent(config.audio(), AudioOutputs.SYSTEM, clock, warn)
                    .sinks();
            return new Player(sinks, clock, config.latencyMs() * 1_000_000L);
        }
    };

    private final Config config;
    private final Components components;
    private final LocalClock clock;
    private volatile boolean quitting;
    private volatile boolean inLobby;
    private final CompletableFuture<Void> pendingSeen = new CompletableFuture<>();
    private volatile String lastNotify;
    /**
     * The server ended our wait for approval (EVENT APPROVAL REFUSED, TIMEOUT or CLOSED), or null: its closing
     * NOTIFY, which follows, is then held back and shown once, as the reason the join failed.
     */
    private volatile ServerMessage.Approval turnedAway;
    /** The NOTIFY that came after {@link #turnedAway}: why we are not let in, in the server's words. */
    private volatile String turnedAwayReason;
    private final CacheLock presetLock;
    /** The lobby's board, from the server's EVENT BOARD lines. */
    private final BoardState board;
    /** The lobby's song while it plays (its last PLAY, until PAUSE or STOP), for status and the player watch. */
    private volatile ServerMessage.PlayEvent lobbyPlay;
    /** Who caused the playback line about to arrive (EVENT BY), until that line comes. */
    private volatile ServerMessage.ByEvent by;
    /** The lobby's song as the last playback line left it (playing or paused), null when stopped. */
    private volatile String lobbyTitle;
    /** This client failed to play the lobby's song: what to say about it (until the next PLAY, PAUSE or STOP). */
    private volatile String playbackFailure;
    private ServerMessage.PlayEvent suspectPlay;
    private long suspectPositionMs;
    /** The password the join succeeded with (given, or asked for at the terminal), or null for a guest. */
    private volatile String joinPassword;
    /** The token the server gave this connection to come back to its place with (RFC 3.15), or null. */
    private volatile String rejoinToken;
    /** The server removed us on purpose (a kick or a ban: our own EVENT GONE): no coming back. */
    private volatile boolean removed;
    /** The connection dropped and the client is trying to come back; commands wait for it. */
    private volatile boolean reconnecting;
    /** Starts coming back after a drop; set once the parts it needs exist. */
    private volatile Runnable comeBack = () -> { };
    /** How long after a drop the client keeps trying (the server keeps a place 120 s unless told otherwise). */
    static final Duration RECONNECT_WINDOW = Duration.ofSeconds(150);
    /** The waits between attempts to come back, the last one repeated. */
    static final long[] RECONNECT_BACKOFF_MS = {250, 500, 1_000, 2_000, 4_000, 8_000, 15_000};

    public ThingClient(Config config, Components components, LocalClock clock) {
        this(config, components, clock, null);
    }

    /** With the cache folder's lock already taken (Main takes it to choose the folder before logging starts). */
    public ThingClient(Config config, Components components, LocalClock clock, CacheLock cacheLock) {
        this.config = config;
        this.components = components;
        this.clock = clock;
        this.presetLock = cacheLock;
        this.board = new BoardState(config.username());
    }

    /** Runs the client with the console the factory builds (it gets the completion data). Returns the exit code. */
    public int run(Function<CompletionData, ConsoleIO> consoleFactory) {
        LobbyState state = new LobbyState(config.lobby(), config.username());
        ConsoleIO console = consoleFactory.apply(completion(state));
        try {
            return run(state, console);
        } finally {
            console.close();
        }
    }

    private int run(LobbyState state, ConsoleIO console) {
        CacheLock lock = presetLock;
        try {
            if (lock == null) {
                Optional<CacheLock> got = CacheLock.tryAcquire(config.cacheDir());
                if (got.isEmpty()) {
                    console.error(cacheInUse(config.cacheDir()));
                    return EXIT_FAILED;
                }
                lock = got.get();
            }
        } catch (IOException e) {
            console.error("cannot open the cache folder " + config.cacheDir() + ": " + e.getMessage());
            return EXIT_FAILED;
        }
        try {
            return run(state, console, lock);
        } finally {
            lock.close();
        }
    }

    /** Why a client cannot use a cache folder another client holds, and what to do. */
    public static String cacheInUse(Path dir) {
        return "the cache folder " + dir + " is in use by another thing-client (" + CacheLock.holder(dir)
                + "); give each client on this machine its own --cache DIR";
    }

    private int run(LobbyState state, ConsoleIO console, CacheLock lock) {
        SongCache cache;
        try {
            cache = SongCache.open(config.cacheDir(), config.cacheMaxBytes(), System::currentTimeMillis,
                    GrowingFileSource::new);
        } catch (IOException e) {
            console.error("cannot open the cache folder " + config.cacheDir() + ": " + e.getMessage());
            return EXIT_FAILED;
        }
        ClockSyncPort sync = components.clockSync(clock);
        PlaybackControl player = components.playback(config, clock, console::warn);
        ThingConnection connection = null;
        ServerTrust trust = null;
        ClientProtocol[] protocol = new ClientProtocol[1];
        ThingConnection[] current = new ThingConnection[1];
        Function<ClientMessage, CompletableFuture<Reply>> sender = m -> (reconnecting
                ? CompletableFuture.<Reply>failedFuture(new IllegalStateException("not connected: coming back to "
                + config.lobby() + "; try again in a moment"))
                : protocol[0].send(m)).thenApply(r -> {
            state.absorb(r);
            board.absorb(r);
            return r;
        });
        PlaybackCoordinator coordinator = new PlaybackCoordinator(cache, player, sync, state, sender, console::notice);
        // The board plays on the lobby's clock: its START instant is mapped to local time as a PLAY's is.
        board.onChange(b -> player.board(b, b.playing() ? sync.localNanosAt(b.startUs()) : 0));
        ClockSampler sampler = new ClockSampler(sender, 8, 100, 5000);
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "thing-client-player-watch");
            t.setDaemon(true);
            return t;
        });
        try {
            ProtocolListener listener = listener(state, cache, coordinator, console, sender, sync);
            try {
                InetAddress.getByName(config.host()); // to tell an unknown host from an unreachable server
                trust = trust(console);
                ServerTrust trusted = trust;
                Opener opener = join -> ThingConnection.open(config.host(), config.port(), Duration.ofSeconds(10),
                        trusted, t -> new ClientProtocol(t, join, listener, coordinator, sync, clock,
                                state::titleOfRef, ClientProtocol.DEFAULT_WINDOW));
                joinPassword = config.password();
                connection = opener.open(new ClientMessage.Join(config.lobby(), config.username(), config.password()));
                comeBack = () -> startComingBack(opener, protocol, current, state, console, sender);
            } catch (IOException e) {
                console.error(connectError(config.host(), config.port(), e));
                return EXIT_NOT_JOINED;
            }
            current[0] = connection;
            protocol[0] = connection.protocol();
            CompletableFuture<JoinResult> joined = protocol[0].joined();
            int passwordTries = 0;
            JoinResult result;
            while (true) {
                // On the event thread, as the join completes: a close after it is a lost connection to report.
                joined.thenAccept(r -> inLobby = r.joined());
                CompletableFuture.anyOf(joined, pendingSeen).join();
                if (!joined.isDone() && !console.waitFor(joined, "waiting> ",
                        "not in " + config.lobby() + " yet; Ctrl-C, Ctrl-D or 'quit' gives up")) {
                    quitting = true;
                    try {
                        protocol[0].send(new ClientMessage.Quit()).get(2, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        LOG.debug("QUIT while waiting for approval", e);
                    }
                    console.println("gave up waiting to join " + config.lobby());
                    return EXIT_NOT_JOINED;
                }
                result = joined.join();
                String password = result.outcome() == JoinResult.Outcome.ERROR && passwordTries < MAX_PASSWORD_TRIES
                        ? askPassword(console, result.text()) : null;
                if (password == null) {
                    break;
                }
                passwordTries++;
                // The server keeps the connection open after a refused password: the same socket tries again.
                joined = protocol[0].retryJoin(password);
                joinPassword = password;
            }
            switch (result.outcome()) {
                case TAKEN -> {
                    console.error("the name " + result.text() + " is already taken in lobby " + config.lobby()
                            + "; choose another username");
                    return EXIT_NOT_JOINED;
                }
                case ERROR -> {
                    console.error("the server refused the join: " + result.text()
                            + (result.text().contains(" is registered; ") && config.password() == null
                            ? " (give it with --password, or --ask-password to be asked for it)" : ""));
                    return EXIT_NOT_JOINED;
                }
                case CLOSED -> {
                    if (trust != null && trust.refusal().isPresent()) {
                        console.error(trust.refusal().get());
                        return EXIT_NOT_JOINED;
                    }
                    if (trust != null && connection.failure() instanceof javax.net.ssl.SSLException tlsFailure) {
                        console.error("TLS handshake with " + config.host() + ":" + config.port() + " failed: "
                                + tlsFailure.getMessage() + " (is " + config.port() + " the server's TLS port, "
                                + "its --tls-port?)");
                        return EXIT_NOT_JOINED;
                    }
                    if (turnedAway != null) {
                        // Told once: not as a notice, then "could not join", then the close (#12).
                        console.error(turnedAwayReason != null ? turnedAwayReason
                                : turnedAwayText(turnedAway, config.lobby()));
                        return EXIT_NOT_JOINED;
                    }
                    String why = closingReason(result.text(), connection.lastNotify());
                    // A NOTIFY shown already (refused, approval timeout) is not repeated.
                    console.error(why.equals(lastNotify) ? "could not join " + config.lobby()
                            : "disconnected before joining: " + why);
                    return EXIT_NOT_JOINED;
                }
                default -> {
                }
            }
            afterJoin(state, console, sender);
            sampler.start();
            watch.scheduleWithFixedDelay(() -> watchPlayer(player, sync, state, console), 500, 500,
                    TimeUnit.MILLISECONDS);
            ClientApi api = api(state, cache, player, sync, coordinator, protocol, sender);
            return new CommandLoop(console, api, clock::nanoTime).run();
        } finally {
            quitting = true;
            watch.shutdownNow();
            sampler.close();
            coordinator.close();
            player.close();
            synchronized (current) {
                if (current[0] != null) {
                    current[0].dispose(Duration.ofSeconds(1));
                } else if (connection != null) {
                    connection.dispose(Duration.ofSeconds(1));
                }
            }
        }
    }

    /** Opens a connection that sends this join line after the greeting. */
    @FunctionalInterface
    private interface Opener {
        ThingConnection open(ClientMessage.Join join) throws IOException;
    }

    /**
     * The connection dropped (not a QUIT, not a kick): comes back to the lobby in the background, with the token
     * the server gave (or, for an account, its password), trying again with growing waits for as long as the
     * server keeps a place. Commands meanwhile are refused with a note; the console stays.
     */
    private void startComingBack(Opener opener, ClientProtocol[] protocol, ThingConnection[] current,
                                 LobbyState state, ConsoleIO console,
                                 Function<ClientMessage, CompletableFuture<Reply>> sender) {
        Thread t = new Thread(() -> comeBackLoop(opener, protocol, current, state, console, sender),
                "thing-client-reconnect");
        t.setDaemon(true);
        t.start();
    }

    private void comeBackLoop(Opener opener, ClientProtocol[] protocol, ThingConnection[] current, LobbyState state,
                              ConsoleIO console, Function<ClientMessage, CompletableFuture<Reply>> sender) {
        long deadline = clock.nanoTime() + RECONNECT_WINDOW.toNanos();
        String why = "the server did not answer within " + RECONNECT_WINDOW.toSeconds() + " s";
        for (int attempt = 0; !quitting; attempt++) {
            long waitMs = RECONNECT_BACKOFF_MS[Math.min(attempt, RECONNECT_BACKOFF_MS.length - 1)];
            try {
                Thread.sleep(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (quitting) {
                return;
            }
            if (clock.nanoTime() > deadline) {
                break;
            }
            String token = rejoinToken;
            String password = joinPassword;
            ClientMessage.Join join = password != null
                    ? new ClientMessage.Join(config.lobby(), config.username(), password)
                    : ClientMessage.Join.withToken(config.lobby(), config.username(), token);
            ThingConnection next;
            try {
                next = opener.open(join);
            } catch (IOException e) {
                LOG.info("coming back to {}: attempt {} could not connect: {}", config.lobby(), attempt + 1,
                        e.getMessage());
                continue;
            }
            JoinResult result;
            try {
                result = next.protocol().joined().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Waiting for approval (the place was not kept), or no answer: this is not coming back.
                LOG.info("coming back to {}: no join reply on attempt {}", config.lobby(), attempt + 1, e);
                next.dispose(Duration.ofSeconds(1));
                why = "the server did not let " + config.username() + " back in without approval";
                break;
            }
            if (result.outcome() == JoinResult.Outcome.JOINED) {
                synchronized (current) {
                    if (quitting) {
                        next.dispose(Duration.ofSeconds(1));
                        return;
                    }
                    ThingConnection old = current[0];
                    current[0] = next;
                    protocol[0] = next.protocol();
                    reconnecting = false;
                    inLobby = true;
                    if (old != null) {
                        old.dispose(Duration.ofMillis(100));
                    }
                }
                LOG.info("came back to {} on attempt {}", config.lobby(), attempt + 1);
                console.notice("reconnected to " + config.lobby());
                try {
                    sender.apply(new ClientMessage.Users()).get(10, TimeUnit.SECONDS);
                    sender.apply(new ClientMessage.ListSongs()).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.warn("USERS/LIST after coming back failed", e);
                }
                return;
            }
            next.dispose(Duration.ofSeconds(1));
            if (result.outcome() == JoinResult.Outcome.CLOSED && next.lastNotify() != null
                    && next.lastNotify().startsWith("THING/")) {
                continue; // the server greeted and closed (starting, or full): try again
            }
            why = result.outcome() == JoinResult.Outcome.TAKEN
                    ? "the name " + config.username() + " is in use there (the place was not kept for us)"
                    : result.text();
            break;
        }
        if (!quitting) {
            reconnecting = false;
            console.hangUp("could not come back to " + config.lobby() + ": " + why);
        }
    }

    /** A person gets this many tries at a password before the client gives up (the server slows guessers too). */
    static final int MAX_PASSWORD_TRIES = 3;

    /**
     * When the server refused the join for a password (a registered name without one, or a wrong one) and a
     * person is at the terminal: says why and asks for the password without echo. Null when there is nothing to
     * ask (another refusal, a script, a lock after wrong passwords) or the person gave up.
     */
    private String askPassword(ConsoleIO console, String refusal) {
        String text = refusal.startsWith("NOT_ALLOWED ") ? refusal.substring("NOT_ALLOWED ".length()) : refusal;
        boolean registered = text.startsWith(config.username() + " is registered; ");
        boolean wrong = text.startsWith("wrong password for ");
        if (!(registered || wrong) || !console.interactive()) {
            return null;
        }
        console.error(registered ? config.username() + " is a registered name: give its password (Ctrl-C gives up)"
                : "wrong password for " + config.username() + "; try again (Ctrl-C gives up)");
        while (true) {
            String typed = console.readPassword("password for " + config.username() + ": ");
            if (typed == null) {
                return null;
            }
            try {
                Names.requirePassword(typed);
                return typed;
            } catch (dev.thing.protocol.ProtocolException e) {
                console.error(e.getMessage());
            }
        }
    }

    private void afterJoin(LobbyState state, ConsoleIO console,
                           Function<ClientMessage, CompletableFuture<Reply>> sender) {
        try {
            sender.apply(new ClientMessage.Users()).get(10, TimeUnit.SECONDS);
            sender.apply(new ClientMessage.ListSongs()).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("USERS/LIST after joining failed", e);
        }
        Role role = state.myRole().orElse(Role.USER);
        console.notice("joined " + config.lobby() + " as " + config.username() + " ("
                + role.name().toLowerCase(Locale.ROOT) + (role == Role.ADMIN ? ", you created it" : "")
                + ")" + (console.interactive() ? "; type 'help'" : ""));
    }

    private ProtocolListener listener(LobbyState state, SongCache cache, PlaybackCoordinator coordinator,
                                      ConsoleIO console, Function<ClientMessage, CompletableFuture<Reply>> sender,
                                      ClockSyncPort sync) {
        return new ProtocolListener() {
            /**
             * The server's NOTIFY texts for join requests already shown from EVENT WAITING (which comes first), with
             * the client's own commands: that NOTIFY, meant for telnet, is not shown a second time.
             */
            private final java.util.Set<String> joinRequestsShown = java.util.concurrent.ConcurrentHashMap.newKeySet();

            @Override
            public void onNotify(String text) {
                lastNotify = text;
                if (turnedAway != null && !inLobby && turnedAwayReason == null) {
                    turnedAwayReason = text; // shown as the join's failure when the close comes
                    return;
                }
                if (joinRequestsShown.remove(text.toLowerCase(Locale.ROOT))) {
                    return;
                }
                console.notice(text);
            }

            @Override
            public void onEvent(ServerMessage.Event event) {
                if (event instanceof ServerMessage.ApprovalEvent a && !inLobby
                        && a.state() != ServerMessage.Approval.WAITING && a.state() != ServerMessage.Approval.ACCEPTED
                        && a.state() != ServerMessage.Approval.CREATED) {
                    turnedAway = a.state();
                    return;
                }
                if (event instanceof ServerMessage.TokenEvent token) {
                    rejoinToken = token.token();
                    return;
                }
                if (event instanceof ServerMessage.ByEvent byEvent) {
                    by = byEvent;
                    return;
                }
                if (event instanceof ServerMessage.GoneEvent gone
                        && Names.key(gone.username()).equals(Names.key(config.username()))) {
                    removed = true;
                }
                if (event instanceof ServerMessage.SaidEvent said) {
                    console.println(chatLine(said));
                    return;
                }
                if (event instanceof ServerMessage.RenamedEvent renamed) {
                    cache.rename(renamed.title(), renamed.newTitle());
                    ServerMessage.PlayEvent play = lobbyPlay;
                    if (play != null && Names.key(play.title()).equals(Names.key(renamed.title()))) {
                        lobbyPlay = new ServerMessage.PlayEvent(renamed.newTitle(), play.startUs(), play.positionMs());
                    }
                }
                if (event instanceof ServerMessage.BoardEvent boardEvent) {
                    board.absorb(boardEvent).ifPresent(console::notice);
                    return;
                }
                state.absorb(event).ifPresent(user -> {
                    joinRequestsShown.add(dev.thing.protocol.JoinWords.asksToJoin(user, config.lobby())
                            .toLowerCase(Locale.ROOT));
                    console.alert(joinRequest(config.lobby(), user));
                });
            }

            @Override
            public void onPending(String lobby) {
                if (reconnecting) {
                    return; // coming back found no kept place: the reconnect loop gives up
                }
                pendingSeen.complete(null);
                // The server's NOTIFY said we wait for approval; a person at the terminal learns how to stop.
                if (console.interactive()) {
                    console.notice("Ctrl-C, Ctrl-D or 'quit' gives up waiting");
                }
            }

            @Override
            public void onUpdate(ServerMessage.Update u) {
                boolean known = state.applyUpdate(u);
                if (!known) {
                    sender.apply(new ClientMessage.ListSongs());
                }
                cache.updateMetadata(u.title(), u.artist(), u.tag1(), u.tag2());
                console.notice(updateText(u, known));
            }

            @Override
            public void onPlay(ServerMessage.PlayEvent play) {
                console.notice(whoActed(play.title(), play.positionMs(), playNotice(play, sync.serverMicrosNow())));
                lobbyTitle = play.title();
                lobbyPlay = play;
                playbackFailure = null;
                coordinator.onPlay(play);
            }

            @Override
            public void onPause(ServerMessage.PauseEvent pause) {
                console.notice(whoActed(pause.title(), pause.positionMs(),
                        "paused " + pause.title() + " at " + Positions.format(pause.positionMs())));
                lobbyTitle = pause.title();
                lobbyPlay = null;
                playbackFailure = null;
                coordinator.onPause(pause);
            }

            @Override
            public void onStop() {
                console.notice(whoActed(null, 0, "playback stopped"));
                lobbyTitle = null;
                lobbyPlay = null;
                playbackFailure = null;
                coordinator.onStop();
            }

            @Override
            public void onProtocolProblem(String text) {
                console.error(text);
            }

            @Override
            public void onClosed(String reason) {
                if (!quitting && inLobby && !reconnecting && !removed && rejoinToken != null) {
                    // A drop: the server keeps our place for a while (it gave us a token); go back to it.
                    reconnecting = true;
                    inLobby = false;
                    console.notice("lost the connection to the server (" + reason + "); coming back to "
                            + config.lobby() + " ...");
                    comeBack.run();
                    return;
                }
                if (!quitting && inLobby) {
                    // Before joining, the join result says why. A closing NOTIFY (kicked, server shutting down)
                    // was shown already; do not repeat it.
                    console.hangUp(reason.equals(lastNotify) ? "disconnected from the server"
                            : "disconnected from the server: " + reason);
                }
            }
        };
    }

    private ClientApi api(LobbyState state, SongCache cache, PlaybackControl player, ClockSyncPort sync,
                          PlaybackCoordinator coordinator, ClientProtocol[] protocols,
                          Function<ClientMessage, CompletableFuture<Reply>> sender) {
        return new ClientApi() {
            @Override
            public CompletableFuture<Reply> send(ClientMessage message) {
                if (message instanceof ClientMessage.Quit) {
                    quitting = true;
                }
                CompletableFuture<Reply> reply = sender.apply(message);
                if (message instanceof ClientMessage.Delete d) {
                    reply.thenAccept(r -> {
                        if (r.ok() && !Names.SONG_ID.matcher(d.song()).matches()) {
                            cache.remove(d.song());
                        }
                    });
                }
                return reply;
            }

            @Override
            public UploadJob upload(Command.Upload u, UploadProgress progress) throws IOException {
                Path file = u.file();
                if (!Files.isRegularFile(file)) {
                    throw new IOException("no such file");
                }
                Mp3Tags tags = Mp3Tags.read(file);
                String title = firstNonEmpty(u.title(), tags.title(), baseName(file));
                try {
                    Names.requireNewTitle(title);
                } catch (ProtocolException e) {
                    throw new IOException(e.getMessage(), e);
                }
                Optional<ServerMessage.SongLine> same = state.song(title);
                if (same.isEmpty()) {
                    // The library as the server has it now (a song uploaded a moment ago may not be listed yet).
                    try {
                        sender.apply(new ClientMessage.ListSongs()).get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        LOG.debug("LIST before an upload", e);
                    }
                    same = state.song(title);
                }
                if (same.isPresent()) {
                    throw new IOException("the library already has a song titled \"" + same.get().title()
                            + "\" (#" + same.get().id() + "); choose another with --title");
                }
                Message.Send header = new Message.Send(title, firstNonEmpty(u.artist(), tags.artist(), ""),
                        firstNonEmpty(u.tag1(), tags.tag1(), ""), firstNonEmpty(u.tag2(), tags.tag2(), ""));
                long size = Files.size(file);
                InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
                if (reconnecting) {
                    in.close();
                    throw new IOException("not connected: coming back to " + config.lobby() + "; try again in a "
                            + "moment");
                }
                UploadHandle handle = protocols[0].upload(header, in, size, progress);
                handle.reply().thenAccept(r -> {
                    if (r.ok()) {
                        try {
                            cache.add(file, header.title(), header.artist(), header.tag1(), header.tag2());
                        } catch (IOException e) {
                            LOG.warn("cannot cache our own upload", e);
                        }
                    }
                });
                return new UploadJob(header, size, handle);
            }

            @Override
            public String status() {
                return ThingClient.status(state, player, sync, cache, coordinator.pausedEvent(), lobbyPlay,
                        playbackFailure) + "\n" + boardStatus(board.snapshot(), sync.serverMicrosNow(),
                        player.boardProblem());
            }

            @Override
            public java.util.List<BoardDrawing.Line> board(int width) {
                return BoardDrawing.draw(board.snapshot(), sync.serverMicrosNow(), config.username(), width);
            }

            @Override
            public boolean connected() {
                return reconnecting || protocols[0].isOpen();
            }

            @Override
            public java.util.Collection<String> titles() {
                return state.titles();
            }

            @Override
            public OptionalLong lobbyPositionMs() {
                ServerMessage.PlayEvent play = lobbyPlay;
                if (play != null) {
                    return OptionalLong.of(ThingClient.lobbyPositionMs(play, sync.serverMicrosNow()));
                }
                ServerMessage.PauseEvent paused = coordinator.pausedEvent();
                return paused == null ? OptionalLong.empty() : OptionalLong.of(paused.positionMs());
            }
        };
    }

    /** The status line of the board: stopped, or playing (which beat, over or instead of the song), and a problem. */
    static String boardStatus(BoardState.Snapshot b, long serverNowUs, String problem) {
        StringBuilder out = new StringBuilder("board: ").append(b.shape().columns()).append(" x ")
                .append(b.shape().rows()).append(" at ").append(b.bpm()).append(" bpm, ");
        int column = b.columnAt(serverNowUs);
        if (!b.playing()) {
            out.append("stopped");
        } else {
            out.append("playing ").append(b.mix() == dev.thing.protocol.board.Mix.OVER ? "over" : "instead of")
                    .append(" the song").append(column >= 0 ? ", beat " + (column + 1) : ", starting");
        }
        if (problem != null) {
            out.append(" (").append(problem).append(')');
        }
        return out.toString();
    }

    /** A chat line as the terminal shows it, like IRC: {@code <alice> hello}. */
    static String chatLine(ServerMessage.SaidEvent said) {
        return "<" + said.username() + "> " + said.text();
    }

    /** The prompt a moderator sees when the server's WAITING event says someone asks to join: who asks, and the
     * client command (not the protocol's) that answers it. */
    static String joinRequest(String lobby, String user) {
        return user + " asks to join " + lobby + " -- type: accept " + user + "  (or: reject " + user + ")";
    }

    /** An UPDATE for people: a new song in the library, or a song's new metadata. */
    static String updateText(ServerMessage.Update u, boolean known) {
        String what = u.title() + " - " + (u.artist().isEmpty() ? "unknown artist" : u.artist());
        String tags = dev.thing.client.console.Renderer.tags(u.tag1(), u.tag2());
        if (!tags.equals("-")) {
            what += " [" + tags + "]";
        }
        return (known ? "song updated: " : "new in the library: ") + what;
    }

    static String status(LobbyState state, PlaybackControl player, ClockSyncPort sync, SongCache cache) {
        return status(state, player, sync, cache, null, null, null);
    }

    static String status(LobbyState state, PlaybackControl player, ClockSyncPort sync, SongCache cache,
                         ServerMessage.PauseEvent paused) {
        return status(state, player, sync, cache, paused, null, null);
    }

    /**
     * The status text. {@code paused} is the lobby's last PAUSE while it is paused (null otherwise): its position is
     * the lobby's, which a SEEK while paused moves without the player hearing of it.
     */
    static String status(LobbyState state, PlaybackControl player, ClockSyncPort sync, SongCache cache,
                         ServerMessage.PauseEvent paused, ServerMessage.PlayEvent lobbyPlaying, String failure) {
        PlaybackControl.PlayerStatus s = player.status();
        StringBuilder out = new StringBuilder();
        out.append("lobby: ").append(state.lobby()).append(" as ").append(state.username())
                .append(state.myRole().map(r -> " (" + r.name().toLowerCase(Locale.ROOT) + ")").orElse(""))
                .append('\n');
        String title = s.title();
        long position = s.positionMs();
        boolean playing = s.playing();
        if (paused != null && !playing) {
            title = paused.title();
            position = paused.positionMs();
        }
        if (lobbyPlaying != null && !(s.playing()
                && Names.key(lobbyPlaying.title()).equals(Names.key(String.valueOf(s.title()))))) {
            // The lobby plays a song this client does not sound: say so rather than "paused".
            long at = lobbyPositionMs(lobbyPlaying, sync.serverMicrosNow());
            String length = state.song(lobbyPlaying.title()).map(l -> " / " + Positions.format(l.durationMs())).orElse("");
            out.append("song: ").append(lobbyPlaying.title()).append(" at ").append(Positions.format(at)).append(length)
                    .append(" (the lobby plays it; ")
                    .append(failure != null ? failure : "not playing here yet: fetching or starting").append(")\n");
        } else if (title == null) {
            out.append("song: nothing playing\n");
        } else {
            String length = state.song(title).map(l -> " / " + Positions.format(l.durationMs())).orElse("");
            out.append("song: ").append(title).append(" at ").append(Positions.format(position)).append(length)
                    .append(playing ? " (playing)" : " (paused)").append('\n');
        }
        state.queue().ifPresent(q -> out.append("queue: ").append(q.isEmpty() ? "empty"
                : "next " + q.get(0).title() + " (asked by " + q.get(0).requestedBy() + ")"
                + (q.size() > 1 ? ", " + (q.size() - 1) + " more" : "")).append('\n'));
        out.append("clock: offset ").append(ms(sync.offsetMicros())).append(" from the server, best RTT ")
                .append(rtt(sync.bestRttMicros())).append(sync.ready() ? " (synced)" : " (syncing)").append('\n');
        out.append("player: drift ").append(String.format(Locale.ROOT, "%.1f", Math.abs(s.driftMs()) < 0.05 ? 0.0
                : s.driftMs())).append(" ms, output ")
                .append("none".equals(s.sinkName()) ? "not opened yet" : s.sinkName()).append('\n');
        int songs = cache.entries().size();
        out.append(String.format(Locale.ROOT, "cache: %d song%s, %.1f of %.0f MiB in %s", songs,
                songs == 1 ? "" : "s", cache.totalBytes() / 1048576.0, cache.maxBytes() / 1048576.0, cache.dir()));
        return out.toString();
    }

    /**
     * "now playing X from 0:49": the position the lobby is at now, so a late joiner is not told 0:00 for a song
     * that started a while ago.
     */
    /**
     * The notice for a playback line: who caused it, when an EVENT BY came just before ("bob paused Long Sweep at
     * 0:53", RFC 10.1), else {@code plain} (a song that ended, autoplay, a vote).
     */
    private String whoActed(String title, long positionMs, String plain) {
        ServerMessage.ByEvent b = by;
        by = null;
        return b == null ? plain
                : dev.thing.protocol.PlaybackWords.describe(b.username(), b.action(), title, positionMs, lobbyTitle);
    }

    static String playNotice(ServerMessage.PlayEvent play, long serverNowUs) {
        return "now playing " + play.title() + " from " + Positions.format(lobbyPositionMs(play, serverNowUs));
    }

    /** Where the lobby's song is at server instant {@code serverNowUs}. */
    static long lobbyPositionMs(ServerMessage.PlayEvent play, long serverNowUs) {
        return play.positionMs() + Math.max(0, serverNowUs - play.startUs()) / 1000;
    }

    /**
     * A playback failure, if the player's state shows one: the lobby plays {@code play}, the player had it and
     * stopped on its own before the song's end ({@code durationMs}, or -1 when unknown). Null when all is well.
     */
    static String playbackFailure(ServerMessage.PlayEvent play, PlaybackControl.PlayerStatus s, long serverNowUs,
                                  long durationMs) {
        if (play == null || s.playing() || s.title() == null
                || !Names.key(s.title()).equals(Names.key(play.title()))) {
            return null;
        }
        long lobbyAt = lobbyPositionMs(play, serverNowUs);
        if (durationMs >= 0 && (s.positionMs() >= durationMs - 1500 || lobbyAt >= durationMs - 500)) {
            return null; // the song ended
        }
        return "this client stopped playing it at " + Positions.format(s.positionMs())
                + " (see thing-client.log)";
    }

    private void watchPlayer(PlaybackControl player, ClockSyncPort sync, LobbyState state, ConsoleIO console) {
        try {
            ServerMessage.PlayEvent play = lobbyPlay;
            if (play == null || playbackFailure != null) {
                return;
            }
            long duration = state.song(play.title()).map(ServerMessage.SongLine::durationMs).orElse(-1L);
            PlaybackControl.PlayerStatus status = player.status();
            String failure = playbackFailure(play, status, sync.serverMicrosNow(), duration);
            // Seen twice, half a second apart, with the same PLAY and the same stopped position: not a song being
            // replaced (a SEEK's new PLAY) in between.
            boolean confirmed = failure != null && suspectPlay == play && suspectPositionMs == status.positionMs();
            suspectPlay = failure == null ? null : play;
            suspectPositionMs = status.positionMs();
            if (confirmed && lobbyPlay == play) {
                playbackFailure = failure;
                console.error("cannot play " + play.title() + ": " + failure + "; the lobby plays on");
            }
        } catch (RuntimeException e) {
            LOG.warn("player watch failed", e);
        }
    }

    /** Why a wait for approval ended, when the server gave no NOTIFY with its own words. */
    static String turnedAwayText(ServerMessage.Approval how, String lobby) {
        return switch (how) {
            case REFUSED -> "your request to join " + lobby + " was refused";
            case TIMEOUT -> "nobody accepted you into " + lobby + " in time";
            default -> "lobby " + lobby + " closed while you waited to join it";
        };
    }

    /** The reason a connection closed: the server's last NOTIFY when the protocol only knows it closed. */
    static String closingReason(String protocolReason, String lastNotify) {
        if (GENERIC_CLOSE.equals(protocolReason) && lastNotify != null && !lastNotify.startsWith("THING/")) {
            return lastNotify;
        }
        return protocolReason;
    }

    private static final String GENERIC_CLOSE = "connection closed by the server";

    /** How this run trusts the server over TLS, or null for plain TCP. */
    private ServerTrust trust(ConsoleIO console) {
        Tls t = config.tls();
        if (t == null) {
            return null;
        }
        return t.fingerprint() != null ? ServerTrust.pinned(config.host(), config.port(), t.fingerprint())
                : ServerTrust.onFirstUse(config.host(), config.port(), t.knownHosts(), console::notice);
    }

    /** A failed connection for people: unknown host, refused, timed out. */
    static String connectError(String host, int port, IOException e) {
        if (e instanceof UnknownHostException) {
            return "unknown host " + host + " (check --host)";
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String what = cause.getMessage();
        if (cause instanceof java.net.ConnectException || (what != null && what.contains("Connection refused"))) {
            return "cannot connect to " + host + ":" + port + ": connection refused (is the server running? "
                    + "check --host and --port)";
        }
        if (cause instanceof java.nio.channels.UnresolvedAddressException) {
            return "unknown host " + host + " (check --host)";
        }
        return "cannot connect to " + host + ":" + port + ": "
                + (what == null ? cause.getClass().getSimpleName() : what);
    }

    /** Completion offers the names the lobby's state says a command may take (never yourself for a kick). */
    private CompletionData completion(LobbyState state) {
        return state;
    }

    private static String ms(OptionalLong micros) {
        if (micros.isEmpty()) {
            return "unknown";
        }
        double v = micros.getAsLong() / 1000.0;
        return String.format(Locale.ROOT, "%+.1f ms", Math.abs(v) < 0.05 ? 0.0 : v); // never "-0.0 ms"
    }

    private static String rtt(OptionalLong micros) {
        return micros.isPresent() ? String.format(Locale.ROOT, "%.1f ms", micros.getAsLong() / 1000.0) : "unknown";
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return "";
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        return name.toLowerCase(Locale.ROOT).endsWith(".mp3") ? name.substring(0, name.length() - 4) : name;
    }
}
