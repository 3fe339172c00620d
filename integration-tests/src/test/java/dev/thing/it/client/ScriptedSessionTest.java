package dev.thing.it.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.thing.client.ThingClient;
import dev.thing.it.TelnetClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real client driven through standard input (script mode) against a real server: what a user's shell script
 * gets, exit codes included.
 */
class ScriptedSessionTest extends ClientTestBase {

    @Test
    void anAdminScriptRunsEveryCommandAndExitsZero() {
        start();
        Path song = fixtureFile("sine-440-3s.mp3");
        ClientRun admin = script("party", "alice", String.join("\n",
                "upload " + song + " --title Sine Wave --artist Test Tones",
                "list",
                "tag Sine Wave tag1 Rock",
                "users",
                "request Unknown Song",
                "wanted",
                "status",
                "list",
                ""));

        assertThat(admin.exitCode()).as("exit code; output:\n" + admin.output()).isZero();
        String out = admin.output();
        assertThat(out).contains("joined party as alice (admin, you created it)")
                .contains("uploaded Sine Wave as #1")
                // LIST before the tag change: title, artist, the fixture's own tags, duration.
                .containsPattern("#1 +Sine Wave +Test Tones +Ambient, fixture +0:0[23]")
                // The tag change: the server's UPDATE, and the second LIST.
                .contains("* song updated: Sine Wave - Test Tones [Rock, ")
                .containsPattern("#1 +Sine Wave +Test Tones +Rock, fixture +0:0[23]")
                // USERS: ourselves as ADMIN.
                .containsPattern("alice +admin")
                // The wanted list holds the request.
                .containsPattern("Unknown Song +- +alice +party")
                // status.
                .contains("lobby: party as alice (admin)").contains("cache: 1 song")
                .doesNotContain("error:");

        // What the server now holds agrees.
        TelnetClient t = telnetAdmin("other", "checker");
        TelnetClient.Reply list = t.command("LIST");
        assertThat(list.data()).singleElement().asString()
                .startsWith("SONG 1 \"Sine Wave\" \"Test Tones\" Rock ");
        // The uploader's own cache holds its upload under the server's hash.
        assertThat(cached(admin.cacheDir(), "Sine Wave")).get()
                .extracting(IndexEntry::hash).isEqualTo(listedHash(t, "Sine Wave"));
    }

    @Test
    void aFailingCommandMakesTheExitCodeOne() {
        start();
        ClientRun admin = script("party", "alice", "list\nplay \"No Such Song\"\nusers\n");
        assertThat(admin.exitCode()).as("exit code; output:\n" + admin.output()).isEqualTo(1);
        assertThat(admin.output()).contains("error: no song titled \"No Such Song\" in the library")
                // the script goes on after a failure
                .containsPattern("alice +admin");
    }

    @Test
    void anUnknownCommandMakesTheExitCodeOneToo() {
        start();
        ClientRun admin = script("party", "alice", "users\nfrobnicate now\n");
        assertThat(admin.exitCode()).as("exit code; output:\n" + admin.output()).isEqualTo(1);
        assertThat(admin.output()).contains("error: unknown command 'frobnicate'");
    }

    @Test
    void aSecondClientIsPendingUntilTheAdminClientAcceptsIt() {
        start();
        ClientRun admin = interactive("party", "alice", ThingClient.REAL);
        admin.awaitOutput("joined party as alice (admin");

        ClientRun bob = interactive("party", "bob", ThingClient.REAL);
        bob.awaitOutput("* waiting for approval to join party");
        // The admin client shows the request prominently, with what to type.
        admin.awaitOutput("bob asks to join party -- type: accept bob  (or: reject bob)");
        assertThat(bob.output()).doesNotContain("joined party as bob");

        admin.type("accept bob");
        bob.awaitOutput("joined party as bob (user)");
        assertThat(bob.output()).as("no interactive banner in script mode").doesNotContain("type 'help'");
        admin.awaitOutput("* bob joined party");
        // Once: the server's NOTIFY for telnet (ACCEPT bob or REJECT bob) follows the event the prompt came from.
        assertThat(admin.output()).containsOnlyOnce("bob asks to join party")
                .doesNotContain("ACCEPT bob or REJECT bob");

        bob.type("users");
        String users = bob.awaitOutput("  rtt");
        assertThat(users).containsPattern("alice +admin").containsPattern("bob +user");
        bob.finishOk();
        admin.awaitOutput("bob left party");
        admin.finishOk();
    }

