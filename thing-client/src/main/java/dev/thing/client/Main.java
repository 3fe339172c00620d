package dev.thing.client;

import dev.thing.client.audio.AudioMode;
import dev.thing.client.audio.AudioOutputs;
import dev.thing.client.audio.PulseApi;
import dev.thing.client.console.JLineConsole;
import dev.thing.client.console.PlainConsole;
import dev.thing.client.sync.LocalClock;
import dev.thing.protocol.Names;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import dev.thing.client.cache.CacheLock;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * {@code java -jar thing-client.jar [options] <lobby> <username>}. No static logger here: logging is configured
 * (file in the cache folder) from the options before log4j starts.
 */
public final class Main {
    public static final int DEFAULT_PORT = 7717;
    private static final int EXIT_USAGE = 64;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("host").hasArg().argName("H")
                .desc("server host name or address (default: localhost)").get());
        o.addOption(Option.builder().longOpt("port").hasArg().argName("P")
                .desc("server TCP port (default: " + DEFAULT_PORT + ")").get());
        o.addOption(Option.builder().longOpt("tls")
                .desc("connect over TLS (to the server's --tls-port); its certificate is trusted on first use and "
                        + "remembered, and a changed one is refused, as ssh does").get());
        o.addOption(Option.builder().longOpt("known-hosts").hasArg().argName("FILE")
                .desc("where --tls remembers servers' certificate fingerprints (default: "
                        + "$XDG_CONFIG_HOME/thing/known_hosts or ~/.config/thing/known_hosts)").get());
        o.addOption(Option.builder().longOpt("tls-fingerprint").hasArg().argName("SHA256")
                .desc("accept only the certificate with this SHA-256 fingerprint (as the server logs it; implies "
                        + "--tls; the known-hosts file is then not used)").get());
        o.addOption(Option.builder().longOpt("cache").hasArg().argName("DIR")
                .desc("song cache and log folder (default: $XDG_CACHE_HOME/thing or ~/.cache/thing)").get());
        o.addOption(Option.builder().longOpt("cache-max-mib").hasArg().argName("N")
                .desc("cache size bound in MiB; least recently played songs are evicted (default: 2048)").get());
        o.addOption(Option.builder().longOpt("latency").hasArg().argName("MS")
                .desc("audio output latency to compensate, in milliseconds (default: 0)").get());
        o.addOption(Option.builder().longOpt("audio").hasArg().argName("OUT")
                .desc("where the sound goes: auto (default: PulseAudio if libpulse loads and a server answers, else "
                        + "Java Sound, else silent with one warning), pulse (PulseAudio only; refuses to start "
                        + "without it), javasound, or silent (keeps time, plays nothing)").get());
        o.addOption(Option.builder().longOpt("no-audio")
                .desc("same as --audio silent: do not play sound (still follows the lobby and caches songs)").get());
        o.addOption(Option.builder().longOpt("password").hasArg().argName("PW")
                .desc("the password of a registered username, sent in the join line (other users of this machine "
                        + "can see it in the process list; --ask-password avoids that)").get());
        o.addOption(Option.builder().longOpt("ask-password")
                .desc("ask for the password on the terminal, without echo, before joining").get());
        o.addOption(Option.builder().longOpt("script")
                .desc("read commands from standard input line by line, even on a terminal; exit code 0 only if "
                        + "every command succeeded (implied when standard input is not a terminal)").get());
        o.addOption(Option.builder().longOpt("batch").desc("same as --script").get());
        o.addOption(Option.builder().longOpt("help").desc("print this help and exit").get());
        o.addOption(Option.builder().longOpt("version").desc("print the version and exit").get());
        return o;
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    static void printHelp(PrintWriter out) {
        HelpFormatter f = HelpFormatter.builder().get();
        f.printHelp(out, 100, "java -jar thing-client.jar [options] <lobby> <username>",
                "Joins <lobby> on a THING server as <username> (creating the lobby, as its admin, if it does not "
                        + "exist), plays the lobby's songs in sync and takes commands; type 'help' once joined.\n\n",
                options(), 2, 2,
                "\nExit codes: 0 ok; 1 a command failed (script mode) or the connection was lost; 2 could not join "
                        + "(name taken, refused, server unreachable); " + EXIT_USAGE + " bad command line.");
        out.flush();
    }

    @SuppressWarnings("deprecation")
    static int run(String[] args) {
        CommandLine cl;
        try {
            cl = new DefaultParser().parse(options(), args);
        } catch (ParseException e) {
            System.err.println("thing-client: " + e.getMessage());
            System.err.println("try --help");
            return EXIT_USAGE;
        }
        if (cl.hasOption("help")) {
            printHelp(new PrintWriter(System.out));
            return 0;
        }
        if (cl.hasOption("version")) {
            System.out.println("thing-client " + version() + " (THING/1.0)");
            return 0;
        }
        List<String> rest = cl.getArgList();
        if (rest.size() != 2) {
            System.err.println("thing-client: expected <lobby> <username>; try --help");
            return EXIT_USAGE;
        }
        String lobby = rest.get(0);
        String user = rest.get(1);
        if (!Names.isValidName(lobby) || !Names.isValidName(user)) {
            System.err.println("thing-client: lobby and username are 1-32 characters of letters, digits, '_' or '-'");
            return EXIT_USAGE;
        }
        AudioMode audio;
        try {
            audio = audioMode(cl);
        } catch (IllegalArgumentException e) {
            System.err.println("thing-client: " + e.getMessage());
            return EXIT_USAGE;
        }
        ThingClient.Config config;
        CacheLock lock;
        try {
            Path cache;
            if (cl.hasOption("cache")) {
                cache = Path.of(cl.getOptionValue("cache"));
                Optional<CacheLock> got = CacheLock.tryAcquire(cache);
                if (got.isEmpty()) {
                    System.err.println("thing-client: " + ThingClient.cacheInUse(cache));
                    return ThingClient.EXIT_FAILED;
                }
                lock = got.get();
            } else {
                lock = lockDefaultCache(defaultCacheDir());
                if (lock == null) {
                    System.err.println("thing-client: " + ThingClient.cacheInUse(defaultCacheDir()));
                    return ThingClient.EXIT_FAILED;
                }
                cache = lock.dir();
            }
            config = new ThingClient.Config(cl.getOptionValue("host", "localhost"),
                    intOption(cl, "port", DEFAULT_PORT, 1, 65535), cache,
                    intOption(cl, "cache-max-mib", 2048, 1, Integer.MAX_VALUE) * 1024L * 1024L,
                    intOption(cl, "latency", 0, 0, 10_000), audio, lobby, user, tls(cl), password(cl));
            Files.createDirectories(cache);
        } catch (IllegalArgumentException e) {
            System.err.println("thing-client: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException e) {
            System.err.println("thing-client: cannot create the cache folder: " + e.getMessage());
            return ThingClient.EXIT_FAILED;
        }
        configureLogging(config.cacheDir());
        if (audio == AudioMode.PULSE) { // after configureLogging: the check loads classes that log
            String why = pulseUnavailable(AudioOutputs.SYSTEM);
            if (why != null) {
                System.err.println("thing-client: --audio pulse: " + why + " (try --audio auto or javasound)");
                lock.close();
                return ThingClient.EXIT_FAILED;
            }
        }
        boolean script = cl.hasOption("script") || cl.hasOption("batch") || System.console() == null;
        LocalClock clock = LocalClock.SYSTEM;
        ThingClient client = new ThingClient(config, components(), clock, lock);
        String prompt = lobby + "> ";
        return client.run(data -> {
            if (script) {
                return new PlainConsole(System.in, System.out, System.err);
            }
            try {
                return new JLineConsole(prompt, config.cacheDir().resolve("history"), data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The TLS the options ask for, or null: --tls, or --tls-fingerprint (which implies it). */
    static ThingClient.Tls tls(CommandLine cl) {
        if (!cl.hasOption("tls") && !cl.hasOption("tls-fingerprint")) {
            if (cl.hasOption("known-hosts")) {
                throw new IllegalArgumentException("--known-hosts is for --tls");
            }
            return null;
        }
        String pin = cl.hasOption("tls-fingerprint")
                ? dev.thing.client.net.ServerTrust.normalize(cl.getOptionValue("tls-fingerprint")) : null;
        Path known = cl.hasOption("known-hosts") ? Path.of(cl.getOptionValue("known-hosts"))
                : dev.thing.client.net.ServerTrust.defaultKnownHosts();
        return new ThingClient.Tls(known, pin);
    }

    static ThingClient.Components components() {
        return ThingClient.REAL;
    }

    /** The password from --password, or asked for without echo with --ask-password; null for a guest. */
    static String password(CommandLine cl) {
        if (cl.hasOption("password") && cl.hasOption("ask-password")) {
            throw new IllegalArgumentException("give --password or --ask-password, not both");
        }
        String password = cl.getOptionValue("password");
        if (cl.hasOption("ask-password")) {
            java.io.Console console = System.console();
            if (console == null) {
                throw new IllegalArgumentException("--ask-password needs a terminal; use --password");
            }
            char[] typed = console.readPassword("password: ");
            password = typed == null ? "" : new String(typed);
        }
        if (password != null) {
            try {
                Names.requirePassword(password);
            } catch (dev.thing.protocol.ProtocolException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        return password;
    }

    /** {@code --audio}, or {@code --no-audio} (silent); both at once only if they agree. */
    static AudioMode audioMode(CommandLine cl) {
        AudioMode m = cl.hasOption("audio") ? AudioMode.parse(cl.getOptionValue("audio")) : AudioMode.AUTO;
        if (cl.hasOption("no-audio")) {
            if (cl.hasOption("audio") && m != AudioMode.SILENT) {
                throw new IllegalArgumentException("--no-audio contradicts --audio " + m.label());
            }
            return AudioMode.SILENT;
        }
        return m;
    }

    /** Why PulseAudio cannot be used here (libpulse missing, no server answering), or null if it can. */
    static String pulseUnavailable(AudioOutputs.Backends backends) {
        try {
            backends.pulse();
            return null;
        } catch (PulseApi.PulseException e) {
            return e.getMessage();
        }
    }

    private static int intOption(CommandLine cl, String name, int def, int min, int max) {
        if (!cl.hasOption(name)) {
            return def;
        }
        try {
            int v = Integer.parseInt(cl.getOptionValue(name).trim());
            if (v < min || v > max) {
                throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a number, not " + cl.getOptionValue(name));
        }
    }

    /**
     * Locks the default cache folder, or, when another client on this machine holds it, the first free one of
     * {@code <dir>-2} to {@code <dir>-9} (saying so). Null when all are in use.
     */
    static CacheLock lockDefaultCache(Path dir) throws IOException {
        for (int i = 1; i <= 9; i++) {
            Path candidate = i == 1 ? dir : dir.resolveSibling(dir.getFileName() + "-" + i);
            Optional<CacheLock> got = CacheLock.tryAcquire(candidate);
            if (got.isPresent()) {
                if (i > 1) {
                    System.err.println("thing-client: " + dir + " is in use (" + CacheLock.holder(dir)
                            + "); caching in " + candidate);
                }
                return got.get();
            }
        }
        return null;
    }

    /** Same as SongCache.defaultDir(), without loading a class that logs before logging is configured. */
    private static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "thing");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "thing");
    }

    /** Points log4j (and java.util.logging, which jaudiotagger uses) at thing-client.log in the cache folder. */
    private static void configureLogging(Path cacheDir) {
        System.setProperty("thing.client.logdir", cacheDir.toAbsolutePath().toString());
        System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
    }
}
