package dev.thing.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.ThingClient;
import dev.thing.it.TelnetClient;
import dev.thing.server.ServerConfig;
import dev.thing.server.ThingServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server (real time) on a loopback port of the system's choosing, raw telnet clients and in-process runs of
 * the real client; everything is closed after each test. Waits are generous and only ever for outcomes.
 */
abstract class ClientTestBase {
    static final String GREETING =
            "NOTIFY THING/1.0 ready: send \"<lobby> <username>\" to join, or HELP, LOBBIES, CAP, QUIT";
    static final Duration WAIT = ClientRun.WAIT;

    @TempDir
    Path dir;

    ThingServer server;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        // Clients first (they end their input and exit), then the server.
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    ThingServer start() {
        return start(b -> { });
    }

    ThingServer start(Consumer<ServerConfig.Builder> tweak) {
        ServerConfig.Builder b = ServerConfig.forTests(dir.resolve("server")).toBuilder();
        tweak.accept(b);
        ThingServer s = new ThingServer(b.build());
        toClose.add(s);
        try {
            s.start();
        } catch (Exception e) {
            throw new IllegalStateException("server did not start", e);
        }
        server = s;
        return s;
    }

    int port() {
        return server.address().getPort();
    }

    /** Connects a raw telnet client and reads the greeting. */
    TelnetClient telnet(String name) {
        TelnetClient c = new TelnetClient(name, server.address());
        toClose.add(c);
        c.timeout(WAIT);
        c.expectLine(GREETING);
        return c;
    }

    /** A telnet client that creates {@code lobby}: its ADMIN. */
    TelnetClient telnetAdmin(String lobby, String user) {
        TelnetClient c = telnet(user);
        c.send(lobby + " " + user);
        c.expectLine("OKAY you created " + lobby + " and are its ADMIN");
        return c;
    }

    /** A fresh, empty cache folder for one client. */
    Path cacheDir(String user) {
        try {
            return Files.createDirectories(dir.resolve("cache-" + user));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ClientRun script(String lobby, String user, String script) {
        return script(lobby, user, ThingClient.REAL, script);
    }

    ClientRun script(String lobby, String user, ThingClient.Components components, String script) {
        ClientRun r = ClientRun.script(ClientRun.config(port(), cacheDir(user), lobby, user), components, script);
        toClose.add(r);
        return r;
    }

    ClientRun interactive(String lobby, String user, ThingClient.Components components) {
        return interactive(lobby, user, components, cacheDir(user));
    }

    ClientRun interactive(String lobby, String user, ThingClient.Components components, Path cache) {
        ClientRun r = ClientRun.interactive(ClientRun.config(port(), cache, lobby, user), components);
        toClose.add(r);
        return r;
    }

    /**
     * Has a telnet admin accept a client run: waits for the join request NOTIFY, sends ACCEPT, and waits for the
     * client to say it joined.
     */
    static void accept(TelnetClient admin, ClientRun joiner, String lobby) {
        String user = joiner.name();
        joiner.awaitOutput("waiting for approval to join " + lobby);
        admin.skipUntilLine("NOTIFY " + user + " asks to join " + lobby + ": ACCEPT " + user + " or REJECT " + user);
        admin.send("ACCEPT " + user);
        admin.skipUntilLine("OKAY");
        joiner.awaitOutput("joined " + lobby + " as " + user + " (user)");
    }

    /** A fixture copied out of the class path into a real file (the client uploads files by path). */
    Path fixtureFile(String name) {
        Path target = dir.resolve("fixtures").resolve(name);
        try (InputStream in = ClientTestBase.class.getResourceAsStream("/audio/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            Files.createDirectories(target.getParent());
            if (!Files.exists(target)) {
                Files.write(target, in.readAllBytes());
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] fixture(String name) {
        try (InputStream in = ClientTestBase.class.getResourceAsStream("/audio/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The audio hash the server's LIST gives for a title (the last field of its SONG line). */
    static String listedHash(TelnetClient c, String title) {
        TelnetClient.Reply r = c.command("LIST");
        assertThat(r.last()).isEqualTo("OKAY");
        for (String line : r.data()) {
            String[] f = line.split(" ");
            if (line.startsWith("SONG ") && line.contains(" " + TelnetClient.quote(title) + " ")) {
                return f[f.length - 1];
            }
        }
        throw new AssertionError("no " + title + " in LIST: " + r.data());
    }

    /** An entry of a client's cache index ({@code index.txt}): hash, size, last played, title, artist, tags. */
    record IndexEntry(String hash, long size, String title, String artist, String tag1, String tag2) {
    }

    /** Reads a cache's index file (rewritten atomically by the client, so safe to read while it runs). */
    static List<IndexEntry> cacheIndex(Path cacheDir) {
        Path index = cacheDir.resolve("index.txt");
        if (!Files.exists(index)) {
            return List.of();
        }
        List<IndexEntry> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                out.add(new IndexEntry(f[0], Long.parseLong(f[1]), f[3], f[4], f[5], f[6]));
            }
        } catch (IOException e) {
            return List.of(); // caught between writes on a platform without atomic moves: try again
        }
        return out;
    }

    static Optional<IndexEntry> cached(Path cacheDir, String title) {
        return cacheIndex(cacheDir).stream().filter(e -> e.title().equalsIgnoreCase(title)).findFirst();
    }

    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            ClientRun.sleep(10);
        }
    }
}
