package dev.thing.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.config.Configurator;

/** {@code java -jar thing-server.jar [options]}: starts a THING server. */
public final class Main {
    private Main() {
    }

    static Options options() {
        ServerConfig d = ServerConfig.defaults();
        Options o = new Options();
        o.addOption(opt("p", "port", "PORT", "TCP port to listen on (default " + ServerConfig.DEFAULT_PORT + ")"));
        o.addOption(opt("b", "bind", "ADDRESS", "address to listen on (default: all interfaces)"));
        o.addOption(opt(null, "http-port", "PORT", "HTTP port of the web page and its WebSocket (/ws); 0 turns HTTP "
                + "off (default " + ServerConfig.DEFAULT_HTTP_PORT + ")"));
        o.addOption(opt(null, "http-bind", "ADDRESS", "address for HTTP (default: that of --bind, else all "
                + "interfaces)"));
        o.addOption(opt(null, "http-origins", "LIST", "comma-separated origins, besides the page's own, whose pages "
                + "may open the WebSocket (e.g. https://party.example); * for any (default: none)"));
        o.addOption(opt("l", "library", "DIR", "folder of MP3 files, created if missing (default ./thing-library)"));
        o.addOption(opt(null, "database", "FILE", "SQLite index file (default <library>/thing.db)"));
        o.addOption(opt(null, "max-line-bytes", "N", "longest accepted line (default " + d.maxLineBytes() + ")"));
        o.addOption(opt(null, "max-upload-mib", "N", "largest upload in MiB (default "
                + d.maxUploadBytes() / (1024 * 1024) + ")"));
        o.addOption(opt(null, "max-connections", "N", "connections at once (default " + d.maxConnections() + ")"));
        o.addOption(opt(null, "max-lobbies", "N", "lobbies at once (default " + d.maxLobbies() + ")"));
        o.addOption(opt(null, "max-pending", "N", "joiners waiting per lobby (default " + d.maxPending() + ")"));
        o.addOption(opt(null, "max-connections-per-address", "N", "connections at once from one address, an IPv6 "
                + "address counting as its /64 (default " + d.maxConnectionsPerAddress() + "; loopback exempt unless "
                + "--limit-loopback)"));
        o.addOption(opt(null, "max-joins-per-minute", "N", "join lines one address may send in any minute; past it "
                + "the connection is closed (default " + d.maxJoinsPerMinute() + ")"));
        o.addOption(null, "limit-loopback", false, "apply the per-address limits to loopback addresses too");
        o.addOption(opt(null, "tls-port", "PORT", "also listen for TLS (1.2 or 1.3) on PORT (default: no TLS)"));
        o.addOption(opt(null, "tls-bind", "ADDRESS", "address of the TLS listener (default: that of --bind)"));
        o.addOption(opt(null, "https-port", "PORT", "also serve the web page and its WebSocket over HTTPS "
                + "(wss://) on PORT, with the TLS certificate (default: " + DEFAULT_HTTPS_PORT + " when --tls-port is "
                + "given and the page is on, else none; 0 turns it off)"));
        o.addOption(opt(null, "https-bind", "ADDRESS", "address of the HTTPS listener (default: that of "
                + "--http-bind)"));
        o.addOption(opt(null, "tls-cert", "FILE", "PEM certificate chain for TLS and HTTPS, leaf first (default: a self-signed "
                + "EC P-256 certificate made at first start as <library>/tls/thing-cert.pem)"));
        o.addOption(opt(null, "tls-key", "FILE", "PEM private key of --tls-cert (PKCS#8, SEC1 or PKCS#1, not "
                + "encrypted)"));
        o.addOption(opt(null, "handshake-timeout", "SECONDS", "time to send the join line (default "
                + d.handshakeTimeout().toSeconds() + ")"));
        o.addOption(opt(null, "approval-timeout", "SECONDS", "time a joiner waits for ACCEPT (default "
                + d.approvalTimeout().toSeconds() + ")"));
        o.addOption(opt(null, "rejoin-grace", "SECONDS", "how long a member whose connection dropped keeps its "
                + "place (role, queued songs) and may come back without approval; 0 turns it off (default "
                + d.rejoinGrace().toSeconds() + ")"));
        o.addOption(opt(null, "upload-idle-timeout", "SECONDS", "an upload that sends nothing for this long is "
                + "abandoned and its title freed (default " + d.uploadIdleTimeout().toSeconds() + ")"));
        o.addOption(opt(null, "rate-burst", "N", "commands a client may send at once (default "
                + d.rateBurst() + ")"));
        o.addOption(opt(null, "rate-per-second", "N", "steady command rate after the burst; faster clients are "
                + "slowed down, not dropped (default " + (int) d.ratePerSecond() + ")"));
        o.addOption(opt(null, "max-unsent-kib", "N", "unsent output (song transfers excepted) after which a "
                + "client that does not read is disconnected (default " + d.maxUnsentBytes() / 1024 + ")"));
        o.addOption(opt(null, "max-queue", "N", "songs in a lobby's queue (default " + d.maxQueue() + ")"));
        o.addOption(opt(null, "max-queued-per-user", "N", "songs one member may have in a lobby's queue at once "
                + "(default " + d.maxQueuedPerUser() + ")"));
        o.addOption(opt(null, "max-wanted", "N", "songs on the wanted list (default " + d.maxWanted() + ")"));
        o.addOption(opt(null, "max-wishes-per-user", "N", "wishes one username may have on the wanted list (default "
                + d.maxWishesPerUser() + ")"));
        o.addOption(opt(null, "max-wish-age-days", "DAYS", "wishes older than this are dropped from the wanted list "
                + "(default " + d.maxWishAge().toDays() + ")"));
        o.addOption(opt(null, "max-library-mib", "N", "the most all stored songs may take, in MiB; 0 for no bound "
                + "(default 0)"));
        o.addOption(opt(null, "ping-interval", "SECONDS", "time between PINGs to each client, 0 for none (default "
                + d.pingInterval().toSeconds() + ")"));
        o.addOption(null, "autoplay", false, "new lobbies play random songs when the queue runs dry");
        o.addOption(null, "trusted-admins", false, "any lobby admin may edit and delete any song (the rule before "
                + "song ownership; by default only a song's uploader and operators may)");
        o.addOption(opt(null, "grant-operator", "NAME", "mark the registered account NAME as an operator in the "
                + "database, then exit without starting the server"));
        o.addOption(opt(null, "revoke-operator", "NAME", "take the operator mark from the account NAME, then exit "
                + "without starting the server"));
        o.addOption(null, "console", false, "read the operator's commands from standard input (type help there); "
                + "the default when standard input is a terminal");
        o.addOption(null, "no-console", false, "do not read standard input, even from a terminal");
        o.addOption(opt(null, "log-level", "LEVEL", "ERROR, WARN, INFO, DEBUG or TRACE (default INFO)"));
        o.addOption(opt(null, "log-file", "FILE", "also log to FILE, rolled daily and at 50 MB"));
        o.addOption("h", "help", false, "show this help and exit");
        o.addOption("v", "version", false, "show the version and exit");
        return o;
    }

