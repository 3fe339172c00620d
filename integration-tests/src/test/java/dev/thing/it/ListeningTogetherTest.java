package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.server.library.Song;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.junit.jupiter.api.Test;

/**
 * Issue #16 over real sockets, on a manual clock: chat and its history, skip votes, the fair queue and its
 * editing, RENAME, and the next queued song sent ahead to clients that asked for songs.
 */
class ListeningTogetherTest extends ServerTestBase {
    TelnetClient alice;

    void lobby(java.util.function.Consumer<dev.thing.server.ServerConfig.Builder> tweak, String... fixtures) {
        startManual(tweak);
        alice = admin("party", "alice");
        for (String f : fixtures) {
            String title = PartyOverTheWireTest.title(f);
            assertThat(alice.upload(title, fixture(f + ".mp3"))).startsWith("OKAY ");
            alice.expectPrefix("UPDATE " + title + " ");
        }
    }

    void lobby(String... fixtures) {
        lobby(b -> { }, fixtures);
    }

    Song song(String title) {
        try {
            return server.library().findByTitle(title).orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // ---- the queue, pushed (RFC 5.8, 6.16) ----

    @Test
    void programsAreSentEachQueueChangeAndNewMembersTheWholeQueueWhilePeopleAreNot() {
        lobby("long-sweep-180s", "sine-440-3s", "chirp-5s-vbr");
        alice.okay("PLAY long-sweep-180s");
        TelnetClient bob = connect("bob");
        bob.okay("CAP EVENTS");
        bob.send("party bob");
        bob.expectLine("NOTIFY waiting for approval to join party");
        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        alice.okay("ACCEPT bob");
        bob.expectLine("EVENT APPROVAL party WAITING");
        bob.expectOkay();
        bob.skipUntilLine("EVENT QUEUE 0"); // after the board, the (empty) queue

        alice.okay("REQUEST Sine");
        long sine = song("Sine").id();
        bob.skipUntilLine("EVENT ENTRY 1 " + sine + " Sine alice");
        bob.expectLine("EVENT QUEUE 1");
        alice.okay("REQUEST Chirp");
        long click = song("Chirp").id();
        bob.skipUntilLine("EVENT ENTRY 2 " + click + " Chirp alice");
        bob.expectLine("EVENT QUEUE 2");

        TelnetClient carol = connect("carol");
        carol.okay("CAP EVENTS");
        carol.send("party carol");
        alice.skipUntilLine("NOTIFY carol asks to join party: ACCEPT carol or REJECT carol");
        alice.okay("ACCEPT carol");
        carol.skipUntilLine("EVENT ENTRY 1 " + sine + " Sine alice");
        carol.expectLine("EVENT ENTRY 2 " + click + " Chirp alice");
        carol.expectLine("EVENT QUEUE 2");

        alice.okay("UNQUEUE 1");
        for (TelnetClient program : List.of(bob, carol)) {
            program.skipUntilLine("EVENT ENTRY 1 " + click + " Chirp alice");
            program.expectLine("EVENT QUEUE 1");
        }
        // alice (no EVENTS) was told in words only; her QUEUE agrees with what the programs were sent.
        assertThat(alice.command("QUEUE").data()).containsExactly("ENTRY 1 " + click + " Chirp alice");
    }

    // ---- chat ----

    @Test
    void chatIsALineForPeopleAndAnEventForProgramsAndJoinersGetTheHistory() {
        lobby();
        TelnetClient bob = member(alice, "party", "bob");
        bob.okay("CAP EVENTS");

        alice.send("SAY hello \"everyone\" \\o/");
        alice.expectLine("NOTIFY <alice> hello \"everyone\" \\o/");
        alice.expectLine("OKAY");
        bob.expectLine("EVENT SAID alice \"hello \\\"everyone\\\" \\\\o/\"");
        bob.send("say   hi alice  ");
        bob.expectLine("EVENT SAID bob \"hi alice\"");
        bob.expectLine("OKAY");
        alice.expectLine("NOTIFY <bob> hi alice");

        TelnetClient carol = pending(alice, "party", "carol");
        assertThat(carol.command("SAY let me in").last()).startsWith("ERROR PENDING ");
        alice.send("ACCEPT carol");
        carol.expectJoinOkay();
        carol.expectLine("NOTIFY carol joined party");
        carol.expectLine("NOTIFY the last 2 chat lines in party:");
        carol.expectLine("NOTIFY <alice> hello \"everyone\" \\o/");
        carol.expectLine("NOTIFY <bob> hi alice");

        assertThat(carol.command("SAY " + "x".repeat(501)).last())
                .isEqualTo("ERROR SYNTAX a chat line is longer than 500 characters");
        assertThat(carol.command("SAY").last()).isEqualTo("ERROR SYNTAX usage: SAY <text>");
    }

    @Test
    void chatFasterThanTheRateIsRefusedWithLimit() {
        lobby();
        for (int i = 1; i <= 5; i++) {
            assertThat(alice.command("SAY line " + i).last()).isEqualTo("OKAY");
        }
        assertThat(alice.command("SAY one more").last()).isEqualTo(
                "ERROR LIMIT you are chatting too fast (5 lines at once, then one every 1 s); wait 1 s and say it again");
        clock.advanceMillis(1_000);
        assertThat(alice.command("SAY now").last()).isEqualTo("OKAY");
    }

    // ---- votes ----

    @Test
    void moreThanHalfOfThoseVotingSkipsAndALeaverIsNotCounted() {
        lobby("sine-440-3s", "mono-22k-1s");
        TelnetClient bob = member(alice, "party", "bob");
        TelnetClient carol = member(alice, "party", "carol", bob);
        TelnetClient dan = member(alice, "party", "dan", bob, carol);
        alice.okay("PLAY Sine");
        alice.okay("REQUEST Mono");
        for (TelnetClient c : List.of(bob, carol, dan)) {
            c.skipUntilLine("NOTIFY alice queued Mono");
        }

        TelnetClient.Reply vote = bob.okay("VOTE SKIP");
        assertThat(vote.unsolicited()).contains("NOTIFY bob votes to skip Sine (1 of 3 votes needed; VOTE SKIP to agree)");
        assertThat(bob.command("VOTE SKIP").last()).isEqualTo("ERROR DUPLICATE you have voted to skip Sine already "
                + "(1 of 3 votes needed)");
        carol.okay("VOTE SKIP");
        dan.okay("QUIT");
        // Three members left: bob's and carol's two votes are more than half.
        alice.skipUntilLine("NOTIFY dan left party");
        String play = alice.skipUntil(l -> l.startsWith("PLAY "));
        assertThat(play).startsWith("PLAY Mono ");
        alice.expectLine("NOTIFY the lobby voted to skip Sine (2 of 3 members)");
        // The votes start again with the new song; staff still skip at once.
        assertThat(bob.skipUntil(l -> l.startsWith("PLAY "))).startsWith("PLAY Mono ");
        assertThat(bob.okay("VOTE SKIP").unsolicited()).contains(
                "NOTIFY bob votes to skip Mono (1 of 2 votes needed; VOTE SKIP to agree)");
        alice.okay("SKIP");
        carol.skipUntilLine("STOP");
        assertThat(bob.command("VOTE SKIP").last()).startsWith("ERROR NOT_ALLOWED nothing is playing");
    }

    @Test
    void staffSetTheShare() {
        lobby("sine-440-3s");
        TelnetClient bob = member(alice, "party", "bob");
        assertThat(bob.command("VOTESHARE 10").last()).startsWith("ERROR NOT_ALLOWED VOTESHARE is for the admin and "
                + "moderators");
        assertThat(alice.command("VOTESHARE").data()).containsExactly("VOTESHARE 50");
        assertThat(alice.command("VOTESHARE 100").last()).startsWith("ERROR SYNTAX percent must be between 0 and 99");
        alice.okay("PLAY Sine");
        alice.okay("VOTESHARE 0");
        bob.skipUntilLine("NOTIFY alice set the skip vote share to 0%: a song is skipped when more than 0% of the "
                + "members present vote to skip it (now 1 of 2)");
        bob.okay("VOTE SKIP");
        alice.skipUntilLine("STOP");
        alice.expectLine("NOTIFY the lobby voted to skip Sine (1 of 2 members)");
    }

    // ---- the fair queue ----

    @Test
    void requestsTakeTurnsAndQueueShowsWhoAskedWithPositions() {
        lobby("sine-440-3s", "mono-22k-1s", "notags-2s", "chirp-5s-vbr");
        TelnetClient bob = member(alice, "party", "bob");
        TelnetClient carol = member(alice, "party", "carol", bob);
        alice.okay("PLAY Sine"); // played by hand: nobody's turn
        bob.okay("REQUEST Mono");
        bob.okay("REQUEST NoTags");
        carol.okay("REQUEST Chirp");

        assertThat(carol.command("QUEUE").data()).containsExactly("ENTRY 1 " + song("Mono").id() + " Mono bob",
                "ENTRY 2 " + song("Chirp").id() + " Chirp carol", "ENTRY 3 " + song("NoTags").id() + " NoTags bob");

        assertThat(carol.command("UNQUEUE 1").last()).isEqualTo("ERROR NOT_ALLOWED position 1 (Mono) was queued by "
                + "bob; only they or the lobby's staff may take it off");
        assertThat(carol.command("MOVE 2 1").last()).startsWith("ERROR NOT_ALLOWED MOVE is for the admin and moderators");
        alice.okay("MOVE 3 1");
        carol.skipUntilLine("NOTIFY alice moved NoTags to position 1 of the queue");
        carol.okay("UNQUEUE 3");
        bob.skipUntilLine("NOTIFY carol took Chirp off the queue");
        alice.okay("UNQUEUE 2");
        bob.skipUntilLine("NOTIFY alice took Mono off the queue (queued by bob)");
        assertThat(bob.command("QUEUE").data()).containsExactly("ENTRY 1 " + song("NoTags").id() + " NoTags bob");
        assertThat(bob.command("UNQUEUE 2").last()).isEqualTo("ERROR NO_SUCH_SONG the queue has no position 2; it "
                + "holds 1 song (QUEUE lists them)");
        assertThat(bob.command("UNQUEUE first").last()).startsWith("ERROR SYNTAX position must be a whole number");
    }

    @Test
    void onePersonCannotFillTheQueue() {
        lobby(b -> b.maxQueuedPerUser = 2, "sine-440-3s", "mono-22k-1s", "notags-2s", "chirp-5s-vbr");
        TelnetClient bob = member(alice, "party", "bob");
        alice.okay("PLAY Sine");
        bob.okay("REQUEST Mono");
        bob.okay("REQUEST NoTags");
        assertThat(bob.command("REQUEST Chirp").last()).isEqualTo("ERROR LIMIT bob has 2 songs in the queue, the most "
                + "one person may queue; more can be added as they play");
        alice.okay("REQUEST Chirp");
    }

    // ---- RENAME ----

    @Test
    void renameWritesTheTitleAndEveryoneFollows() throws Exception {
        lobby("sine-440-3s", "mono-22k-1s");
        TelnetClient bob = member(alice, "party", "bob");
        bob.okay("CAP EVENTS");
        alice.okay("PLAY Sine");
        assertThat(bob.command("REQUEST Mono").last()).isEqualTo("OKAY"); // its EVENT ENTRY lines come first
        long id = song("Mono").id();

        assertThat(bob.command("RENAME Mono Other").last()).startsWith("ERROR NOT_ALLOWED Mono was uploaded by alice");
        assertThat(alice.command("RENAME Mono sine").last()).startsWith("ERROR TITLE_EXISTS the library already has "
                + "a song titled \"Sine\"");
        assertThat(alice.command("RENAME Mono #9").last()).startsWith("ERROR SYNTAX ");
        assertThat(alice.command("RENAME Nope Other").last()).startsWith("ERROR NO_SUCH_SONG ");
        alice.send("RENAME Mono \"Mono Redux\"");
        alice.expectLine("OKAY");
        alice.expectLine("NOTIFY alice renamed Mono to \"Mono Redux\"");
        alice.expectPrefix("UPDATE \"Mono Redux\" ");
        bob.skipUntilLine("EVENT RENAMED Mono \"Mono Redux\"");
        bob.expectLine("NOTIFY alice renamed Mono to \"Mono Redux\"");
        bob.expectPrefix("UPDATE \"Mono Redux\" ");

        assertThat(bob.command("QUEUE").data()).containsExactly("ENTRY 1 " + id + " \"Mono Redux\" bob");
        Song renamed = song("Mono Redux");
        assertThat(renamed.id()).isEqualTo(id);
        assertThat(Files.isRegularFile(renamed.file())).isTrue();
        assertThat(AudioFileIO.read(renamed.file().toFile()).getTag().getFirst(FieldKey.TITLE)).isEqualTo("Mono Redux");
        assertThat(bob.command("LIST").data()).anyMatch(l -> l.startsWith("SONG " + id + " \"Mono Redux\" "));
    }

    // ---- the next song, ready ----

    @Test
    void aQueuedSongReachesASongsClientBeforeItsPlayAndOnlyOnce() {
        lobby("sine-440-3s", "mono-22k-1s");
        TelnetClient bob = connect("bob");
        bob.okay("CAP SONGS");
        bob.send("party bob");
        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        alice.okay("ACCEPT bob");
        bob.skipUntilLine("NOTIFY bob joined party");
        alice.okay("PLAY Sine");
        bob.skipUntil(l -> l.startsWith("PLAY Sine "));
        alice.okay("REQUEST Mono");

        // bob sends no GET: the song comes to him as Mono becomes next, before its PLAY.
        List<String> order = new ArrayList<>();
        TelnetClient.Transfer pushed = null;
        while (pushed == null) {
            String line = bob.nextLine();
            order.add(line);
            if (line.startsWith("SEND ")) {
                assertThat(line).matches("SEND Mono( .*)?");
                pushed = bob.receiveTransferAfter(line);
            }
        }
        assertThat(pushed.complete()).isTrue();
        assertThat(pushed.bytes()).hasSize((int) song("Mono").sizeBytes());
        assertThat(order).noneMatch(l -> l.startsWith("PLAY Mono"));

        clock.advanceMillis(4_000); // Sine is over: Mono plays, and bob has it already
        assertThat(bob.skipUntil(l -> l.startsWith("PLAY ") || l.startsWith("SEND "))).startsWith("PLAY Mono ");
        // Mono again later: not sent a second time on this connection; Sine, never sent to bob, is.
        alice.okay("REQUEST Sine");
        alice.okay("REQUEST Mono");
        String sendSine = bob.skipUntil(l -> l.startsWith("SEND "));
        assertThat(sendSine).matches("SEND Sine( .*)?");
        assertThat(bob.receiveTransferAfter(sendSine).complete()).isTrue();
        clock.advanceMillis(2_000);
        assertThat(bob.skipUntil(l -> l.startsWith("PLAY ") || l.startsWith("SEND "))).startsWith("PLAY Sine ");
        clock.advanceMillis(4_000);
        assertThat(bob.skipUntil(l -> l.startsWith("PLAY ") || l.startsWith("SEND "))).startsWith("PLAY Mono ");
    }
}
