package dev.thing.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the server can be told on its command line, with the defaults of the protocol brief.
 *
 * @param bind              where to listen (port 0 picks a free port, for tests)
 * @param libraryDir        the folder of MP3 files
 * @param databaseFile      the SQLite index (songs and the wanted list)
 * @param maxWishesPerUser  unfulfilled wishes one username may have on the wanted list
 * @param maxWishAge        unfulfilled wishes older than this are dropped
 * @param maxLibraryBytes   the most the stored songs may take together; 0 for no bound
 * @param uploadIdleTimeout an upload that receives nothing for this long is abandoned (its title freed)
 * @param maxConnectionsPerAddress connections open at once from one address (IPv6: one /64)
 * @param maxJoinsPerMinute join lines one address may send in any 60 seconds
 * @param limitLoopback     whether the per-address limits apply to loopback addresses too (off: exempt)
 * @param tls               the TLS listener, or null for none
 * @param maxQueuedPerUser  songs one member may have in a lobby's queue at once
 * @param httpBind          where the web page and its WebSocket ({@code /ws}) listen; null for no HTTP at all
 *                          (port 0 picks a free port, for tests)
 * @param allowedOrigins    browser origins besides the page's own that may open {@code /ws} ({@code *}: any)
 * @param passwordIterations PBKDF2 iterations for new password hashes (tests use a small count)
 * @param trustedAdmins     any lobby admin may change any song (the rule before song ownership)
 * @param rejoinGrace       how long a member whose connection dropped keeps its place (zero: it leaves at once)
 */