    private static Option opt(String shortName, String longName, String arg, String description) {
        return Option.builder(shortName).longOpt(longName).hasArg().argName(arg).desc(description).get();
    }

    static ServerConfig parse(CommandLine cl) throws ParseException {
        ServerConfig.Builder b = ServerConfig.defaults().toBuilder();
        int port = intOpt(cl, "port", ServerConfig.DEFAULT_PORT, 0, 65535);
        try {
            b.bind = cl.hasOption("bind") ? new InetSocketAddress(InetAddress.getByName(cl.getOptionValue("bind")), port)
                    : new InetSocketAddress(port);
        } catch (java.net.UnknownHostException e) {
            throw new ParseException("--bind: unknown address " + cl.getOptionValue("bind"));
        }
        int httpPort = intOpt(cl, "http-port", ServerConfig.DEFAULT_HTTP_PORT, 0, 65535);
        if (httpPort == 0) {
            b.httpBind = null;
        } else if (cl.hasOption("http-bind")) {
            try {
                b.httpBind = new InetSocketAddress(InetAddress.getByName(cl.getOptionValue("http-bind")), httpPort);
            } catch (java.net.UnknownHostException e) {
                throw new ParseException("--http-bind: unknown address " + cl.getOptionValue("http-bind"));
            }
        } else {
            b.httpBind = cl.hasOption("bind") ? new InetSocketAddress(b.bind.getAddress(), httpPort)
                    : new InetSocketAddress(httpPort);
        }
        if (cl.hasOption("http-origins")) {
            java.util.List<String> origins = new java.util.ArrayList<>();
            for (String o : cl.getOptionValue("http-origins").split(",")) {
                String origin = o.strip();
                if (origin.isEmpty()) {
                    continue;
                }
                if (!origin.equals("*") && !origin.matches("(?i)https?://[^/\\s]+/?")) {
                    throw new ParseException("--http-origins: '" + origin + "' is not an origin such as "
                            + "https://party.example or http://localhost:8080 (or * for any)");
                }
                origins.add(origin);
            }
            b.allowedOrigins = origins;
        }
        if (cl.hasOption("library")) {
            b.libraryDir = Path.of(cl.getOptionValue("library"));
        }
        b.databaseFile = cl.hasOption("database") ? Path.of(cl.getOptionValue("database"))
                : b.libraryDir.resolve("thing.db");
        b.maxLineBytes = intOpt(cl, "max-line-bytes", b.maxLineBytes, 64, 1 << 20);
        b.maxUploadBytes = intOpt(cl, "max-upload-mib", (int) (b.maxUploadBytes >> 20), 1, 4096) * 1024L * 1024L;
        b.maxConnections = intOpt(cl, "max-connections", b.maxConnections, 1, 1_000_000);
        b.maxLobbies = intOpt(cl, "max-lobbies", b.maxLobbies, 1, 1_000_000);
        b.maxPending = intOpt(cl, "max-pending", b.maxPending, 1, 1_000_000);
        b.maxConnectionsPerAddress = intOpt(cl, "max-connections-per-address", b.maxConnectionsPerAddress, 1,
                1_000_000);
        b.maxJoinsPerMinute = intOpt(cl, "max-joins-per-minute", b.maxJoinsPerMinute, 1, 1_000_000);
        b.limitLoopback = cl.hasOption("limit-loopback");
        b.tls = tls(cl, b.bind, b.httpBind);
        b.handshakeTimeout = Duration.ofSeconds(intOpt(cl, "handshake-timeout",
                (int) b.handshakeTimeout.toSeconds(), 1, 86_400));
        b.approvalTimeout = Duration.ofSeconds(intOpt(cl, "approval-timeout",
                (int) b.approvalTimeout.toSeconds(), 1, 86_400));
        b.rejoinGrace = Duration.ofSeconds(intOpt(cl, "rejoin-grace", (int) b.rejoinGrace.toSeconds(), 0, 86_400));
        b.uploadIdleTimeout = Duration.ofSeconds(intOpt(cl, "upload-idle-timeout",
                (int) b.uploadIdleTimeout.toSeconds(), 1, 86_400));
        b.rateBurst = intOpt(cl, "rate-burst", b.rateBurst, 1, 1_000_000);
        b.ratePerSecond = intOpt(cl, "rate-per-second", (int) b.ratePerSecond, 1, 1_000_000);
        b.maxUnsentBytes = intOpt(cl, "max-unsent-kib", (int) (b.maxUnsentBytes / 1024), 16, 1 << 20) * 1024L;
        b.maxQueue = intOpt(cl, "max-queue", b.maxQueue, 1, 100_000);
        b.maxWanted = intOpt(cl, "max-wanted", b.maxWanted, 1, 1_000_000);
        b.maxQueuedPerUser = intOpt(cl, "max-queued-per-user", b.maxQueuedPerUser, 1, 100_000);
        b.maxWishesPerUser = intOpt(cl, "max-wishes-per-user", b.maxWishesPerUser, 1, 1_000_000);
        b.maxWishAge = Duration.ofDays(intOpt(cl, "max-wish-age-days", (int) b.maxWishAge.toDays(), 1, 36_500));
        b.maxLibraryBytes = intOpt(cl, "max-library-mib", (int) (b.maxLibraryBytes >> 20), 0, 1 << 30) * 1024L * 1024L;
        b.pingInterval = Duration.ofSeconds(intOpt(cl, "ping-interval", (int) b.pingInterval.toSeconds(), 0, 3600));
        b.autoplay = cl.hasOption("autoplay");
        b.trustedAdmins = cl.hasOption("trusted-admins");
        if (cl.hasOption("log-level") && !java.util.List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE")
                .contains(cl.getOptionValue("log-level").trim().toUpperCase(java.util.Locale.ROOT))) {
            throw new ParseException("--log-level must be ERROR, WARN, INFO, DEBUG or TRACE, not '"
                    + cl.getOptionValue("log-level") + "'");
        }
        return b.build();
    }

