package dev.thing.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.server.ServerConfig;
import dev.thing.server.ThingServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's commands against a real in-process server, with members on real sockets. */
class ConsoleTest {
    @TempDir
    Path dir;
    private ThingServer server;
    private InetSocketAddress address;
    private Console console;
    private final AtomicInteger quits = new AtomicInteger();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        server = new ThingServer(ServerConfig.forTests(dir));
        address = server.start();
        console = new Console(server.services(), server.jukebox(), new PrintStream(printed, true,
                StandardCharsets.UTF_8), quits::incrementAndGet);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static void copyFixture(String name, Path target) throws IOException {
        try (InputStream in = ConsoleTest.class.getResourceAsStream("/audio/" + name)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // ---- the parser ----

    @Test
    void blankLinesAreIgnoredAndUnknownCommandsPointAtHelp() {
        assertThat(console.run("")).isEmpty();
        assertThat(console.run("   \t ")).isEmpty();
        assertThat(console.run("frobnicate now")).isEqualTo("error: no console command frobnicate; help lists them");
        assertThat(console.run("\"two words\"")).isEqualTo("error: no console command \"two words\"; help lists "
                + "them");
    }

    @Test
    void verbsAreCaseInsensitiveAndQuotesFollowTheProtocol() {
        assertThat(console.run("LOBBIES")).startsWith("no lobbies");
        assertThat(console.run("say \"unclosed")).startsWith("error: ").doesNotContain("Exception");
        assertThat(console.run("kick party \"bob")).startsWith("error: ");
        assertThat(console.run("lobbies \u0007")).startsWith("error: control character U+0007");
    }

    @Test
    void helpListsEveryCommand() {
        String help = console.run("help");
        for (String usage : new String[] {"lobbies", "users [<lobby>]", "songs", "wanted", "say <lobby|*> <text>",
            "stop <lobby>", "kick <lobby> <user>", "rescan", "operator <name>", "unoperator <name>", "help",
            "quit"}) {
            assertThat(help).contains("\n  " + usage + " ");
        }
    }

    @Test
    void missingOrExtraArgumentsAnswerTheUsage() {
        assertThat(console.run("say party")).isEqualTo("error: usage: say <lobby|*> <text>");
        assertThat(console.run("kick party")).isEqualTo("error: usage: kick <lobby> <user>");
        assertThat(console.run("stop")).isEqualTo("error: usage: stop <lobby>");
        assertThat(console.run("stop a b")).isEqualTo("error: usage: stop <lobby>");
        assertThat(console.run("rescan now")).isEqualTo("error: usage: rescan");
        assertThat(console.run("operator")).isEqualTo("error: usage: operator <name>");
        assertThat(console.run("users a b")).isEqualTo("error: usage: users [<lobby>]");
        assertThat(quits).hasValue(0);
    }

    @Test
    void unknownLobbiesAndUsersAreNamed() throws Exception {
        assertThat(console.run("say nowhere hi")).isEqualTo("error: no lobby called nowhere (lobbies lists them)");
        assertThat(console.run("stop nowhere")).isEqualTo("error: no lobby called nowhere (lobbies lists them)");
        assertThat(console.run("users nowhere")).isEqualTo("error: no lobby called nowhere (lobbies lists them)");
        try (Member alice = Member.creating(address, "party", "alice")) {
            assertThat(console.run("kick party zed")).isEqualTo("error: no member called zed in party");
            assertThat(console.run("kick nowhere alice")).startsWith("error: no lobby called nowhere");
        }
        assertThat(console.run("operator nobody")).startsWith("error: no account called nobody");
    }

    // ---- reading ----

    @Test
    void lobbiesAndUsersShowWhoIsWhere() throws Exception {
        try (Member alice = Member.creating(address, "party", "alice");
             Member bob = Member.joining(address, alice, "party", "bob")) {
            String lobbies = console.run("lobbies");
            assertThat(lobbies).startsWith("1 lobby:").contains("party: 2 members, 0 waiting, admin alice")
                    .contains("nothing playing, 0 queued");
            String users = console.run("users party");
            assertThat(users).startsWith("party: 2 people").contains("\n  alice ADMIN guest")
                    .contains("\n  bob USER guest");
            assertThat(console.run("users")).isEqualTo(users);
        }
    }

    @Test
    void songsAndWantedListTheLibraryAndTheWishes() throws Exception {
        assertThat(console.run("songs")).startsWith("the library is empty");
        assertThat(console.run("wanted")).isEqualTo("the wanted list is empty");
        try (Member alice = Member.creating(address, "party", "alice")) {
            alice.send("REQUEST \"Bohemian Rhapsody\" Queen").expect("OKAY");
            assertThat(console.run("wanted")).startsWith("1 wanted song:")
                    .contains("\"Bohemian Rhapsody\" by Queen, asked for by alice in party on ");
        }
        copyFixture("sine-440-3s.mp3", server.library().folder().resolve("dropped.mp3"));
        console.run("rescan");
        assertThat(console.run("songs")).startsWith("1 songs").containsPattern("#\\d+ ");
    }

    // ---- acting ----

    @Test
    void sayReachesOneLobbyOrEveryone() throws Exception {
        try (Member alice = Member.creating(address, "party", "alice");
             Member carol = Member.creating(address, "quiet", "carol", "EVENTS")) {
            assertThat(console.run("say party the bar closes at  \"two\"")).isEqualTo("said to 1 member of party");
            assertThat(alice.expect("NOTIFY server:")).isEqualTo("NOTIFY server: the bar closes at  \"two\"");
            assertThat(console.run("say * doors open")).isEqualTo("said to 2 members in 2 lobbies");
            assertThat(alice.expect("NOTIFY server:")).isEqualTo("NOTIFY server: doors open");
            assertThat(carol.expect("NOTIFY server:")).isEqualTo("NOTIFY server: doors open");
            assertThat(carol.seen()).noneMatch(l -> l.contains("the bar closes"));
        }
    }

    @Test
    void kickDisconnectsByTheServersOperator() throws Exception {
        try (Member alice = Member.creating(address, "party", "alice");
             Member bob = Member.joining(address, alice, "party", "bob", "EVENTS")) {
            assertThat(console.run("kick party ALICE")).isEqualTo("kicked alice from party");
            assertThat(alice.expect("NOTIFY you were kicked"))
                    .isEqualTo("NOTIFY you were kicked from party by the server's operator");
            alice.expectClosed();
            assertThat(bob.expect("NOTIFY alice was kicked"))
                    .isEqualTo("NOTIFY alice was kicked from party by the server's operator");
            assertThat(bob.seen()).contains("EVENT GONE alice KICKED");
            assertThat(bob.expect("NOTIFY bob is now the admin")).isNotNull();
        }
    }

    @Test
    void stopEndsThePartyForEveryMember() throws Exception {
        try (Member alice = Member.creating(address, "party", "alice", "EVENTS");
             Member bob = Member.joining(address, alice, "party", "bob");
             Member other = Member.creating(address, "other", "dave")) {
            assertThat(console.run("stop party")).isEqualTo("ended the party in party: 2 members told and "
                    + "disconnected");
            for (Member m : new Member[] {alice, bob}) {
                assertThat(m.expect("NOTIFY the party"))
                        .isEqualTo("NOTIFY the party in party was ended by the server's operator; closing");
                m.expectClosed();
            }
            assertThat(alice.seen()).contains("EVENT GONE alice KICKED");
            assertThat(bob.seen()).noneMatch(l -> l.contains("left party"));
            assertThat(console.run("lobbies")).startsWith("1 lobby:").doesNotContain("party:");
            // The name is free again: the next join creates the lobby afresh.
            try (Member erin = Member.creating(address, "party", "erin")) {
                assertThat(console.run("users party")).contains("erin ADMIN");
            }
        }
    }

    @Test
    void rescanAddsDroppedFilesRefusesBadOnesAndDropsVanishedOnes() throws Exception {
        try (Member alice = Member.creating(address, "party", "alice", "EVENTS")) {
            Path folder = server.library().folder();
            copyFixture("sine-440-3s.mp3", folder.resolve("dropped.mp3"));
            copyFixture("not-an-mp3.mp3", folder.resolve("junk.mp3"));
            String report = console.run("rescan");
            assertThat(report).startsWith("rescan of " + folder + ": 1 added, 0 removed, 1 skipped")
                    .contains("skipped junk.mp3: ");
            String added = report.lines().filter(l -> l.startsWith("  added #")).findFirst().orElseThrow();
            String title = server.library().list().get(0).title();
            assertThat(added).contains("(dropped.mp3, 0:0");
            assertThat(alice.expect("UPDATE ")).startsWith("UPDATE " + dev.thing.protocol.Tokens.quote(title));

            assertThat(console.run("rescan")).endsWith(": 0 added, 0 removed, 1 skipped\n  skipped junk.mp3: "
                    + report.lines().filter(l -> l.startsWith("  skipped")).findFirst().orElseThrow()
                    .substring("  skipped junk.mp3: ".length()));

            Files.delete(folder.resolve("dropped.mp3"));
            assertThat(console.run("rescan")).contains(": 0 added, 1 removed, 1 skipped")
                    .contains("its file dropped.mp3 is gone");
            assertThat(alice.expect("EVENT DELETED")).isEqualTo("EVENT DELETED "
                    + dev.thing.protocol.Tokens.quote(title));
            assertThat(alice.expect("NOTIFY song ")).endsWith(" was deleted from the library by the server's "
                    + "operator");
            assertThat(server.library().list()).isEmpty();
        }
    }

    @Test
    void rescanLeavesAnUploadUnderWayAloneAndKeepsClearOfItsTitle() throws Exception {
        byte[] mp3;
        try (InputStream in = ConsoleTest.class.getResourceAsStream("/audio/sine-440-3s.mp3")) {
            mp3 = in.readAllBytes();
        }
        dev.thing.server.library.Upload upload = server.library().beginUpload("in flight", null, null, null);
        upload.append(mp3, 0, mp3.length);
        copyFixture("notags-2s.mp3", server.library().folder().resolve("in flight.mp3"));
        assertThat(console.run("rescan")).contains(": 1 added, 0 removed, 0 skipped")
                .contains("\"in flight (2)\" (in flight.mp3, ");
        dev.thing.server.library.Song stored = upload.commit();
        assertThat(stored.title()).isEqualTo("in flight");
        assertThat(console.run("rescan")).contains(": 0 added, 0 removed, 0 skipped");
        assertThat(server.library().list()).extracting(dev.thing.server.library.Song::title)
                .containsExactlyInAnyOrder("in flight", "in flight (2)");
    }

    @Test
    void rescanRefusesWhatAnUploadWouldForItsSize() throws Exception {
        ServerConfig.Builder b = ServerConfig.forTests(dir.resolve("small")).toBuilder();
        b.maxUploadBytes = 30_000;
        b.maxLibraryBytes = 40_000;
        ThingServer small = new ThingServer(b.build());
        small.start();
        try {
            Console smallConsole = new Console(small.services(), small.jukebox(), new PrintStream(printed, true,
                    StandardCharsets.UTF_8), quits::incrementAndGet);
            Path folder = small.library().folder();
            copyFixture("chirp-5s-vbr.mp3", folder.resolve("a-chirp.mp3"));
            copyFixture("notags-2s.mp3", folder.resolve("b-notags.mp3"));
            copyFixture("sine-440-3s.mp3", folder.resolve("c-sine.mp3"));
            String report = smallConsole.run("rescan");
            assertThat(report).contains(": 1 added, 0 removed, 2 skipped")
                    .contains("added #").contains("(a-chirp.mp3, ")
                    .contains("skipped b-notags.mp3: the library is full")
                    .contains("skipped c-sine.mp3: it is larger than the 30000-byte upload limit (--max-upload-mib)");
            assertThat(small.library().list()).hasSize(1);
        } finally {
            small.close();
        }
    }

    @Test
    void theConsoleMayKickAnOperatorOrTheAdminButNotAPendingJoiner() throws Exception {
        server.accounts().register("olga", "correct horse battery");
        server.accounts().setOperator("olga", true);
        try (Member alice = Member.creating(address, "party", "alice");
             Member olga = new Member(address)) {
            olga.send("party olga \"correct horse battery\"").expect("OKAY");
            try (Member bob = new Member(address)) {
                bob.send("party bob").expect("NOTIFY waiting for approval");
                assertThat(console.run("kick party bob")).isEqualTo("error: bob is waiting for approval; ACCEPT or "
                        + "REJECT them first");
            }
            assertThat(console.run("kick party olga")).isEqualTo("kicked olga from party");
            assertThat(olga.expect("NOTIFY you were kicked")).endsWith("by the server's operator");
            assertThat(console.run("kick party alice")).isEqualTo("kicked alice from party");
            alice.expectClosed();
            assertThat(console.run("lobbies")).startsWith("no lobbies");
        }
    }

    @Test
    void rescanFulfilsAWishAsAnUploadWould() throws Exception {
        try (Member alice = Member.creating(address, "party", "alice")) {
            alice.send("REQUEST \"sine 440\"").expect("OKAY");
            Path folder = server.library().folder();
            copyFixture("notags-2s.mp3", folder.resolve("sine 440.mp3"));
            assertThat(console.run("rescan")).contains(": 1 added");
            assertThat(alice.expect("NOTIFY your request")).startsWith("NOTIFY your request \"sine 440\" is now in "
                    + "the library");
        }
    }

    @Test
    void operatorMarksARegisteredAccount() throws Exception {
        server.accounts().register("alice", "correct horse battery");
        assertThat(console.run("operator alice")).isEqualTo("alice is now an operator; it takes effect at their "
                + "next join");
        assertThat(server.accounts().find("alice").orElseThrow().operator()).isTrue();
        assertThat(console.run("unoperator alice")).isEqualTo("alice is no longer an operator; it takes effect at "
                + "their next join");
        assertThat(server.accounts().find("alice").orElseThrow().operator()).isFalse();
    }

    @Test
    void quitRunsTheShutdown() {
        assertThat(console.run("quit")).startsWith("stopping the server");
        assertThat(quits).hasValue(1);
    }

    // ---- the input stream ----

    @Test
    void readsAPipeOnItsOwnThreadAndStopsReadingAtItsEnd() throws Exception {
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(typing);
        Thread reader = console.start(stdin);
        assertThat(reader.isDaemon()).isTrue();
        assertThat(reader.getName()).isEqualTo("thing-console");
        typing.write("lobbies\nnope\n".getBytes(StandardCharsets.UTF_8));
        typing.close();
        reader.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(reader.isAlive()).isFalse();
        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("no lobbies").contains("error: no console command nope; help lists them")
                .contains("console: end of input; the console stops reading, the server keeps running");
        // The server is still there.
        try (Member alice = Member.creating(address, "party", "alice")) {
            assertThat(console.run("lobbies")).startsWith("1 lobby:");
        }
    }
}
