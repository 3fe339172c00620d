package dev.thing.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.it.TelnetClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's console over real pipes and sockets: the server runs as its own process with --console, its
 * standard input a pipe this test types into, and members on telnet-like connections see what the operator does.
 */
class ConsoleOverTheWireTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String GREETING = "NOTIFY THING/1.0 ready";

    @TempDir
    Path dir;
    private ServerProcess server;
    private final List<TelnetClient> clients = new ArrayList<>();
    /** How far into the server's output the answers have been read. */
    private int read;

    @AfterEach
    void stop() {
        clients.forEach(TelnetClient::close);
        if (server != null) {
            server.close();
        }
    }

    private TelnetClient connect(String name) {
        TelnetClient c = new TelnetClient(name, server.address()).timeout(WAIT);
        clients.add(c);
        assertThat(c.nextLine()).startsWith(GREETING);
        return c;
    }

    private TelnetClient admin(String lobby, String name) {
        TelnetClient c = connect(name);
        c.send(lobby + " " + name);
        c.expectLine("OKAY you created " + lobby + " and are its ADMIN");
        return c;
    }

    private TelnetClient member(TelnetClient admin, String lobby, String name) {
        TelnetClient c = connect(name);
        c.send(lobby + " " + name);
        c.expectLine("NOTIFY waiting for approval to join " + lobby);
        admin.skipUntil(l -> l.startsWith("NOTIFY " + name + " asks to join"));
        admin.send("ACCEPT " + name);
        admin.skipUntilLine("NOTIFY " + name + " joined " + lobby);
        admin.expectLine("OKAY");
        c.expectJoinOkay();
        c.expectLine("NOTIFY " + name + " joined " + lobby);
        return c;
    }

    /** Types a line at the console and waits for its answer to hold {@code answer}. */
    private void console(String line, String answer) throws Exception {
        server.console(line);
        read = server.awaitOutput(read, answer);
    }

    @Test
    void theOperatorSaysKicksRescansStopsAndQuits() throws Exception {
        server = ServerProcess.start(dir.resolve("library"), dir.resolve("server.log"), "--console",
                "--rejoin-grace", "0");
        read = server.awaitOutput(0, "console on: type help");
        TelnetClient alice = admin("party", "alice");
        TelnetClient bob = member(alice, "party", "bob");

        console("help", "  rescan ");

        console("say party the bar closes at two", "said to 2 members of party");
        alice.expectLine("NOTIFY server: the bar closes at two");
        bob.expectLine("NOTIFY server: the bar closes at two");

        // Bad input: a clear line each, nothing changes, the console reads on.
        console("frobnicate", "error: no console command frobnicate; help lists them");
        console("kick party nobody", "error: no member called nobody in party");
        console("say nowhere hello", "error: no lobby called nowhere (lobbies lists them)");
        console("stop", "error: usage: stop <lobby>");
        console("say \"unclosed", "error: ");

        console("kick party bob", "kicked bob from party");
        bob.expectLine("NOTIFY you were kicked from party by the server's operator");
        bob.assertClosedByServer();
        alice.expectLine("NOTIFY bob was kicked from party by the server's operator");

        Files.write(server.library.resolve("dropped.mp3"), Audio.bytes("sine-440-3s.mp3"));
        Files.write(server.library.resolve("noise.mp3"), Audio.bytes("random-bytes.mp3"));
        console("rescan", ": 1 added, 0 removed, 1 skipped");
        read = server.awaitOutput(read, "skipped noise.mp3: ");
        String update = alice.skipUntil(l -> l.startsWith("UPDATE "));
        TelnetClient.Reply list = alice.command("LIST");
        assertThat(list.last()).isEqualTo("OKAY");
        assertThat(list.data()).hasSize(1);
        String title = dev.thing.protocol.Tokens.split(update).get(1);
        assertThat(dev.thing.protocol.Tokens.split(list.data().get(0))).contains(title);

        TelnetClient carol = admin("late", "carol");
        console("lobbies", "2 lobbies:");
        console("stop party", "ended the party in party: 1 member told and disconnected");
        alice.expectLine("NOTIFY the party in party was ended by the server's operator; closing");
        alice.assertClosedByServer();
        console("lobbies", "1 lobby:");

        console("quit", "stopping the server");
        carol.skipUntilLine("NOTIFY server is shutting down");
        carol.assertClosedByServer();
        assertThat(server.awaitExit()).isZero();
        assertThat(server.logText()).contains("staff: console (the server's operator): kick party bob")
                .contains("staff: console (the server's operator): stop party");
    }

    @Test
    void theEndOfTheConsolesInputLeavesTheServerRunning() throws Exception {
        server = ServerProcess.start(dir.resolve("library"), dir.resolve("server.log"), "--console");
        read = server.awaitOutput(0, "console on: type help");
        server.closeConsole();
        read = server.awaitOutput(read, "console: end of input; the console stops reading, the server keeps running");
        TelnetClient alice = admin("party", "alice");
        assertThat(alice.command("LOBBIES").data()).containsExactly("LOBBY party 1 0");
    }
}