    /**
     * What the options ask of TLS, or null: the TLS listener is on only with --tls-port, HTTPS only with
     * --https-port; both use the one certificate (--tls-cert/--tls-key, or the self-signed one).
     */
    /** Where the page is served over HTTPS when TLS is on and no --https-port says otherwise. */
    static final int DEFAULT_HTTPS_PORT = 8443;

    private static TlsConfig tls(CommandLine cl, InetSocketAddress plain, InetSocketAddress http)
            throws ParseException {
        boolean tlsPort = cl.hasOption("tls-port");
        // With TLS on and the page on, the page is offered over HTTPS too (on 8443 unless told), on the same
        // certificate; --https-port 0 turns that off.
        boolean httpsDefault = tlsPort && http != null && !cl.hasOption("https-port");
        boolean httpsPort = (cl.hasOption("https-port") && intOpt(cl, "https-port", 0, 0, 65535) != 0) || httpsDefault;
        if (!tlsPort && cl.hasOption("tls-bind")) {
            throw new ParseException("--tls-bind needs --tls-port (the TLS listener is off without it)");
        }
        if (!httpsPort && cl.hasOption("https-bind")) {
            throw new ParseException("--https-bind needs --https-port or --tls-port (HTTPS is off without them)");
        }
        if (!tlsPort && !httpsPort) {
            if (cl.hasOption("tls-cert") || cl.hasOption("tls-key")) {
                throw new ParseException("--tls-cert and --tls-key need --tls-port or --https-port (TLS is off "
                        + "without them)");
            }
            return null;
        }
        InetSocketAddress bind = null;
        if (tlsPort) {
            int port = intOpt(cl, "tls-port", 0, 0, 65535);
            if (port != 0 && port == plain.getPort() && !cl.hasOption("tls-bind")) {
                throw new ParseException("--tls-port " + port + " is the plain port too; choose another (e.g. "
                        + (port + 1) + ")");
            }
            bind = address(cl, "tls-bind", plain, port);
        }
        InetSocketAddress https = null;
        if (httpsPort) {
            int port = httpsDefault ? DEFAULT_HTTPS_PORT : intOpt(cl, "https-port", 0, 1, 65535);
            InetSocketAddress base = http != null ? http : plain;
            if (port != 0 && http != null && port == http.getPort() && !cl.hasOption("https-bind")) {
                throw new ParseException("--https-port " + port + " is the HTTP port too; choose another (e.g. "
                        + "8443)");
            }
            if (port != 0 && bind != null && port == bind.getPort() && !cl.hasOption("https-bind")
                    && !cl.hasOption("tls-bind")) {
                throw new ParseException("--https-port " + port + " is the TLS port too; choose another");
            }
            https = address(cl, "https-bind", base, port);
        }
        Path cert = cl.hasOption("tls-cert") ? Path.of(cl.getOptionValue("tls-cert")) : null;
        Path key = cl.hasOption("tls-key") ? Path.of(cl.getOptionValue("tls-key")) : null;
        try {
            return new TlsConfig(bind, cert, key, https);
        } catch (IllegalArgumentException e) {
            throw new ParseException(e.getMessage());
        }
    }

