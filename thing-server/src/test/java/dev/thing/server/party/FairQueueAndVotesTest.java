package dev.thing.server.party;

import static dev.thing.server.party.PlaybackClockTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.ServerMessage;
import dev.thing.server.party.PartyException.Reason;
import dev.thing.server.party.PlaybackClock.State;
import dev.thing.server.party.PlaybackEvent.Playing;
import dev.thing.server.party.PlaybackEvent.Stopped;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fair queue (round robin by requester, a per-person cap, UNQUEUE, MOVE) and skip votes (issue #16). */
class FairQueueAndVotesTest {
    static final long T = 1_700_000_000_000_000L;
    static final long LEAD = 300_000;

    static QueueEntry e(long id, String who) {
        return new QueueEntry(id, "S" + id, who);
    }

    static List<String> titles(PartyQueue q) {
        return q.entries().stream().map(QueueEntry::title).toList();
    }

    // ---- round robin ----

    @Test
    void requestsInterleaveOnePerPersonInTurn() {
        PartyQueue q = new PartyQueue(100, 100);
        q.add(e(1, "ann"));
        q.add(e(2, "ann"));
        q.add(e(3, "ann"));
        assertThat(q.add(e(4, "bob"), null)).isEqualTo(2);
        q.add(e(5, "cy"));
        q.add(e(6, "bob"));
        q.add(e(7, "ANN"));

        assertThat(titles(q)).containsExactly("S1", "S4", "S5", "S2", "S6", "S3", "S7");
    }

    @Test
    void theSongPlayingCountsAsItsRequestersTurn() {
        PartyQueue q = new PartyQueue(100, 100);
        // ann's song plays: her next request waits for bob's first.
        q.add(e(1, "ann"), "ann");
        q.add(e(2, "bob"), "ann");
        q.add(e(3, "bob"), "ann");

        assertThat(titles(q)).containsExactly("S2", "S1", "S3");
    }

    @Test
    void aNewcomerGoesAfterTheCurrentRoundNotToTheEnd() {
        PartyQueue q = new PartyQueue(100, 100);
        for (int i = 1; i <= 5; i++) {
            q.add(e(i, "ann"));
        }
        q.poll(); // S1 plays
        q.add(e(10, "bob"), "ann");

        assertThat(titles(q)).containsExactly("S10", "S2", "S3", "S4", "S5");
    }

    @Test
    void aPerPersonCapRefusesWithLimitAndCountsOnlyThatPerson() {
        PartyQueue q = new PartyQueue(100, 2);
        q.add(e(1, "ann"));
        q.add(e(2, "ann"));
        assertReason(() -> q.add(e(3, "Ann")), Reason.LIMIT);
        q.add(e(4, "bob"));
        assertThat(q.countBy("ANN")).isEqualTo(2);
        q.poll();
        q.add(e(3, "ann")); // one of hers played: room again
        assertThat(q.size()).isEqualTo(3);
    }

    @Test
    void theCapMessageSaysWhoAndWhy() {
        PartyQueue q = new PartyQueue(100, 1);
        q.add(e(1, "ann"));
        PartyException refused = org.assertj.core.api.Assertions.catchThrowableOfType(PartyException.class,
                () -> q.add(e(2, "ann")));
        assertThat(refused.getMessage()).isEqualTo("ann has 1 songs in the queue, the most one person may queue; "
                + "more can be added as they play");
        assertThat(refused.errorCode()).isEqualTo(dev.thing.protocol.ErrorCode.LIMIT);
    }

    @Test
    void removeAtAndMoveUsePositionsFromOne() {
        PartyQueue q = new PartyQueue(100, 100);
        q.add(e(1, "a"));
        q.add(e(2, "b"));
        q.add(e(3, "c"));
        assertThat(q.move(3, 1).title()).isEqualTo("S3");
        assertThat(titles(q)).containsExactly("S3", "S1", "S2");
        assertThat(q.move(1, 3).title()).isEqualTo("S3");
        assertThat(titles(q)).containsExactly("S1", "S2", "S3");
        assertThat(q.removeAt(2).title()).isEqualTo("S2");
        assertThat(titles(q)).containsExactly("S1", "S3");
        assertReason(() -> q.removeAt(3), Reason.NO_SUCH_ENTRY);
        assertReason(() -> q.move(1, 3), Reason.NO_SUCH_ENTRY);
        assertReason(() -> q.move(0, 1), Reason.NO_SUCH_ENTRY);
        assertThat(titles(q)).containsExactly("S1", "S3");
    }

    @Test
    void aRenamedSongKeepsItsPlaceUnderItsNewTitle() {
        PartyQueue q = new PartyQueue(100, 100);
        q.add(e(1, "a"));
        q.add(e(2, "b"));
        assertThat(q.retitle(2, "New")).isTrue();
        assertThat(q.retitle(9, "Nope")).isFalse();
        assertThat(q.entries()).containsExactly(e(1, "a"), new QueueEntry(2, "New", "b"));
    }

    // ---- through the party ----

    final FakeCatalog catalog = new FakeCatalog();

    Party party(int perPerson) {
        for (int i = 1; i <= 9; i++) {
            catalog.add(new PartySong(i, "S" + i, 10_000));
        }
        return new Party(catalog, new PartySettings(100, false, perPerson, 50), new SplittableRandom(1));
    }

    @Test
    void partyRequestsAreFairAroundTheSongPlaying() {
        Party p = party(10);
        p.request("S1", "ann", T, LEAD); // starts at once
        p.request("S2", "ann", T, LEAD);
        p.request("S3", "bob", T, LEAD);

        assertThat(p.queue()).extracting(QueueEntry::title).containsExactly("S3", "S2");
    }

    @Test
    void unqueueIsForTheRequesterOrStaff() {
        Party p = party(10);
        p.request("S1", "ann", T, LEAD);
        p.request("S2", "ann", T, LEAD);
        p.request("S3", "bob", T, LEAD);

        assertReason(() -> p.unqueue(2, "bob", false), Reason.NOT_YOURS);
        PartyOutcome own = p.unqueue(1, "bob", false);
        assertThat(own.lobbyNotices()).containsExactly("bob took S3 off the queue");
        PartyOutcome staff = p.unqueue(1, "mod", true);
        assertThat(staff.lobbyNotices()).containsExactly("mod took S2 off the queue (queued by ann)");
        assertThat(p.queue()).isEmpty();
        assertReason(() -> p.unqueue(1, "mod", true), Reason.NO_SUCH_ENTRY);
    }

    @Test
    void moveTellsTheLobby() {
        Party p = party(10);
        p.request("S1", "a", T, LEAD);
        p.request("S2", "b", T, LEAD);
        p.request("S3", "c", T, LEAD);

        assertThat(p.move(2, 1, "mod").lobbyNotices()).containsExactly("mod moved S3 to position 1 of the queue");
        assertThat(p.move(1, 1, "mod").isEmpty()).isTrue();
        assertThat(p.next()).map(QueueEntry::title).contains("S3");
    }

    // ---- votes ----

    @Test
    void votesNeededAreMoreThanTheShare() {
        Party p = party(10);
        assertThat(List.of(1, 2, 3, 4, 5, 10).stream().map(p::votesNeeded)).containsExactly(1, 2, 2, 3, 3, 6);
        p.setVoteShare(0, "mod", 4, T, LEAD);
        assertThat(p.votesNeeded(4)).isEqualTo(1);
        p.setVoteShare(99, "mod", 4, T, LEAD);
        assertThat(p.votesNeeded(4)).isEqualTo(4);
        assertThat(p.votesNeeded(200)).isEqualTo(199);
    }

    @Test
    void moreThanHalfSkipsTheSongAndTheVotesStartAgain() {
        Party p = party(10);
        p.request("S1", "ann", T, LEAD);
        p.request("S2", "bob", T, LEAD);

        PartyOutcome first = p.voteSkip("ann", 4, T, LEAD);
        assertThat(first.events()).isEmpty();
        assertThat(first.lobbyNotices()).containsExactly("ann votes to skip S1 (1 of 3 votes needed; VOTE SKIP to agree)");
        assertThat(first.facts()).containsExactly(new ServerMessage.VotesEvent("S1", 1, 3));
        assertReason(() -> p.voteSkip("ANN", 4, T, LEAD), Reason.ALREADY_VOTED);
        p.voteSkip("bob", 4, T, LEAD);
        PartyOutcome third = p.voteSkip("cy", 4, T + 1, LEAD);

        assertThat(third.events()).containsExactly(new Playing("S2", T + 1 + LEAD, 0));
        assertThat(third.lobbyNotices()).containsExactly("the lobby voted to skip S1 (3 of 4 members)");
        assertThat(p.skipVotes()).isZero();
        // A vote for S1 does not carry over to S2.
        assertThat(p.voteSkip("ann", 4, T + 2, LEAD).events()).isEmpty();
    }

    @Test
    void aLeaversVoteGoesAndFewerMembersMayTipTheCount() {
        Party p = party(10);
        p.request("S1", "ann", T, LEAD);
        p.voteSkip("ann", 3, T, LEAD);
        p.voteSkip("bob", 4, T, LEAD); // 2 of 3 needed among 4

        PartyOutcome bobGone = p.memberLeft("bob", 3, T, LEAD);
        assertThat(bobGone.events()).isEmpty();
        assertThat(bobGone.facts()).containsExactly(new ServerMessage.VotesEvent("S1", 1, 2));
        // Someone who did not vote leaves: 1 vote of 2 members is not more than half; another leaves: 1 of 1 is.
        assertThat(p.memberLeft("dan", 2, T, LEAD).events()).isEmpty();
        PartyOutcome tipped = p.memberLeft("eve", 1, T, LEAD);
        assertThat(tipped.events()).containsExactly(new Stopped());
        assertThat(tipped.lobbyNotices()).containsExactly("the lobby voted to skip S1 (1 of 1 member)");
        assertThat(p.memberLeft("zed", 1, T, LEAD).isEmpty()).isTrue();
    }

    @Test
    void nothingToVoteOnWhenStopped() {
        Party p = party(10);
        assertReason(() -> p.voteSkip("ann", 2, T, LEAD), Reason.NOTHING_PLAYING);
    }

    @Test
    void aStaffSkipOrAPlayResetsTheVotes() {
        Party p = party(10);
        p.request("S1", "ann", T, LEAD);
        p.voteSkip("ann", 5, T, LEAD);
        p.play("S2", 0, T, LEAD);
        assertThat(p.skipVotes()).isZero();
        p.voteSkip("ann", 5, T, LEAD);
        p.skip(T, LEAD);
        assertThat(p.state()).isEqualTo(State.STOPPED);
        assertThat(p.skipVotes()).isZero();
    }

    @Test
    void loweringTheShareCanSkipAtOnce() {
        Party p = party(10);
        p.request("S1", "ann", T, LEAD);
        p.voteSkip("ann", 4, T, LEAD);
        PartyOutcome lowered = p.setVoteShare(20, "mod", 4, T, LEAD);

        assertThat(lowered.lobbyNotices()).containsExactly(
                "mod set the skip vote share to 20%: a song is skipped when more than 20% of the members present "
                        + "vote to skip it (now 1 of 4)", "the lobby voted to skip S1 (1 of 4 members)");
        assertThat(lowered.events()).containsExactly(new Stopped());
    }

    @Test
    void aRenameReachesTheSongPlaying() {
        Party p = party(10);
        p.request("S1", "ann", T, LEAD);
        p.request("S2", "bob", T, LEAD);
        p.songRenamed(1, "One");
        p.songRenamed(2, "Two");
        List<String> titles = new ArrayList<>();
        p.current(T).ifPresent(ev -> titles.add(((Playing) ev).title()));
        p.queue().forEach(q -> titles.add(q.title()));
        assertThat(titles).containsExactly("One", "Two");
    }
}