    @Test
    void aPendingClientAcceptedByATelnetAdminJoins() {
        start();
        TelnetClient admin = telnetAdmin("party", "dj");
        ClientRun bob = interactive("party", "bob", ThingClient.REAL);
        accept(admin, bob, "party");
        bob.type("list");
        bob.awaitOutput("(the library is empty)");
        bob.finishOk();
        assertThat(bob.output()).doesNotContain("error:");
    }

    @Test
    void aTakenNameExitsWithTwo() {
        start();
        telnetAdmin("party", "alice");
        ClientRun again = script("party", "ALICE", "users\n");
        assertThat(again.exitCode()).as("exit code; output:\n" + again.output()).isEqualTo(2);
        assertThat(again.output()).contains("error: the name ALICE is already taken in lobby party")
                .doesNotContain("joined party");
    }

    @Test
    void noServerExitsWithTwoAndSaysWhy() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free now, and nobody listens once it is closed
        }
        ClientRun client = ClientRun.script(ClientRun.config(port, cacheDir("lonely"), "party", "lonely"),
                ThingClient.REAL, "users\n");
        try (client) {
            assertThat(client.exitCode()).as("exit code; output:\n" + client.output()).isEqualTo(2);
            assertThat(client.output()).contains("error: cannot connect to 127.0.0.1:" + port);
        }
    }

    /** The shipped jar, as a separate process with standard input from a file: what a cron job or a pipe gets. */
    @Test
    void theShadedJarRunsAScriptFromStandardInput() throws Exception {
        Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path jar = moduleDir.resolve("../thing-client/target/thing-client.jar").normalize();
        assumeTrue(Files.isRegularFile(jar), "no shaded client jar at " + jar
                + " (thing-client is packaged before integration-tests in a reactor build)");
        start();
        TelnetClient dj = telnetAdmin("party", "dj");
        assertThat(dj.upload("Sine", fixture("sine-440-3s.mp3"), "Tones")).startsWith("OKAY");

        Path commands = dir.resolve("commands.txt");
        Files.writeString(commands, "# a comment\nlist\n\nlobbies\nstatus\n", StandardCharsets.UTF_8);
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-jar", jar.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port()), "--cache", cacheDir("jar").toString(),
                "--no-audio", "--script", "party", "jarclient"))
                .redirectInput(commands.toFile()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process p = pb.start();
        try {
            // The telnet admin accepts the jar's join request.
            dj.skipUntilLine("NOTIFY jarclient asks to join party: ACCEPT jarclient or REJECT jarclient");
            dj.send("ACCEPT jarclient");
            dj.skipUntilLine("OKAY");
            assertThat(p.waitFor(2 * WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the client process ended; output so far:\n" + Files.readString(stdout)).isTrue();
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("exit code; stdout:\n" + out + "\nstderr:\n" + Files.readString(stderr))
                    .isZero();
            assertThat(out).contains("waiting for approval to join party")
                    .contains("joined party as jarclient (user)")
                    .containsPattern("#1 +Sine +Tones")
                    .containsPattern("party +2 +0")
                    .contains("lobby: party as jarclient (user)")
                    .doesNotContain("error:");
            dj.skipUntilLine("NOTIFY jarclient left party");
        } finally {
            p.destroyForcibly();
        }
    }
}
