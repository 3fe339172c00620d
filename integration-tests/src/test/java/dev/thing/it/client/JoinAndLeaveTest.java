package dev.thing.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.ThingClient;
import dev.thing.client.cache.CacheLock;
import dev.thing.it.TelnetClient;
import java.io.IOException;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #12, the client's side of getting in and out: giving up an approval wait from the terminal, the server's
 * reason for closing, a server that is not there, one client per cache folder, uploads the server refuses.
 */
class JoinAndLeaveTest extends ClientTestBase {

    private static void type(PipedOutputStream keys, String text) {
        try {
            keys.write(text.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ClientRun atTerminal(String lobby, String user, PipedOutputStream keys) {
        ClientRun r = ClientRun.terminal(ClientRun.config(port(), cacheDir(user), lobby, user), ThingClient.REAL,
                keys);
        return r;
    }

    /**
     * Ctrl-D and 'quit' at the waiting prompt. (Ctrl-C takes the same way out, JLine's UserInterruptException, but
     * needs a real tty's SIGINT, which JLine's stream terminal does not raise; it was tried by hand in tmux.)
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Ctrl-D", "quit"})
    void aJoinerWaitingForApprovalCanGiveUp(String key) throws Exception {
        String typed = switch (key) {
            case "Ctrl-D" -> "\u0004";
            default -> "quit\r";
        };
        start();
        TelnetClient admin = telnetAdmin("party", "alice");
        PipedOutputStream keys = new PipedOutputStream();
        try (ClientRun bob = atTerminal("party", "bob", keys)) {
            bob.awaitOutput("waiting for approval to join party");
            bob.awaitOutput("Ctrl-C, Ctrl-D or 'quit' gives up waiting");
            bob.awaitOutput("waiting> ");
            type(keys, "hello\r"); // a line typed while waiting is read (and answered), not left for the shell
            bob.awaitOutput("not in party yet; Ctrl-C, Ctrl-D or 'quit' gives up");
            type(keys, typed);
            assertThat(bob.exitCode()).as(key + "; output:\n" + bob.output()).isEqualTo(ThingClient.EXIT_NOT_JOINED);
            assertThat(bob.output()).contains("gave up waiting to join party");
        }
        // The server heard that bob left: he is no longer waiting.
        admin.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        TelnetClient.Reply accept = admin.command("ACCEPT bob");
        assertThat(accept.last()).startsWith("ERROR");
    }

    @Test
    void anApprovalTimeoutIsToldOnceAtTheTerminal() throws Exception {
        // #12: the timeout used to be told as a notice, then again as "could not join party".
        start(b -> b.approvalTimeout = java.time.Duration.ofSeconds(1));
        TelnetClient admin = telnetAdmin("party", "alice");
        PipedOutputStream keys = new PipedOutputStream();
        try (ClientRun bob = atTerminal("party", "bob", keys)) {
            assertThat(bob.exitCode()).isEqualTo(ThingClient.EXIT_NOT_JOINED);
            String out = bob.output();
            assertThat(out.split("nobody accepted you", -1)).as(out).hasSize(2);
            assertThat(out).contains("nobody accepted you into party within 1 s; closing")
                    .doesNotContain("could not join").doesNotContain("disconnected");
        }
        admin.skipUntilLine("NOTIFY bob was turned away: nobody answered within 1 s");
    }

    @Test
    void anAcceptanceEndsTheWaitAndTheSessionGoesOn() throws Exception {
        start();
        TelnetClient admin = telnetAdmin("party", "alice");
        PipedOutputStream keys = new PipedOutputStream();
        try (ClientRun bob = atTerminal("party", "bob", keys)) {
            bob.awaitOutput("waiting> ");
            admin.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
            admin.send("ACCEPT bob");
            String out = bob.awaitOutput("joined party as bob (user); type 'help'");
            // The "waiting> " prompt the acceptance ended is wiped (cursor up, to the line's start, clear to its
            // end), so the screen stops saying bob waits.
            String afterWait = out.substring(out.lastIndexOf("waiting> "));
            assertThat(afterWait).as(out).contains("\u001b[A\r\u001b[K");
            type(keys, "quit\r");
            assertThat(bob.exitCode()).as("output:\n" + bob.output()).isZero();
        }
    }

    @Test
    void aFullServerSaysSoInsteadOfConnectionClosed() {
        start(b -> b.maxConnections = 1);
        TelnetClient first = telnetAdmin("party", "alice");
        ClientRun bob = script("party", "bob", "list\n");
        assertThat(bob.exitCode()).isEqualTo(ThingClient.EXIT_NOT_JOINED);
        assertThat(bob.output()).contains("error: disconnected before joining: server full (1 connections); try later")
                .doesNotContain("connection closed by the server");
        first.close();
    }

    @Test
    void aServerThatIsNotThereIsNamed() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        ClientRun r = ClientRun.script(ClientRun.config(closed, cacheDir("nobody"), "party", "nobody"),
                ThingClient.REAL, "list\n");
        assertThat(r.exitCode()).isEqualTo(ThingClient.EXIT_NOT_JOINED);
        assertThat(r.output()).contains("error: cannot connect to 127.0.0.1:" + closed
                + ": connection refused (is the server running? check --host and --port)");
    }

    @Test
    void aSecondClientOnTheSameCacheFolderSaysWhyItCannot() throws Exception {
        start();
        Path shared = cacheDir("shared");
        Optional<CacheLock> held = CacheLock.tryAcquire(shared);
        assertThat(held).isPresent();
        try {
            ClientRun second = ClientRun.script(ClientRun.config(port(), shared, "party", "bob"), ThingClient.REAL,
                    "list\n");
            assertThat(second.exitCode()).isEqualTo(ThingClient.EXIT_FAILED);
            assertThat(second.output()).contains("the cache folder " + shared
                    + " is in use by another thing-client (process " + ProcessHandle.current().pid()
                    + "); give each client on this machine its own --cache DIR");
        } finally {
            held.get().close();
        }
        // Once the first has gone, the folder is free again.
        ClientRun after = ClientRun.script(ClientRun.config(port(), shared, "party", "bob"), ThingClient.REAL,
                "list\n");
        assertThat(after.exitCode()).as("output:\n" + after.output()).isZero();
    }

    @Test
    void anUploadTheServerRefusesEarlyStopsAndADuplicateTitleIsNotSent() {
        start(b -> b.maxUploadBytes = 100_000);
        Path big = fixtureFile("long-sweep-180s.mp3"); // 1.4 MB
        Path small = fixtureFile("sine-440-3s.mp3");
        ClientRun admin = script("party", "alice", String.join("\n",
                "upload " + big + " --title Too Big",
                "upload " + small + " --title Sine",
                "upload " + small + " --title sine",
                "list", ""));
        assertThat(admin.exitCode()).isEqualTo(1);
        assertThat(admin.output())
                .containsPattern("line 1: error: upload of Too Big failed: .*limit")
                .contains("uploaded Sine as #1")
                .contains("line 3: error: cannot upload " + small
                        + ": the library already has a song titled \"Sine\" (#1); choose another with --title")
                // The refused upload did not go on to 100%.
                .doesNotContain("Too Big [################] 100%");
        TelnetClient t = telnetAdmin("other", "checker");
        assertThat(t.command("LIST").data()).singleElement().asString().startsWith("SONG 1 Sine ");
    }
}