public record ServerConfig(
        InetSocketAddress bind,
        Path libraryDir,
        Path databaseFile,
        int maxLineBytes,
        long maxUploadBytes,
        int maxConnections,
        int maxLobbies,
        int maxPending,
        Duration handshakeTimeout,
        Duration approvalTimeout,
        int rateBurst,
        double ratePerSecond,
        long maxUnsentBytes,
        int maxQueue,
        int maxWanted,
        Duration pingInterval,
        boolean autoplay,
        int ioThreads,
        int workerThreads,
        int maxWishesPerUser,
        Duration maxWishAge,
        long maxLibraryBytes,
        Duration uploadIdleTimeout,
        int maxConnectionsPerAddress,
        int maxJoinsPerMinute,
        boolean limitLoopback,
        TlsConfig tls,
        int maxQueuedPerUser,

        InetSocketAddress httpBind,
        java.util.List<String> allowedOrigins,
        int passwordIterations,
        boolean trustedAdmins,
        Duration rejoinGrace) {

    public static final int DEFAULT_PORT = 7717;
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final Duration DEFAULT_REJOIN_GRACE = Duration.ofSeconds(120);

    public ServerConfig {
        allowedOrigins = java.util.List.copyOf(allowedOrigins);
    }

    /** The defaults, listening on all interfaces at 7717 with the library in ./thing-library. */
    public static ServerConfig defaults() {
        Path library = Path.of("thing-library");
        return new ServerConfig(new InetSocketAddress(DEFAULT_PORT), library, library.resolve("thing.db"),
                4096, 64L * 1024 * 1024, 10_000, 1_000, 100, Duration.ofSeconds(60), Duration.ofMinutes(5),
                50, 20.0, 1024L * 1024, 100, 1_000, Duration.ofSeconds(5), false,
                Math.max(2, Runtime.getRuntime().availableProcessors()), 16, 20, Duration.ofDays(90), 0,
                Duration.ofSeconds(60), 16, 30, false, null, 10,
                new InetSocketAddress(DEFAULT_HTTP_PORT), java.util.List.of(),
                dev.thing.server.account.PasswordHasher.DEFAULT_ITERATIONS, false, DEFAULT_REJOIN_GRACE);
    }

    /** PBKDF2 iterations in tests: fast, and still the real algorithm. */
    public static final int TEST_PASSWORD_ITERATIONS = 1_000;

    /**
     * The defaults on a loopback port of the system's choosing, in a given folder, with no HTTP (a test that wants
     * the page or the WebSocket sets {@code httpBind} to a loopback port 0) and no rejoin grace: for tests.
     */
    public static ServerConfig forTests(Path dir) {
        ServerConfig.Builder b = defaults().withBind(new InetSocketAddress("127.0.0.1", 0))
                .withLibrary(dir.resolve("library"), dir.resolve("library").resolve("thing.db")).toBuilder();
        b.httpBind = null;
        b.passwordIterations = TEST_PASSWORD_ITERATIONS;
        // A dropped connection leaves at once in tests, as before coming back existed; the tests of coming back
        // turn the grace period on.
        b.rejoinGrace = Duration.ZERO;
        return b.build();
    }

    public ServerConfig withBind(InetSocketAddress address) {
        return new ServerConfig(address, libraryDir, databaseFile, maxLineBytes, maxUploadBytes, maxConnections,
                maxLobbies, maxPending, handshakeTimeout, approvalTimeout, rateBurst, ratePerSecond, maxUnsentBytes,
                maxQueue, maxWanted, pingInterval, autoplay, ioThreads, workerThreads, maxWishesPerUser, maxWishAge,
                maxLibraryBytes, uploadIdleTimeout, maxConnectionsPerAddress, maxJoinsPerMinute, limitLoopback, tls, maxQueuedPerUser,
                httpBind, allowedOrigins, passwordIterations, trustedAdmins, rejoinGrace);
    }

    public ServerConfig withLibrary(Path dir, Path db) {
        return new ServerConfig(bind, dir, db, maxLineBytes, maxUploadBytes, maxConnections,
                maxLobbies, maxPending, handshakeTimeout, approvalTimeout, rateBurst, ratePerSecond, maxUnsentBytes,
                maxQueue, maxWanted, pingInterval, autoplay, ioThreads, workerThreads, maxWishesPerUser, maxWishAge,
                maxLibraryBytes, uploadIdleTimeout, maxConnectionsPerAddress, maxJoinsPerMinute, limitLoopback, tls, maxQueuedPerUser,
                httpBind, allowedOrigins, passwordIterations, trustedAdmins, rejoinGrace);
    }

    /** A copy with one limit changed: a small builder for tests and the command line. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable twin of the record, for the command line and tests. */
    public static final class Builder {
        public InetSocketAddress bind;
        public Path libraryDir;
        public Path databaseFile;
        public int maxLineBytes;
        public long maxUploadBytes;
        public int maxConnections;
        public int maxLobbies;
        public int maxPending;
        public Duration handshakeTimeout;
        public Duration approvalTimeout;
        public int rateBurst;
        public double ratePerSecond;
        public long maxUnsentBytes;
        public int maxQueue;
        public int maxWanted;
        public Duration pingInterval;
        public boolean autoplay;
        public int ioThreads;
        public int workerThreads;
        public int maxWishesPerUser;
        public Duration maxWishAge;
        public long maxLibraryBytes;
        public Duration uploadIdleTimeout;
        public int maxConnectionsPerAddress;
        public int maxJoinsPerMinute;
        public boolean limitLoopback;
        public TlsConfig tls;
        public int maxQueuedPerUser;
        public InetSocketAddress httpBind;
        public java.util.List<String> allowedOrigins;
        public int passwordIterations;
        public boolean trustedAdmins;
        public Duration rejoinGrace;

        Builder(ServerConfig c) {
            bind = c.bind;
            libraryDir = c.libraryDir;
            databaseFile = c.databaseFile;
            maxLineBytes = c.maxLineBytes;
            maxUploadBytes = c.maxUploadBytes;
            maxConnections = c.maxConnections;
            maxLobbies = c.maxLobbies;
            maxPending = c.maxPending;
            handshakeTimeout = c.handshakeTimeout;
            approvalTimeout = c.approvalTimeout;
            rateBurst = c.rateBurst;
            ratePerSecond = c.ratePerSecond;
            maxUnsentBytes = c.maxUnsentBytes;
            maxQueue = c.maxQueue;
            maxWanted = c.maxWanted;
            pingInterval = c.pingInterval;
            autoplay = c.autoplay;
            ioThreads = c.ioThreads;
            workerThreads = c.workerThreads;
            maxWishesPerUser = c.maxWishesPerUser;
            maxWishAge = c.maxWishAge;
            maxLibraryBytes = c.maxLibraryBytes;
            uploadIdleTimeout = c.uploadIdleTimeout;
            maxConnectionsPerAddress = c.maxConnectionsPerAddress;
            maxJoinsPerMinute = c.maxJoinsPerMinute;
            limitLoopback = c.limitLoopback;
            tls = c.tls;
            maxQueuedPerUser = c.maxQueuedPerUser;
            httpBind = c.httpBind;
            allowedOrigins = c.allowedOrigins;
            passwordIterations = c.passwordIterations;
            trustedAdmins = c.trustedAdmins;
            rejoinGrace = c.rejoinGrace;
        }

        public ServerConfig build() {
            return new ServerConfig(bind, libraryDir, databaseFile, maxLineBytes, maxUploadBytes, maxConnections,
                    maxLobbies, maxPending, handshakeTimeout, approvalTimeout, rateBurst, ratePerSecond,
                    maxUnsentBytes, maxQueue, maxWanted, pingInterval, autoplay, ioThreads, workerThreads, maxWishesPerUser, maxWishAge,
                maxLibraryBytes, uploadIdleTimeout, maxConnectionsPerAddress, maxJoinsPerMinute, limitLoopback, tls, maxQueuedPerUser,
                httpBind, allowedOrigins, passwordIterations, trustedAdmins, rejoinGrace);
        }
    }
}
