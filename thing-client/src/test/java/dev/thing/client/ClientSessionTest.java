package dev.thing.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.console.PlainConsole;
import dev.thing.client.sync.LocalClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole client against a scripted in-process server, driven like a script (standard input not a terminal). */
class ClientSessionTest {
    @TempDir
    Path cacheDir;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    /** Answers the usual commands of a joined client. */
    static List<String> member(String line) {
        if (line.startsWith("OKAY")) {
            return List.of(); // a PING answer gets no reply
        }
        if (line.startsWith("TIME ")) {
            return List.of("TIME " + line.substring(5) + " 1700000000000000", "OKAY");
        }
        return switch (line) {
            case "USERS" -> List.of("USER alice ADMIN 1.5", "USER bob USER -", "OKAY");
            case "LIST" -> List.of("SONG 1 \"Under Pressure\" Queen rock \"\" 248000 5000000 "
                    + "0".repeat(64), "OKAY");
            case "QUEUE" -> List.of("OKAY");
            case "SEEK 83000" -> List.of("OKAY");
            case "PLAY Nope" -> List.of("ERROR NO_SUCH_SONG no song called Nope");
            case "QUIT" -> List.of("OKAY", "CLOSE");
            default -> List.of("ERROR UNKNOWN_COMMAND " + line);
        };
    }

    private int run(FakeThingServer server, String input, String user) {
        ThingClient.Config config = new ThingClient.Config("127.0.0.1", server.port(), cacheDir, 1 << 30, 0, true,
                "party", user);
        ThingClient client = new ThingClient(config, ThingClient.REAL, LocalClock.SYSTEM);
        return client.run(data -> new PlainConsole(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(output, true, StandardCharsets.UTF_8)));
    }

