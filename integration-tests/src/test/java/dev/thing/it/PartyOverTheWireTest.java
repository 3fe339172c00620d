package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.server.library.Song;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The listening party on a manual clock: playback events carry exact instants and positions, and songs end when
 * the test moves the clock. Clients never answer PINGs here, so RTTs are unknown and the start lead is its floor.
 */
class PartyOverTheWireTest extends ServerTestBase {
    static final long LEAD_US = 250_000;

    TelnetClient alice;

    /** A manual-clock server, alice the admin of "party", and a few songs in the library. */
    void party(String... fixtures) {
        startManual();
        alice = admin("party", "alice");
        for (String f : fixtures) {
            String title = title(f);
            assertThat(alice.upload(title, fixture(f + ".mp3"))).startsWith("OKAY ");
            alice.expectPrefix("UPDATE " + title + " ");
        }
    }

    static String title(String fixture) {
        return switch (fixture) {
            case "sine-440-3s" -> "Sine";
            case "mono-22k-1s" -> "Mono";
            case "notags-2s" -> "NoTags";
            case "chirp-5s-vbr" -> "Chirp";
            default -> fixture;
        };
    }

    Song song(String title) {
        try {
            return server.library().findByTitle(title).orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Sends a playback command; every member in {@code all} (the sender first) must see {@code event}. */
    void control(TelnetClient by, String command, String event, TelnetClient... others) {
        by.send(command);
        by.expectLine(event);
        // People are told who acted, right after the event (RFC 10.1): the same words for everyone.
        String who = by.expectPrefix("NOTIFY ");
        by.expectLine("OKAY");
        for (TelnetClient o : others) {
            o.expectLine(event);
            o.expectLine(who);
        }
    }

    @Test
    void playTellsEveryMemberTheStartInstantAndPosition() {
        party("sine-440-3s");
        TelnetClient bob = member(alice, "party", "bob");
        long now = clock.epochMicros();
        control(alice, "PLAY Sine", "PLAY Sine " + (now + LEAD_US) + " 0", bob);
        clock.advanceMillis(700);
        now = clock.epochMicros();
        control(alice, "play sine 1500", "PLAY Sine " + (now + LEAD_US) + " 1500", bob);
        Song s = song("Sine");
        now = clock.epochMicros();
        control(alice, "PLAY #" + s.id() + " 0:02", "PLAY Sine " + (now + LEAD_US) + " 2000", bob);
        assertThat(alice.command("PLAY Nothing").last()).startsWith("ERROR NO_SUCH_SONG ");
        assertThat(alice.command("PLAY Sine 999999").last()).startsWith("ERROR ");
    }

    @Test
    void pauseResumeSeekAndStopCarryExactPositions() {
        party("sine-440-3s");
        TelnetClient bob = member(alice, "party", "bob");
        alice.okay("PROMOTE bob");
        bob.expectLine("NOTIFY bob is now a moderator of party");
        long start = clock.epochMicros() + LEAD_US;
        control(alice, "PLAY Sine", "PLAY Sine " + start + " 0", bob);
        clock.advanceMillis(250 + 1234);
        control(bob, "PAUSE", "PAUSE Sine 1234", alice);
        clock.advanceMillis(5000); // paused: time passes, the position does not move
        long now = clock.epochMicros();
        control(alice, "RESUME", "PLAY Sine " + (now + LEAD_US) + " 1234", bob);
        clock.advanceMillis(250 + 100);
        control(alice, "PAUSE", "PAUSE Sine 1334", bob);
        control(bob, "SEEK 2000", "PAUSE Sine 2000", alice); // paused: stays paused at the new position
        now = clock.epochMicros();
        control(alice, "RESUME", "PLAY Sine " + (now + LEAD_US) + " 2000", bob);
        now = clock.epochMicros();
        control(alice, "SEEK 0:01", "PLAY Sine " + (now + LEAD_US) + " 1000", bob);
        control(bob, "STOP", "STOP", alice);
        assertThat(alice.command("PAUSE").last()).startsWith("ERROR NOT_ALLOWED ");
        assertThat(alice.command("RESUME").last()).startsWith("ERROR NOT_ALLOWED ");
        assertThat(alice.command("SEEK 100").last()).startsWith("ERROR NOT_ALLOWED ");
    }

    @Test
    void aSongEndingStartsTheNextQueuedSongThenStops() {
        party("sine-440-3s", "mono-22k-1s");
        TelnetClient bob = member(alice, "party", "bob");
        long start = clock.epochMicros() + LEAD_US;
        control(alice, "PLAY Sine", "PLAY Sine " + start + " 0", bob);
        bob.send("REQUEST Mono");
        bob.expectLine("NOTIFY bob queued Mono");
        bob.expectLine("OKAY");
        alice.expectLine("NOTIFY bob queued Mono");
        Song mono = song("Mono");
        assertThat(alice.command("QUEUE").data()).containsExactly("ENTRY 1 " + mono.id() + " Mono bob");

        long sineEnd = start + song("Sine").durationMs() * 1000;
        clock.advanceMillis((sineEnd - clock.epochMicros()) / 1000 - 1);
        assertThat(bob.command("TIME").unsolicited()).isEmpty(); // not over yet
        clock.advanceMillis(1);
        String next = "PLAY Mono " + (sineEnd + LEAD_US) + " 0";
        alice.expectLine(next);
        bob.expectLine(next);
        assertThat(alice.command("QUEUE").data()).isEmpty();

        clock.advanceMillis(250 + mono.durationMs());
        alice.expectLine("STOP");
        bob.expectLine("STOP");
    }

    @Test
    void withAutoplayOnAnEmptyQueuePlaysARandomLibrarySong() {
        party("mono-22k-1s", "notags-2s", "sine-440-3s");
        assertThat(alice.command("AUTOPLAY").data()).containsExactly("AUTOPLAY OFF");
        alice.send("AUTOPLAY ON");
        alice.expectLine("NOTIFY alice turned autoplay on");
        alice.expectLine("OKAY");
        assertThat(alice.command("AUTOPLAY").data()).containsExactly("AUTOPLAY ON");
        long start = clock.epochMicros() + LEAD_US;
        control(alice, "PLAY Mono", "PLAY Mono " + start + " 0");
        long end = start + song("Mono").durationMs() * 1000;
        clock.advanceMillis((end - clock.epochMicros()) / 1000);
        String next = alice.expectPrefix("PLAY ");
        assertThat(next).matches("PLAY (Mono|NoTags|Sine) " + (end + LEAD_US) + " 0");
    }

    @Test
    void skipGoesToTheNextQueuedSongAndStopsWhenNothingIsLeft() {
        party("sine-440-3s", "mono-22k-1s", "notags-2s");
        TelnetClient bob = member(alice, "party", "bob");
        long now = clock.epochMicros();
        control(alice, "PLAY Sine", "PLAY Sine " + (now + LEAD_US) + " 0", bob);
        alice.okay("REQUEST NoTags");
        bob.expectLine("NOTIFY alice queued NoTags");
        clock.advanceMillis(1000);
        now = clock.epochMicros();
        control(alice, "SKIP", "PLAY NoTags " + (now + LEAD_US) + " 0", bob);
        control(alice, "SKIP", "STOP", bob);
        assertThat(alice.command("SKIP").last()).startsWith("ERROR NOT_ALLOWED ");
    }

    @Test
    void requestingASongTwiceIsADuplicate() {
        party("sine-440-3s", "mono-22k-1s");
        TelnetClient bob = member(alice, "party", "bob");
        control(alice, "PLAY Sine", "PLAY Sine " + (clock.epochMicros() + LEAD_US) + " 0", bob);
        bob.okay("REQUEST Mono");
        alice.expectLine("NOTIFY bob queued Mono");
        assertThat(alice.command("REQUEST mono").last()).startsWith("ERROR DUPLICATE ");
        assertThat(bob.command("REQUEST #" + song("Mono").id()).last()).startsWith("ERROR DUPLICATE ");
        assertThat(bob.command("QUEUE").data()).containsExactly("ENTRY 1 " + song("Mono").id() + " Mono bob");
    }

    @Test
    void concurrentRequestsAreQueuedInTheOrderTheLobbyWasTold() throws Exception {
        party("sine-440-3s", "mono-22k-1s", "notags-2s", "chirp-5s-vbr", "click-track-30s");
        TelnetClient bob = member(alice, "party", "bob");
        TelnetClient carol = member(alice, "party", "carol", bob);
        TelnetClient dave = member(alice, "party", "dave", bob, carol);
        control(alice, "PLAY click-track-30s", "PLAY click-track-30s " + (clock.epochMicros() + LEAD_US) + " 0",
                bob, carol, dave);
        List<TelnetClient> requesters = List.of(alice, bob, carol);
        List<String> titles = List.of("Mono", "NoTags", "Chirp");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Callable<String>> jobs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                TelnetClient c = requesters.get(i);
                String t = titles.get(i);
                jobs.add(() -> c.command("REQUEST " + t).last());
            }
            for (Future<String> f : pool.invokeAll(jobs, 60, TimeUnit.SECONDS)) {
                assertThat(f.get()).isEqualTo("OKAY");
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> told = new ArrayList<>();
        List<String> expectedQueue = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String notice = dave.expectPrefix("NOTIFY ");
            told.add(notice);
            String[] words = notice.split(" ");
            assertThat(words).hasSize(4);
            assertThat(words[2]).isEqualTo("queued");
            Song s = song(words[3]);
            expectedQueue.add("ENTRY " + (i + 1) + " " + s.id() + " " + s.title() + " " + words[1]);
        }
        assertThat(told).containsExactlyInAnyOrder("NOTIFY alice queued Mono", "NOTIFY bob queued NoTags",
                "NOTIFY carol queued Chirp");
        assertThat(dave.command("QUEUE").data()).isEqualTo(expectedQueue);
    }

    @Test
    void aMemberAcceptedDuringASongGetsTheCurrentPlayAtOnce() {
        party("sine-440-3s");
        long start = clock.epochMicros() + LEAD_US;
        control(alice, "PLAY Sine 500", "PLAY Sine " + start + " 500");
        clock.advanceMillis(1200);
        TelnetClient bob = pending(alice, "party", "bob");
        alice.send("ACCEPT bob");
        bob.expectLine("OKAY alice let you into party as a USER");
        bob.expectLine("NOTIFY bob joined party");
        bob.expectLine("PLAY Sine " + start + " 500"); // the same event the others had
        alice.expectLine("NOTIFY bob joined party");
        alice.expectLine("OKAY");

        clock.advanceMillis(300);
        control(alice, "PAUSE", "PAUSE Sine 1750", bob);
        TelnetClient carol = pending(alice, "party", "carol");
        alice.okay("ACCEPT carol");
        carol.expectLine("OKAY alice let you into party as a USER");
        carol.expectLine("NOTIFY carol joined party");
        carol.expectLine("PAUSE Sine 1750");
    }

    @Test
    void aRequestForAnUnknownTitleIsWantedAndQueuedWhenTheAdminUploadsIt() {
        party("click-track-30s");
        TelnetClient bob = member(alice, "party", "bob");
        bob.okay("CAP SONGS");
        control(alice, "PLAY click-track-30s", "PLAY click-track-30s " + (clock.epochMicros() + LEAD_US) + " 0", bob);
        bob.send("REQUEST Wanted1 Someone");
        bob.expectLine("NOTIFY Wanted1 is not in the library; it is now wanted and will be queued in party when uploaded");
        bob.expectLine("OKAY");
        alice.expectLine("NOTIFY bob wants Wanted1 by Someone, which is not in the library");
        assertThat(alice.command("WANTED").data()).containsExactly("WISH Wanted1 Someone bob party");
        assertThat(bob.command("REQUEST wanted1").last()).startsWith("ERROR DUPLICATE ");

        assertThat(alice.upload("Wanted1", fixture("mono-22k-1s.mp3"))).startsWith("OKAY ");
        Song s = song("Wanted1");
        alice.expectPrefix("UPDATE Wanted1 ");
        alice.expectLine("NOTIFY bob queued Wanted1");
        bob.expectPrefix("UPDATE Wanted1 ");
        assertThat(bob.receiveTransfer().complete()).isTrue();
        bob.expectLine("NOTIFY bob queued Wanted1");
        bob.expectLine("NOTIFY your request Wanted1 is now in the library and queued in party");
        assertThat(alice.command("QUEUE").data()).containsExactly("ENTRY 1 " + s.id() + " Wanted1 bob");
        assertThat(alice.command("WANTED").data()).isEmpty();
    }

    @Test
    void titlesWithSpacesAreQuotedInNoticesAsInTokens() {
        party("click-track-30s");
        TelnetClient bob = member(alice, "party", "bob");
        bob.okay("CAP SONGS");
        assertThat(alice.upload("Slow Song", fixture("notags-2s.mp3"))).startsWith("OKAY ");
        alice.skipUntil(l -> l.startsWith("UPDATE \"Slow Song\""));
        bob.expectPrefix("UPDATE \"Slow Song\" ");
        assertThat(bob.receiveTransfer().complete()).isTrue();
        control(alice, "PLAY click-track-30s", "PLAY click-track-30s " + (clock.epochMicros() + LEAD_US) + " 0", bob);
        bob.send("REQUEST \"slow song\"");
        bob.expectLine("NOTIFY bob queued \"Slow Song\"");
        bob.expectLine("OKAY");
        bob.send("REQUEST \"Not Yet\"");
        bob.expectLine("NOTIFY \"Not Yet\" is not in the library; it is now wanted and will be queued in party "
                + "when uploaded");
        bob.expectLine("OKAY");
        alice.expectLine("NOTIFY bob queued \"Slow Song\"");
        alice.expectLine("NOTIFY bob wants \"Not Yet\", which is not in the library");
        assertThat(alice.upload("Not Yet", fixture("mono-22k-1s.mp3"))).startsWith("OKAY ");
        bob.expectPrefix("UPDATE \"Not Yet\" ");
        assertThat(bob.receiveTransfer().complete()).isTrue();
        bob.expectLine("NOTIFY bob queued \"Not Yet\"");
        bob.expectLine("NOTIFY your request \"Not Yet\" is now in the library and queued in party");
        assertThat(bob.command("QUEUE").data()).containsExactly(
                "ENTRY 1 " + song("Slow Song").id() + " \"Slow Song\" bob",
                "ENTRY 2 " + song("Not Yet").id() + " \"Not Yet\" bob");
    }

    @Test
    void theWantedListSurvivesARestart() {
        party("sine-440-3s");
        TelnetClient bob = member(alice, "party", "bob");
        bob.okay("REQUEST Later \"Some Band\"");
        alice.expectLine("NOTIFY bob wants Later by Some Band, which is not in the library");
        stopServer();
        startManual();
        TelnetClient carol = admin("elsewhere", "carol");
        assertThat(carol.command("WANTED").data()).containsExactly("WISH Later \"Some Band\" bob party");
    }

    @Test
    void aRequesterWhoWasAwayWhenTheSongCameIsToldOnReturningEvenAfterARestart() {
        party("click-track-30s");
        TelnetClient bob = member(alice, "party", "bob");
        control(alice, "PLAY click-track-30s", "PLAY click-track-30s " + (clock.epochMicros() + LEAD_US) + " 0", bob);
        bob.okay("REQUEST Later");
        alice.expectLine("NOTIFY bob wants Later, which is not in the library");
        bob.send("QUIT");
        bob.expectLine("OKAY");
        bob.assertClosedByServer();
        alice.expectLine("NOTIFY bob left party");

        assertThat(alice.upload("Later", fixture("mono-22k-1s.mp3"))).startsWith("OKAY ");
        alice.expectPrefix("UPDATE Later ");
        alice.expectLine("NOTIFY bob queued Later");
        assertThat(alice.command("WANTED").data()).isEmpty();

        stopServer();
        startManual();
        TelnetClient admin = admin("party", "alice");
        TelnetClient back = pending(admin, "party", "bob");
        admin.okay("ACCEPT bob");
        back.expectLine("OKAY alice let you into party as a USER");
        back.expectLine("NOTIFY bob joined party");
        back.expectLine("NOTIFY your request Later is now in the library and queued in party");
        // Told once only.
        back.send("QUIT");
        back.expectLine("OKAY");
        admin.expectLine("NOTIFY bob left party");
        TelnetClient again = pending(admin, "party", "bob");
        admin.okay("ACCEPT bob");
        again.expectLine("OKAY alice let you into party as a USER");
        again.expectLine("NOTIFY bob joined party");
        assertThat(again.command("TIME").unsolicited()).isEmpty();
    }

    @Test
    void aWishForALobbyThatIsGoneIsQueuedAndToldWhenTheRequesterComesBackAfterARestart() {
        party("sine-440-3s");
        TelnetClient bob = admin("solo", "bob");
        bob.okay("REQUEST Later");
        bob.send("QUIT");
        bob.expectLine("OKAY");
        bob.assertClosedByServer();
        eventually("solo is gone", () -> alice.command("LOBBIES").data().equals(List.of("LOBBY party 1 0")));

        assertThat(alice.upload("Later", fixture("mono-22k-1s.mp3"))).startsWith("OKAY ");
        alice.expectPrefix("UPDATE Later ");
        stopServer();
        startManual();
        TelnetClient back = admin("solo", "bob");
        // The song is queued in the new "solo" (which may start it at once, see PLAY) and bob is told.
        back.skipUntilLine("NOTIFY your request Later is now in the library and queued in solo");
        assertThat(back.command("WANTED").data()).isEmpty();
    }
}
