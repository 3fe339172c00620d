package dev.thing.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * ngircd (Debian's package) as the IRC peer: started on a free loopback port with a generated minimal
 * configuration (no DNS or ident lookups, no per-IP or per-user limits, long PING timeouts), in the foreground.
 */
public final class IrcServer implements AutoCloseable {
    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/ngircd"), Path.of("/usr/bin/ngircd"),
            Path.of("/usr/local/sbin/ngircd"), Path.of("/usr/local/bin/ngircd"));

    private final Process process;
    private final int port;

    private IrcServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The ngircd binary, if installed. */
    public static Optional<Path> find() {
        return CANDIDATES.stream().filter(Files::isExecutable).findFirst();
    }

    public static IrcServer start(Path binary, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = Net.freePort();
        Path conf = dir.resolve("ngircd.conf");
        Files.writeString(conf, String.join("\n",
                "[Global]",
                "Name = bench.irc.local",
                "Info = THING benchmark peer",
                "Listen = 127.0.0.1",
                "Ports = " + port,
                "MotdPhrase = THING benchmark peer",
                "",
                "[Limits]",
                "MaxConnections = 0",
                "MaxConnectionsIP = 0",
                "MaxJoins = 0",
                "MaxNickLength = 30",
                "PingTimeout = 600",
                "PongTimeout = 600",
                "ConnectRetry = 60",
                "",
                "[Options]",
                "DNS = no",
                "Ident = no",
                "PAM = no",
                "SyslogFacility = local7",
                ""));
        Path log = dir.resolve("ngircd.log");
        Process p = new ProcessBuilder(binary.toString(), "-n", "-f", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        IrcServer s = new IrcServer(p, port);
        try {
            Net.awaitListening(port, 15_000, p);
        } catch (IOException e) {
            s.close();
            throw new IOException("ngircd did not start (" + e.getMessage() + "); see " + log, e);
        }
        return s;
    }

    /** ngircd's resident set size in KiB. */
    public java.util.OptionalLong rssKib() {
        return Proc.rssKib(process.pid());
    }

    public InetSocketAddress address() {
        return Net.loopback(port);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