    private String out() {
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void joinsAsAdminRunsTheScriptAndExitsZero() throws Exception {
        Function<String, List<String>> script = line -> line.equals("party alice")
                ? List.of("OKAY", "PING 7") : member(line);
        try (FakeThingServer server = new FakeThingServer(script)) {
            int code = run(server, "users\nlist\nseek 1:23\n", "alice");
            assertThat(code).isZero();
            assertThat(out()).contains("joined party as alice (admin, you created it)")
                    .contains("alice").contains("bob").contains("#1  Under Pressure  Queen   rock    4:08")
                    .doesNotContain("error");
            assertThat(server.received).startsWith("party alice").contains("OKAY 7", "SEEK 83000", "QUIT")
                    .anyMatch(l -> l.startsWith("TIME c"));
        }
    }

    @Test
    void playbackNoticesSayWhoActedWhenTheServerSaysSo() throws Exception {
        // EVENT BY comes just before the playback line it caused (RFC 5.6); a line without one (a song that ended)
        // is told as before.
        Function<String, List<String>> script = line -> line.equals("party alice")
                ? List.of("OKAY you created party and are its ADMIN", "EVENT BY bob PAUSE",
                        "PAUSE \"Under Pressure\" 53000", "EVENT BY bob SEEK", "PAUSE \"Under Pressure\" 10000",
                        "EVENT BY bob STOP", "STOP", "PAUSE \"Under Pressure\" 0")
                : member(line);
        try (FakeThingServer server = new FakeThingServer(script)) {
            int code = run(server, "users\n", "alice");
            assertThat(code).isZero();
            assertThat(out()).contains("* bob paused Under Pressure at 0:53")
                    .contains("* bob moved Under Pressure to 0:10")
                    .contains("* bob stopped Under Pressure")
                    .contains("* paused Under Pressure at 0:00")
                    .contains("joined party as alice (admin, you created it)");
        }
    }

    @Test
    void aServerThatShutsDownDuringAnUploadIsHeardGivingItsReason() throws Exception {
        // #12.4: the client used to say only "connection closed by the server". The fake server answers the SEND
        // line as a stopping THING server does (RFC 10.7): a NOTIFY with the reason, then the close.
        Path song = Path.of(getClass().getResource("/audio/long-sweep-180s.mp3").toURI());
        Function<String, List<String>> script = line -> line.equals("party alice") ? List.of("OKAY")
                : line.startsWith("SEND ") ? List.of("NOTIFY server is shutting down", "CLOSE")
                : line.startsWith("CHUNK") || !line.matches("[A-Z]+( .*)?") ? List.of() : member(line);
        try (FakeThingServer server = new FakeThingServer(script)) {
            int code = run(server, "upload " + song + " --title Sweep\n", "alice");
            assertThat(code).isNotZero();
            assertThat(out()).contains("server is shutting down")
                    .doesNotContain("connection closed by the server");
            assertThat(server.received).anyMatch(l -> l.startsWith("SEND Sweep "));
        }
    }

    @Test
    void aFailedCommandMakesTheExitCodeOne() throws Exception {
        Function<String, List<String>> script = line -> line.equals("party alice") ? List.of("OKAY") : member(line);
        try (FakeThingServer server = new FakeThingServer(script)) {
            int code = run(server, "play Nope\nqueue\nbogus words\n", "alice");
            assertThat(code).isEqualTo(1);
            assertThat(out()).contains("error: no song called Nope")
                    .contains("error: unknown command 'bogus'");
            assertThat(server.received).contains("PLAY Nope", "QUEUE");
        }
    }

    @Test
    void aMistypedTitleGetsTheNearestTitleOfTheLibrary() throws Exception {
        Function<String, List<String>> script = line -> line.equals("party alice") ? List.of("OKAY")
                : line.equals("PLAY \"Under Presure\"")
                ? List.of("ERROR NO_SUCH_SONG no song titled \"Under Presure\" in the library") : member(line);
        try (FakeThingServer server = new FakeThingServer(script)) {
            assertThat(run(server, "play Under Presure\n", "alice")).isEqualTo(1);
            assertThat(out()).contains("line 1: error: no song titled \"Under Presure\" in the library; did you "
                    + "mean 'Under Pressure'?");
        }
    }

    @Test
    void theUploaderPlaysItsOwnUploadFromItsCacheWithoutFetchingIt() throws Exception {
        Path song = Path.of(getClass().getResource("/audio/sine-440-3s.mp3").toURI());
        String hash = dev.thing.protocol.AudioDigest.sha256Hex(song);
        java.util.concurrent.atomic.AtomicBoolean stored = new java.util.concurrent.atomic.AtomicBoolean();
        Function<String, List<String>> script = line -> {
            if (line.equals("party alice")) {
                return List.of("OKAY");
            }
            if (line.equals("OKAY")) { // the end of our transfer
                stored.set(true);
                return List.of("OKAY 2");
            }
            if (line.equals("LIST") && stored.get()) {
                return List.of("SONG 2 Sine \"\" \"\" \"\" 3000 " + song.toFile().length() + " " + hash, "OKAY");
            }
            if (line.equals("PLAY Sine")) {
                return List.of("PLAY Sine 1700000000000000 0", "OKAY");
            }
            return line.startsWith("SEND ") || !line.matches("[A-Z]+( .*)?") ? List.of() : member(line);
        };
        java.io.PipedOutputStream typed = new java.io.PipedOutputStream();
        java.io.PipedInputStream in = new java.io.PipedInputStream(typed);
        try (FakeThingServer server = new FakeThingServer(script)) {
            ThingClient.Config config = new ThingClient.Config("127.0.0.1", server.port(), cacheDir, 1 << 30, 0, true,
                    "party", "alice");
            java.util.concurrent.CompletableFuture<Integer> code = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> new ThingClient(config, ThingClient.REAL, LocalClock.SYSTEM).run(data -> new PlainConsole(
                            in, new PrintStream(output, true, StandardCharsets.UTF_8))));
            typed.write(("upload " + song + " --title Sine\nplay Sine\n").getBytes(StandardCharsets.UTF_8));
            typed.flush();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (!out().contains("(playing)") && System.nanoTime() < deadline) {
                typed.write("status\n".getBytes(StandardCharsets.UTF_8));
                typed.flush();
                Thread.sleep(100);
            }
            typed.close();
            assertThat(code.get(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
            assertThat(out()).contains("uploaded Sine as #2").contains("song: Sine at ").contains("(playing)")
                    .doesNotContain("fetching Sine");
            assertThat(server.received).noneMatch(l -> l.startsWith("GET"));
        }
    }

    @Test
    void waitsForApprovalThenJoins() throws Exception {
        Function<String, List<String>> script = line -> line.equals("party bob")
                ? List.of("NOTIFY waiting for approval to join party", "EVENT APPROVAL party WAITING",
                        "NOTIFY bob joined party", "OKAY")
                : member(line.equals("USERS") ? "USERS" : line);
        try (FakeThingServer server = new FakeThingServer(script)) {
            int code = run(server, "", "bob");
            assertThat(code).isZero();
            // Said once, in the server's words (the client used to add "an admin or moderator must accept you").
            assertThat(out().lines().filter(l -> l.contains("waiting") || l.contains("accept")))
                    .containsExactly("* waiting for approval to join party");
            assertThat(out()).contains("joined party as bob (user)");
            assertThat(server.capabilities).containsExactly("CAP EVENTS SONGS PING");
        }
    }

    @Test
    void anApprovalTimeoutIsToldOnce() throws Exception {
        // #12: the server ends the wait with an EVENT APPROVAL TIMEOUT, a closing NOTIFY and the close itself; the
        // client used to show the NOTIFY, then "could not join party" after it. Now one line says it, as the error.
        Function<String, List<String>> script = line -> line.equals("party bob")
                ? List.of("NOTIFY waiting for approval to join party", "EVENT APPROVAL party WAITING",
                        "EVENT APPROVAL party TIMEOUT", "NOTIFY nobody accepted you into party within 5 min; closing",
                        "CLOSE")
                : List.of();
        try (FakeThingServer server = new FakeThingServer(script)) {
            assertThat(run(server, "", "bob")).isEqualTo(2);
            assertThat(out().lines().dropWhile(l -> !l.contains("waiting for approval")).skip(1))
                    .containsExactly("error: nobody accepted you into party within 5 min; closing");
        }
    }

    @Test
    void aRefusalWithItsEventIsToldOnceAndAnEventAloneStillSaysWhy() throws Exception {
        Function<String, List<String>> script = line -> line.equals("party carol")
                ? List.of("NOTIFY waiting for approval to join party", "EVENT APPROVAL party WAITING",
                        "EVENT APPROVAL party REFUSED", "NOTIFY your request to join party was refused by alice",
                        "CLOSE")
                : line.equals("party dave")
                ? List.of("NOTIFY waiting for approval to join party", "EVENT APPROVAL party WAITING",
                        "EVENT APPROVAL party TIMEOUT", "CLOSE")
                : List.of();
        try (FakeThingServer server = new FakeThingServer(script)) {
            assertThat(run(server, "", "carol")).isEqualTo(2);
            assertThat(out().lines().dropWhile(l -> !l.contains("waiting for approval")).skip(1))
                    .containsExactly("error: your request to join party was refused by alice");
            output.reset();
            assertThat(run(server, "", "dave")).isEqualTo(2);
            assertThat(out().lines().dropWhile(l -> !l.contains("waiting for approval")).skip(1))
                    .containsExactly("error: nobody accepted you into party in time");
        }
    }

    @Test
    void aTakenNameExitsTwo() throws Exception {
        Function<String, List<String>> script = line -> line.equals("party alice")
                ? List.of("alice TAKEN", "CLOSE") : List.of();
        try (FakeThingServer server = new FakeThingServer(script)) {
            int code = run(server, "users\n", "alice");
            assertThat(code).isEqualTo(2);
            assertThat(out()).contains("the name alice is already taken in lobby party");
            assertThat(server.received).containsExactly("party alice");
        }
    }

    @Test
    void aRefusedJoinExitsTwo() throws Exception {
        Function<String, List<String>> script = line -> line.equals("party carol")
                ? List.of("NOTIFY waiting for approval to join party",
                "NOTIFY your request to join party was refused by alice", "CLOSE") : List.of();
        try (FakeThingServer server = new FakeThingServer(script)) {
            assertThat(run(server, "users\n", "carol")).isEqualTo(2);
            assertThat(out()).contains("refused by alice");
        }
    }

    @Test
    void anUnreachableServerExitsTwo() throws Exception {
        int port;
        try (FakeThingServer server = new FakeThingServer(l -> List.of())) {
            port = server.port();
        }
        ThingClient.Config config = new ThingClient.Config("127.0.0.1", port, cacheDir, 1 << 30, 0, true, "party",
                "alice");
        int code = new ThingClient(config, ThingClient.REAL, LocalClock.SYSTEM).run(data -> new PlainConsole(
                new ByteArrayInputStream(new byte[0]), new PrintStream(output, true, StandardCharsets.UTF_8)));
        assertThat(code).isEqualTo(2);
        assertThat(out()).contains("cannot connect");
    }
}