    /** The address option {@code name}, or that of {@code base}, with {@code port}. */
    private static InetSocketAddress address(CommandLine cl, String name, InetSocketAddress base, int port)
            throws ParseException {
        try {
            return cl.hasOption(name)
                    ? new InetSocketAddress(InetAddress.getByName(cl.getOptionValue(name)), port)
                    : new InetSocketAddress(base.getAddress(), port);
        } catch (java.net.UnknownHostException e) {
            throw new ParseException("--" + name + ": unknown address " + cl.getOptionValue(name));
        }
    }

    private static int intOpt(CommandLine cl, String name, int fallback, int min, int max) throws ParseException {
        if (!cl.hasOption(name)) {
            return fallback;
        }
        String text = cl.getOptionValue(name);
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new ParseException("--" + name + " takes a whole number, not '" + text + "'");
        }
        if (value < min || value > max) {
            throw new ParseException("--" + name + " must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }

    public static void main(String[] args) {
        // jaudiotagger logs through java.util.logging; send it to log4j2 with everything else.
        System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
        System.exit(run(args));
    }

    static int run(String[] args) {
        Options options = options();
        CommandLine cl;
        ServerConfig config;
        try {
            cl = new DefaultParser().parse(options, args);
            if (cl.hasOption("help")) {
                printHelp(options);
                return 0;
            }
            if (cl.hasOption("version")) {
                System.out.println("thing-server " + version());
                return 0;
            }
            if (!cl.getArgList().isEmpty()) {
                throw new ParseException("unexpected argument: " + cl.getArgList().get(0));
            }
            config = parse(cl);
            if (cl.hasOption("console") && cl.hasOption("no-console")) {
                throw new ParseException("give --console or --no-console, not both");
            }
        } catch (ParseException e) {
            String message = e.getMessage();
            if (e instanceof org.apache.commons.cli.MissingArgumentException m && m.getOption() != null) {
                // commons-cli names the option by its short name ("p"); say what the user typed.
                Option o = m.getOption();
                message = "--" + o.getLongOpt() + " needs a value (" + o.getArgName() + ")";
            }
            System.err.println("thing-server: " + message);
            System.err.println("Try --help.");
            return 2;
        }
        Logging.configure(cl.getOptionValue("log-level", "INFO"), cl.getOptionValue("log-file"));
        Logger log = LogManager.getLogger(Main.class);
        if (cl.hasOption("grant-operator") || cl.hasOption("revoke-operator")) {
            return operatorAction(config, cl);
        }
        ThingServer server = new ThingServer(config);
        try {
            server.start();
        } catch (Exception e) {
            java.net.BindException bind = bindFailure(e);
            if (bind != null) {
                // MINA wraps it in an IOException: one line, no stack trace.
                if (bind.getMessage() != null && bind.getMessage().startsWith(ThingServer.HTTPS_BIND_FAILURE)) {
                    log.error("cannot listen for {} (is another server running? try another --https-port)",
                            bind.getMessage());
                    return 1;
                }
                if (bind.getMessage() != null && bind.getMessage().startsWith(ThingServer.HTTP_BIND_FAILURE)) {
                    log.error("cannot listen for {} (is another server running? try --http-port, or --http-port 0 "
                            + "for no web page)", bind.getMessage());
                    return 1;
                }
                InetSocketAddress where = e instanceof ThingServer.ListenException l ? l.address() : config.bind();
                log.error("cannot listen on {}: {} (is another server running? try {})", where, bind.getMessage(),
                        e instanceof ThingServer.ListenException ? "--tls-port" : "--port");
                return 1;
            }
            if (e instanceof dev.thing.server.tls.TlsSetupException) {
                log.error("cannot start TLS: {}", e.getMessage());
                return 1;
            }
            log.error("cannot start: {}", e.getMessage(), e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
            LogManager.shutdown();
        }, "thing-shutdown"));
        if (consoleWanted(cl, System.console() != null)) {
            // quit runs the shutdown hook above, as SIGTERM does; from a thread of its own, so that the console
            // can answer first.
            new dev.thing.server.console.Console(server.services(), server.jukebox(), System.out,
                    () -> new Thread(() -> System.exit(0), "thing-quit").start()).start(System.in);
            log.info("console on: type help for the operator's commands (--no-console turns it off)");
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** --console, --no-console, else on when standard input is a terminal. */
    static boolean consoleWanted(CommandLine cl, boolean terminal) {
        return cl.hasOption("console") || (!cl.hasOption("no-console") && terminal);
    }

    /**
     * {@code --grant-operator NAME} / {@code --revoke-operator NAME}: changes the mark in the database and exits
     * (0 done, 1 no such account or the database failed). A running server reads the mark at each login.
     */
    static int operatorAction(ServerConfig config, CommandLine cl) {
        boolean grant = cl.hasOption("grant-operator");
        if (grant && cl.hasOption("revoke-operator")) {
            System.err.println("thing-server: give --grant-operator or --revoke-operator, not both");
            return 2;
        }
        String name = cl.getOptionValue(grant ? "grant-operator" : "revoke-operator").trim();
        try {
            java.nio.file.Files.createDirectories(config.databaseFile().toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            System.err.println("thing-server: cannot create the folder of " + config.databaseFile() + ": "
                    + e.getMessage());
            return 1;
        }
        try (dev.thing.server.account.Accounts accounts = dev.thing.server.account.Accounts.open(
                config.databaseFile(), new dev.thing.server.account.PasswordHasher(config.passwordIterations()),
                () -> System.currentTimeMillis() * 1000)) {
            if (!accounts.setOperator(name, grant)) {
                System.err.println("thing-server: no account called " + name + " in " + config.databaseFile()
                        + " (a name is registered with REGISTER <password> once joined)");
                return 1;
            }
            System.out.println(name + (grant ? " is now an operator" : " is no longer an operator")
                    + " (" + config.databaseFile() + "); it takes effect at their next join");
            return 0;
        } catch (RuntimeException e) {
            System.err.println("thing-server: " + e.getMessage() + (e.getCause() == null ? ""
                    : ": " + e.getCause().getMessage()));
            return 1;
        }
    }

    /** The BindException behind a failed start (MINA wraps it), or null. */
    static java.net.BindException bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.BindException b) {
                return b;
            }
        }
        return null;
    }

    private static void printHelp(Options options) {
        HelpFormatter help = new HelpFormatter();
        help.setWidth(100);
        help.printHelp("java -jar thing-server.jar [options]",
                "Starts a THING listening-party server. With no options it listens on port 7717 (the protocol "
                        + "over TCP) and 8080 (the web page, and the protocol over a WebSocket at /ws), and keeps its "
                        + "songs and index in ./thing-library (created if missing). Connect with "
                        + "'telnet localhost 7717', the THING client, or a browser at http://localhost:8080/.\n\n",
                options,
                "\n--grant-operator and --revoke-operator act on the database (of --library/--database) and exit; "
                        + "run them while the server is stopped or running (its console's operator command does the "
                        + "same while it runs).\n"
                        + "The console (--console; on by default when standard input is a terminal) reads the "
                        + "operator's commands: lobbies, users, songs, wanted, say, stop, kick, rescan, operator, "
                        + "unoperator, help, quit. The end of its input (Ctrl-D) stops the console, not the server.\n"
                        + "Stop it with Ctrl-C (SIGINT), SIGTERM or the console's quit: clients are told, uploads "
                        + "under way are dropped cleanly.");
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    /** Keeps Configurator use in one place; the level names are log4j2's. */
    static final class Logging {
        private Logging() {
        }

        static void configure(String level, String file) {
            if (file != null) {
                System.setProperty("thing.logFile", file);
                Configurator.reconfigure();
            }
            Configurator.setRootLevel(Level.toLevel(level, Level.INFO));
        }
    }
}
