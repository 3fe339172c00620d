package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.server.ServerConfig;
import dev.thing.server.ThingServer;
import dev.thing.server.time.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts real servers on a loopback port of the system's choosing, in a temporary folder, and connects raw-socket
 * clients to them; everything is closed after each test.
 */
abstract class ServerTestBase {
    static final String GREETING =
            "NOTIFY THING/1.0 ready: send \"<lobby> <username>\" to join, or HELP, LOBBIES, CAP, QUIT";
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    ThingServer server;
    ManualClock clock;
    private final List<ThingServer> servers = new ArrayList<>();
    private final List<TelnetClient> clients = new ArrayList<>();

    @AfterEach
    void closeEverything() {
        for (TelnetClient c : clients) {
            c.close();
        }
        for (ThingServer s : servers) {
            s.close();
        }
    }

    ServerConfig.Builder config() {
        return ServerConfig.forTests(dir).toBuilder();
    }

    /** A server on real time with the test defaults. */
    ThingServer start() {
        return start(b -> { });
    }

    ThingServer start(Consumer<ServerConfig.Builder> tweak) {
        ServerConfig.Builder b = config();
        tweak.accept(b);
        return start(new ThingServer(b.build()));
    }

    /**
     * A server whose clock and timers move only with {@link ManualClock#advanceMillis}. Its command rate limit
     * is lifted, since the token bucket would refill only when the test moves the clock.
     */
    ThingServer startManual(Consumer<ServerConfig.Builder> tweak) {
        ServerConfig.Builder b = config();
        b.rateBurst = 100_000;
        tweak.accept(b);
        clock = new ManualClock(System.currentTimeMillis() * 1000);
        return start(new ThingServer(b.build(), clock, clock));
    }

    ThingServer startManual() {
        return startManual(b -> { });
    }

    private ThingServer start(ThingServer s) {
        servers.add(s);
        try {
            s.start();
        } catch (Exception e) {
            throw new IllegalStateException("server did not start", e);
        }
        server = s;
        return s;
    }

    /** Stops the current server (as at a restart); its clients see the shutdown. */
    void stopServer() {
        server.close();
    }

    /** Connects and reads the greeting. */
    TelnetClient connect(String name) {
        return connect(name, 0);
    }

    TelnetClient connect(String name, int receiveBuffer) {
        TelnetClient c = new TelnetClient(name, server.address(), receiveBuffer);
        clients.add(c);
        c.expectLine(GREETING);
        return c;
    }

    /** Connects without reading anything (for connections the server refuses). */
    TelnetClient connectRaw(String name) {
        TelnetClient c = new TelnetClient(name, server.address());
        clients.add(c);
        return c;
    }

    /** Closes {@code c} after the test, with the others (for clients made over other sockets). */
    TelnetClient track(TelnetClient c) {
        clients.add(c);
        return c;
    }

    /** Connects and creates a lobby: the client is its ADMIN. */
    TelnetClient admin(String lobby, String user) {
        TelnetClient c = connect(user);
        c.send(lobby + " " + user);
        c.expectLine("OKAY you created " + lobby + " and are its ADMIN");
        return c;
    }

    /** Connects and asks to join; the moderator sees the request. The joiner is left PENDING. */
    TelnetClient pending(TelnetClient moderator, String lobby, String user) {
        TelnetClient c = connect(user);
        c.send(lobby + " " + user);
        c.expectLine("NOTIFY waiting for approval to join " + lobby);
        moderator.expectLine("NOTIFY " + user + " asks to join " + lobby + ": ACCEPT " + user + " or REJECT " + user);
        // The NOTIFYs are sent while the server is still handling the join line; a round trip makes sure it is
        // done (and its handshake timer cancelled) before a test moves a manual clock.
        assertThat(c.command("HELP").last()).isEqualTo("OKAY");
        return c;
    }

    /**
     * A joiner accepted by {@code admin}; every member in {@code others} (the admin included, as the first) sees the
     * join NOTIFY, which is consumed.
     */
    TelnetClient member(TelnetClient admin, String lobby, String user, TelnetClient... others) {
        TelnetClient c = pending(admin, lobby, user);
        admin.send("ACCEPT " + user);
        c.expectJoinOkay();
        String joined = "NOTIFY " + user + " joined " + lobby;
        c.expectLine(joined);
        // The admin sees the lobby's NOTIFY and its own OKAY, in the order the server wrote them.
        List<String> seen = List.of(admin.nextLine(), admin.nextLine());
        assertThat(seen).containsExactly(joined, "OKAY");
        for (TelnetClient o : others) {
            o.expectLine(joined);
        }
        return c;
    }

    static byte[] fixture(String name) {
        try (InputStream in = ServerTestBase.class.getResourceAsStream("/audio/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The MP3 files now in the library folder (the index and .incoming left out). */
    List<String> storedFiles() {
        try (Stream<Path> s = Files.list(server.library().folder())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".mp3")).map(p -> p.getFileName().toString())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> incomingFiles() {
        Path incoming = server.library().folder().resolve(".incoming");
        if (!Files.isDirectory(incoming)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(incoming)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls (without sleeping longer than a few ms a round) until the condition holds or the wait is over. */
    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
