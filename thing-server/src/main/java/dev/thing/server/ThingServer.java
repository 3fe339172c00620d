package dev.thing.server;

import dev.thing.server.library.Library;
import dev.thing.server.library.LibraryException;
import dev.thing.server.lobby.LobbyRegistry;
import dev.thing.server.lobby.LobbySettings;
import dev.thing.server.party.PartySettings;
import dev.thing.server.party.StartLead;
import dev.thing.server.party.WantedList;
import dev.thing.server.session.Sessions;
import dev.thing.server.tls.ServerCertificate;
import dev.thing.server.tls.TlsSetupException;
import dev.thing.server.transport.TcpTransport;
import dev.thing.server.transport.WebTransport;
import dev.thing.server.time.TimeSource;
import dev.thing.server.time.Timers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The THING server: opens the library, binds its transports (TCP, and HTTP with the page and its WebSocket), and
 * stops cleanly. The TCP transport's chain is the codec, then an ordered executor so that no command (and no disk or
 * SQLite work) runs on a MINA I/O thread; the WebSocket transport hands each connection's frames to its own ordered
 * workers in the same way.
 */
public final class ThingServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ThingServer.class);

    /** How a failure to listen for HTTP begins, so that the command line can say which port it was. */
    static final String HTTP_BIND_FAILURE = "HTTP on ";
    /** The same for the HTTPS listener. */
    static final String HTTPS_BIND_FAILURE = "HTTPS on ";

    private final ServerConfig config;
    private final TimeSource time;
    private final Timers timers;
    private final ScheduledExecutorService scheduler;
    private TcpTransport tcp;
    private ServerCertificate certificate;
    private WebTransport web;
    private java.util.concurrent.ExecutorService throttled;
    private Library library;
    private WantedList wanted;
    private dev.thing.server.account.Accounts accounts;
    private Sessions sessions;
    private LobbyRegistry lobbies;
    private Jukebox jukebox;
    private Services services;
    private ScheduledFuture<?> pinger;
    private volatile boolean stopped;

    public ThingServer(ServerConfig config) {
        this(config, TimeSource.SYSTEM, null);
    }

    /** A server on given clocks; {@code timers} null means real timers on a scheduler thread. */
    public ThingServer(ServerConfig config, TimeSource time, Timers timers) {
        this.config = config;
        this.time = time;
        java.util.concurrent.ScheduledThreadPoolExecutor timerThread =
                new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
                    Thread t = new Thread(r, "thing-timers");
                    t.setDaemon(true);
                    return t;
                });
        // Every member's handshake and approval timeouts are cancelled when it gets in; kept in the queue until
        // they would have fired (up to the approval timeout, 5 minutes), they and what they hold would cost an idle
        // member a few hundred bytes more.
        timerThread.setRemoveOnCancelPolicy(true);
        this.scheduler = timerThread;
        this.timers = timers != null ? timers : Timers.over(scheduler);
    }

    /** Where the self-signed certificate is kept: {@code <library>/tls/}. */
    public static java.nio.file.Path selfSignedDir(ServerConfig config) {
        return config.libraryDir().resolve("tls");
    }

    /**
     * Opens the library and binds (the TLS listener too, when configured). Returns the plain address actually bound
     * (port 0 becomes a real port).
     */
    public InetSocketAddress start() throws IOException, LibraryException, TlsSetupException {
        Files.createDirectories(config.libraryDir());
        if (config.tls() != null) {
            // Before anything binds: a bad PEM file stops the start with its reason, not half a server.
            TlsConfig t = config.tls();
            certificate = t.selfSigned() ? ServerCertificate.selfSigned(selfSignedDir(config))
                    : ServerCertificate.fromPem(t.certFile(), t.keyFile());
        }
        if (config.databaseFile().getParent() != null) {
            Files.createDirectories(config.databaseFile().getParent());
        }
        library = Library.open(config.libraryDir(), config.databaseFile(), config.maxUploadBytes(),
                config.maxLibraryBytes());
        wanted = WantedList.open(config.databaseFile(), config.maxWanted(), config.maxWishesPerUser(),
                config.maxWishAge(), time::epochMicros);
        accounts = dev.thing.server.account.Accounts.open(config.databaseFile(),
                new dev.thing.server.account.PasswordHasher(config.passwordIterations()), time::epochMicros);
        jukebox = new Jukebox(library, wanted);
        LobbySettings lobbySettings = new LobbySettings(config.maxLobbies(), config.maxPending(),
                config.approvalTimeout(), new PartySettings(config.maxQueue(), config.autoplay(),
                        Math.min(config.maxQueue(), config.maxQueuedPerUser()), PartySettings.DEFAULT_VOTE_SHARE),
                StartLead.DEFAULT_FLOOR_MS, StartLead.DEFAULT_CAP_MS, config.rejoinGrace());
        lobbies = new LobbyRegistry(lobbySettings, jukebox, time, timers, new Random());
        dev.thing.server.account.SongOwners owners = new dev.thing.server.account.SongOwners(accounts);
        lobbies.listener(new dev.thing.server.lobby.LobbyListener() {
            @Override
            public void memberAccepted(dev.thing.server.lobby.Member member) {
                jukebox.memberAccepted(member);
            }

            @Override
            public void pushSong(long songId, java.util.List<dev.thing.server.lobby.Member> to) {
                jukebox.pushSong(songId, to);
            }

            @Override
            public void placeGivenUp(dev.thing.server.lobby.Member member) {
                // A guest's uploads were its connection's; with the kept place gone, they have no owner now.
                owners.connectionClosed(member.identity().connection());
            }
        });
        dev.thing.server.account.Accounts store = accounts;
        lobbies.store(store, name -> store.find(name).map(a -> new dev.thing.server.lobby.Identity(0, null, a.id(),
                a.operator())));
        jukebox.lobbies(lobbies);
        services = new Services(config, lobbies, library, wanted, time, timers, accounts,
                owners,
                new dev.thing.server.account.LoginThrottle(time::monotonicNanos));
        // Commands held back by the rate limit, and callbacks between connections, run here when their turn
        // comes; each session keeps its own input in order under its lock. A fixed number of threads: a flood
        // waits in the sessions' backlogs (one read's worth each), not in new threads.
        throttled = Executors.newFixedThreadPool(Math.max(2, config.workerThreads()), r -> {
            Thread t = new Thread(r, "thing-throttled");
            t.setDaemon(true);
            return t;
        });
        jukebox.pushExecutor(throttled);
        sessions = new Sessions(services, jukebox, throttled);
        tcp = new TcpTransport(config, sessions, this.timers);
        InetSocketAddress bound = tcp.bind();
        InetSocketAddress tlsBound = null;
        if (certificate != null && config.tls().bind() != null) {
            try {
                tlsBound = tcp.bindTls(config.tls().bind(), certificate.sslContext());
            } catch (IOException e) {
                tcp.unbind();
                tcp.dispose();
                throw new ListenException(config.tls().bind(), e);
            }
        }
        InetSocketAddress httpsBind = config.tls() == null ? null : config.tls().httpsBind();
        if (config.httpBind() != null || httpsBind != null) {
            web = new WebTransport(config, sessions, httpsBind == null ? null : certificate.sslContext(), httpsBind);
            try {
                web.bind();
            } catch (IOException e) {
                tcp.unbind();
                tcp.dispose();
                java.net.BindException bind = Main.bindFailure(e);
                if (bind != null) {
                    // Say which of the two ports it was.
                    InetSocketAddress where = web.failedBind();
                    boolean secure = where != null && where.equals(httpsBind) && !where.equals(config.httpBind());
                    java.net.BindException http = new java.net.BindException(
                            (secure ? HTTPS_BIND_FAILURE : HTTP_BIND_FAILURE) + where + ": " + bind.getMessage());
                    http.initCause(e);
                    throw http;
                }
                throw e;
            }
        }

        long interval = config.pingInterval().toMillis();
        if (interval > 0) {
            pingSlices = (int) Math.min(PING_SLICES, interval);
            long tick = interval / pingSlices;
            pinger = scheduler.scheduleAtFixedRate(this::pingNextSlice, tick, tick, TimeUnit.MILLISECONDS);
        }
        LOG.info("library {} holds {}; index {}", config.libraryDir().toAbsolutePath(), library.describeTotals(),
                config.databaseFile().toAbsolutePath());
        LOG.info("THING server listening on {} port {}; connect with: telnet {} {}", listenHost(bound),
                bound.getPort(), connectHost(bound), bound.getPort());
        if (tlsBound != null) {
            LOG.info("TLS (1.2, 1.3) on {} port {}; certificate {}", listenHost(tlsBound), tlsBound.getPort(),
                    certificate.origin());
            LOG.info("TLS certificate SHA-256 fingerprint {}", certificate.fingerprint());
            LOG.info("connect with: thing-client --tls --port {} ... or: openssl s_client -connect {}:{}",
                    tlsBound.getPort(), connectHost(tlsBound), tlsBound.getPort());
        }
        InetSocketAddress page = web == null ? null : web.address();
        if (page != null) {
            LOG.info("web page: http://{}:{}/ (WebSocket at /ws)", urlHost(page), page.getPort());
        } else {
            LOG.info("web page over plain HTTP: off (--http-port 0)");
        }
        InetSocketAddress securePage = web == null ? null : web.httpsAddress();
        if (securePage != null) {
            LOG.info("web page over HTTPS: https://{}:{}/ (WebSocket at wss://.../ws); certificate {}, SHA-256 "
                    + "fingerprint {}", urlHost(securePage), securePage.getPort(), certificate.origin(),
                    certificate.fingerprint());
        }
        if (bound.getAddress() == null || bound.getAddress().isAnyLocalAddress()) {
            int httpPort = web != null ? web.address().getPort() : 0;
            for (String line : LanAddresses.lines(LanAddresses.discover(), bound.getPort(), httpPort)) {
                LOG.info(line);
            }
        }
        return bound;
    }

    /** A listener could not bind: says which address, with the cause (a BindException, often) kept. */
    public static final class ListenException extends IOException {
        private final InetSocketAddress address;

        ListenException(InetSocketAddress address, IOException cause) {
            super("cannot listen on " + address + ": " + cause.getMessage(), cause);
            this.address = address;
        }

        public InetSocketAddress address() {
            return address;
        }
    }

    private static String listenHost(InetSocketAddress bound) {
        return bound.getAddress() == null || bound.getAddress().isAnyLocalAddress() ? "all interfaces"
                : bound.getHostString();
    }

    private static String connectHost(InetSocketAddress bound) {
        return bound.getAddress() == null || bound.getAddress().isAnyLocalAddress() ? "localhost"
                : bound.getHostString();
    }

    /** A host as it goes in a URL: localhost for all interfaces, an IPv6 literal in brackets. */
    private static String urlHost(InetSocketAddress bound) {
        String host = connectHost(bound);
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /**
     * Each ping interval is cut in this many slices (at most one a millisecond), each PINGing its share of the
     * connections: at 20,000 members and 1 s, 200 PINGs every 10 ms. Ten slices of 2,000 made each PING wait
     * behind up to 2,000 others on the way out and their answers on the way in, and that wait was most of the RTT
     * the server measured.
     */
    private static final int PING_SLICES = 100;
    private int pingSlices = PING_SLICES;
    private int pingSlice;

    private void pingNextSlice() {
        try {
            sessions.pingSlice(pingSlice, pingSlices);
            pingSlice = (pingSlice + 1) % pingSlices;
        } catch (RuntimeException e) {
            LOG.error("pinging clients failed", e);
        }
    }

    public InetSocketAddress address() {
        return tcp.address();
    }

    /** The TLS listener's address, or null when TLS is off. */
    public InetSocketAddress tlsAddress() {
        return tcp.tlsAddress();
    }

    /** The certificate the TLS listener presents, or null when TLS is off. */
    public ServerCertificate certificate() {
        return certificate;
    }

    /** Where the web page and its WebSocket listen, or null when HTTP is off. */
    public InetSocketAddress httpAddress() {
        return web == null ? null : web.address();
    }

    /** Where the web page and its WebSocket listen over HTTPS, or null when HTTPS is off. */
    public InetSocketAddress httpsAddress() {
        return web == null ? null : web.httpsAddress();
    }

    public LobbyRegistry lobbies() {
        return lobbies;
    }

    public Library library() {
        return library;
    }

    /** The rooms the commands use (the server's console runs its commands against them). */
    public Services services() {
        return services;
    }

    /** Where library changes reach the lobbies (the console's rescan announces its songs through it). */
    public Jukebox jukebox() {
        return jukebox;
    }

    /** The account store (operators are marked here by tests and the command-line actions). */
    public dev.thing.server.account.Accounts accounts() {
        return accounts;
    }

    public int connectionCount() {
        return sessions.count();
    }

    /**
     * Stops: every client is told, uploads under way are abandoned (their temporary files deleted), and the
     * library and wanted list are closed. Playback state is dropped on purpose (see the RFC).
     */
    @Override
    public synchronized void close() {
        if (stopped || tcp == null) {
            return;
        }
        stopped = true;
        LOG.info("stopping: telling {} connections", sessions.count());
        tcp.unbind();
        if (web != null) {
            web.unbind();
            web.goingAway();
        }
        if (pinger != null) {
            pinger.cancel(false);
        }
        lobbies.keepClaimed();
        sessions.closeAll("server is shutting down");
        // The sessions end as their last lines are sent; their sockets close as the clients close theirs (a
        // lingering close, RFC 2.1), which is waited for too, so that no client still sending is reset.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while ((sessions.count() > 0 || tcp.lingering() > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        sessions.abortUploads();
        tcp.dispose();
        if (web != null) {
            web.dispose();
        }
        throttled.shutdown();
        scheduler.shutdownNow();
        wanted.close();
        accounts.close();
        library.close();
        LOG.info("stopped");
    }
}
