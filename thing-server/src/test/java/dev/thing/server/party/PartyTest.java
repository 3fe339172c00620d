package dev.thing.server.party;

import static dev.thing.server.party.PlaybackClockTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.server.party.PartyException.Reason;
import dev.thing.server.party.PlaybackClock.State;
import dev.thing.server.party.PlaybackEvent.Paused;
import dev.thing.server.party.PlaybackEvent.Playing;
import dev.thing.server.party.PlaybackEvent.Stopped;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PartyTest {
    static final long T = 1_700_000_000_000_000L;
    static final long LEAD = 300_000;
    static final PartySong A = new PartySong(1, "Alpha", 10_000);
    static final PartySong B = new PartySong(2, "Bravo", 20_000);
    static final PartySong C = new PartySong(3, "Charlie", 30_000);

    final FakeCatalog catalog = new FakeCatalog().add(A, B, C);

    Party party(boolean autoplay, int limit) {
        return new Party(catalog, new PartySettings(limit, autoplay), new SplittableRandom(42));
    }

    Party party() {
        return party(false, 100);
    }

    @Test
    void defaults() {
        assertThat(PartySettings.DEFAULTS).isEqualTo(new PartySettings(100, false));
        Party p = new Party(catalog, PartySettings.DEFAULTS, new SplittableRandom(1));
        assertThat(p.autoplay()).isFalse();
        assertThat(p.state()).isEqualTo(State.STOPPED);
        assertThat(p.nextDeadlineUs()).isEmpty();
        assertThat(p.current(T)).isEmpty();
        assertThat(p.queue()).isEmpty();
    }

    @Test
    void playPauseResumeArithmetic() {
        Party p = party();
        PartyOutcome played = p.play("alpha", 1000, T, LEAD);
        assertThat(played.events()).containsExactly(new Playing("Alpha", T + LEAD, 1000));
        assertThat(played.lobbyNotices()).isEmpty();
        long start = T + LEAD;
        assertThat(p.nextDeadlineUs()).hasValue(start + 9_000_000);

        assertThat(p.pause(start + 2_500_500).events()).containsExactly(new Paused("Alpha", 3500));
        assertThat(p.nextDeadlineUs()).isEmpty();

        long now = start + 60_000_000;
        assertThat(p.resume(now, LEAD).events()).containsExactly(new Playing("Alpha", now + LEAD, 3500));
        assertThat(p.nextDeadlineUs()).hasValue(now + LEAD + 6_500_000);
        assertThat(p.current(now + 5_000_000)).contains(new Playing("Alpha", now + LEAD, 3500));
    }

    @Test
    void pauseBeforeTheStartInstantKeepsTheStartPosition() {
        Party p = party();
        p.play("#2", 4000, T, LEAD);
        assertThat(p.pause(T + 100_000).events()).containsExactly(new Paused("Bravo", 4000));
    }

    @Test
    void seek() {
        Party p = party();
        assertReason(() -> p.seek(0, T, LEAD), Reason.NOTHING_PLAYING);
        p.play("Bravo", 0, T, LEAD);
        assertThat(p.seek(15_000, T + 1_000_000, LEAD).events())
                .containsExactly(new Playing("Bravo", T + 1_000_000 + LEAD, 15_000));
        assertThat(p.nextDeadlineUs()).hasValue(T + 1_000_000 + LEAD + 5_000_000);
        assertReason(() -> p.seek(20_000, T, LEAD), Reason.BAD_POSITION);
        assertReason(() -> p.seek(-5, T, LEAD), Reason.BAD_POSITION);
        p.pause(T + 2_000_000 + LEAD);
        assertThat(p.seek(100, T + 3_000_000, LEAD).events()).containsExactly(new Paused("Bravo", 100));
    }

    @Test
    void errors() {
        Party p = party();
        assertReason(() -> p.play("nope", 0, T, LEAD), Reason.NO_SUCH_SONG);
        assertReason(() -> p.play("alpha", 10_000, T, LEAD), Reason.BAD_POSITION);
        assertReason(() -> p.pause(T), Reason.NOT_PLAYING);
        assertReason(() -> p.resume(T, LEAD), Reason.NOT_PAUSED);
        assertReason(() -> p.request("nope", "ann", T, LEAD), Reason.NO_SUCH_SONG);
        assertThat(p.state()).isEqualTo(State.STOPPED);
        assertThat(new PartyException(Reason.LIMIT, "x").errorCode())
                .isEqualTo(dev.thing.protocol.ErrorCode.LIMIT);
    }

    @Test
    void requestWhileStoppedStartsAtOnce() {
        Party p = party();
        PartyOutcome o = p.request("charlie", "ann", T, LEAD);
        assertThat(o.events()).containsExactly(new Playing("Charlie", T + LEAD, 0));
        assertThat(o.lobbyNotices()).containsExactly("ann queued Charlie");
        assertThat(p.queue()).isEmpty();
    }

    @Test
    void requestWhilePlayingQueuesInOrder() {
        Party p = party();
        p.play("Alpha", 0, T, LEAD);
        PartyOutcome o = p.request("#3", "bob", T, LEAD);
        assertThat(o.events()).isEmpty();
        assertThat(o.lobbyNotices()).containsExactly("bob queued Charlie");
        p.request("BRAVO", "cy", T, LEAD);
        assertThat(p.queue()).containsExactly(new QueueEntry(3, "Charlie", "bob"), new QueueEntry(2, "Bravo", "cy"));
        assertReason(() -> p.request("charlie", "dee", T, LEAD), Reason.DUPLICATE);
    }

    @Test
    void requestWhilePausedStaysPaused() {
        Party p = party();
        p.play("Alpha", 0, T, LEAD);
        p.pause(T + 1_000_000);
        assertThat(p.request("Bravo", "ann", T + 2_000_000, LEAD).events()).isEmpty();
        assertThat(p.state()).isEqualTo(State.PAUSED);
    }

    @Test
    void queueLimit() {
        Party p = party(false, 1);
        p.play("Alpha", 0, T, LEAD);
        p.request("Bravo", "ann", T, LEAD);
        assertReason(() -> p.request("Charlie", "ann", T, LEAD), Reason.LIMIT);
    }

    @Test
    void songEndAdvancesToTheNextQueuedSong() {
        Party p = party();
        p.play("Alpha", 0, T, LEAD);
        p.request("Charlie", "ann", T, LEAD);
        p.request("Bravo", "bob", T, LEAD);
        long end = T + LEAD + 10_000_000;
        assertThat(p.nextDeadlineUs()).hasValue(end);

        // Too early (timer fired a microsecond early): nothing.
        assertThat(p.tick(end - 1, LEAD).isEmpty()).isTrue();
        assertThat(p.nowPlaying()).contains(A);

        // On time: the next song starts one lead after the end instant.
        assertThat(p.tick(end, LEAD).events()).containsExactly(new Playing("Charlie", end + LEAD, 0));
        assertThat(p.queue()).containsExactly(new QueueEntry(2, "Bravo", "bob"));
        long end2 = end + LEAD + 30_000_000;
        assertThat(p.nextDeadlineUs()).hasValue(end2);

        // Late tick: the next start is now + lead, not in the past.
        long late = end2 + 2_000_000;
        assertThat(p.tick(late, LEAD).events()).containsExactly(new Playing("Bravo", late + LEAD, 0));

        // Queue empty, autoplay off: STOP.
        long end3 = late + LEAD + 20_000_000;
        assertThat(p.tick(end3, LEAD).events()).containsExactly(new Stopped());
        assertThat(p.state()).isEqualTo(State.STOPPED);
        assertThat(p.nextDeadlineUs()).isEmpty();
        assertThat(p.tick(end3 + 10_000_000, LEAD).isEmpty()).isTrue();
    }

    @Test
    void tickWhilePausedDoesNothing() {
        Party p = party();
        p.play("Alpha", 0, T, 0);
        p.pause(T + 1_000_000);
        assertThat(p.tick(T + 100_000_000, LEAD).isEmpty()).isTrue();
        assertThat(p.state()).isEqualTo(State.PAUSED);
    }

    @Test
    void autoplayPicksARandomSongWhenTheQueueRunsDry() {
        Party p = party(true, 100);
        assertThat(p.autoplay()).isTrue();
        p.play("Alpha", 0, T, 0);
        long end = T + 10_000_000;
        List<PlaybackEvent> events = p.tick(end, LEAD).events();
        assertThat(events).hasSize(1).first().isInstanceOf(Playing.class);
        Playing next = (Playing) events.get(0);
        assertThat(next.title()).isIn("Bravo", "Charlie"); // not the song that just ended
        assertThat(next.startUs()).isEqualTo(end + LEAD);
        assertThat(next.positionMs()).isZero();

        // The queue goes first even with autoplay on.
        p.request("Alpha", "ann", end, LEAD);
        long end2 = p.nextDeadlineUs().orElseThrow();
        assertThat(p.tick(end2, LEAD).events()).containsExactly(new Playing("Alpha", end2 + LEAD, 0));
    }

    @Test
    void wakeStartsAnIdlePartyOnlyWithAutoplayOnAndSomethingToPlay() {
        assertThat(party(false, 100).wake(T, LEAD).events()).as("autoplay off").isEmpty();

        Party p = party(true, 100);
        List<PlaybackEvent> events = p.wake(T, LEAD).events();
        assertThat(events).singleElement().isInstanceOf(Playing.class);
        assertThat(((Playing) events.get(0)).startUs()).isEqualTo(T + LEAD);
        assertThat(p.wake(T + 1_000, LEAD).events()).as("already playing: nothing changes").isEmpty();

        FakeCatalog empty = new FakeCatalog();
        Party idle = new Party(empty, new PartySettings(100, true), new SplittableRandom(1));
        assertThat(idle.wake(T, LEAD).events()).as("an empty library: still silence, no STOP sent").isEmpty();
        empty.add(A);
        assertThat(idle.wake(T, LEAD).events()).containsExactly(new Playing("Alpha", T + LEAD, 0));
    }

    @Test
    void autoplayWithAnEmptyLibraryStops() {
        FakeCatalog empty = new FakeCatalog();
        Party p = new Party(empty, new PartySettings(100, true), new SplittableRandom(1));
        empty.add(A);
        p.play("Alpha", 0, T, 0);
        empty.delete(1);
        assertThat(p.tick(T + 10_000_000, LEAD).events()).containsExactly(new Stopped());
    }

    @Test
    void autoplaySwitch() {
        Party p = party();
        p.setAutoplay(true);
        assertThat(p.autoplay()).isTrue();
        p.play("Alpha", 0, T, 0);
        assertThat(p.tick(T + 10_000_000, LEAD).events()).singleElement().isInstanceOf(Playing.class);
        p.setAutoplay(false);
        long end = p.nextDeadlineUs().orElseThrow();
        assertThat(p.tick(end, LEAD).events()).containsExactly(new Stopped());
    }

    @Test
    void skip() {
        Party p = party();
        // Stopped, nothing to go to.
        assertReason(() -> p.skip(T, LEAD), Reason.NOTHING_PLAYING);

        p.play("Alpha", 0, T, LEAD);
        p.request("Bravo", "ann", T, LEAD);
        assertThat(p.skip(T + 1_000_000, LEAD).events()).containsExactly(new Playing("Bravo", T + 1_000_000 + LEAD, 0));
        // Empty queue, autoplay off: STOP.
        assertThat(p.skip(T + 2_000_000, LEAD).events()).containsExactly(new Stopped());
        assertThat(p.state()).isEqualTo(State.STOPPED);
    }

    @Test
    void skipWhilePausedAndSkipFromStoppedWithAQueue() {
        Party p = party();
        p.play("Alpha", 0, T, LEAD);
        p.request("Bravo", "ann", T, LEAD);
        p.request("Charlie", "ann", T, LEAD);
        p.pause(T + 1_000_000);
        assertThat(p.skip(T + 2_000_000, LEAD).events()).containsExactly(new Playing("Bravo", T + 2_000_000 + LEAD, 0));
        assertThat(p.stop().events()).containsExactly(new Stopped());
        assertThat(p.queue()).hasSize(1); // STOP keeps the queue
        assertThat(p.skip(T + 3_000_000, LEAD).events()).containsExactly(new Playing("Charlie", T + 3_000_000 + LEAD, 0));
    }

    @Test
    void skipWithAutoplayFromStopped() {
        Party p = party(true, 100);
        assertThat(p.skip(T, LEAD).events()).singleElement().isInstanceOf(Playing.class);
    }

    @Test
    void requestWhenStoppedWithAQueueStartsTheQueueInOrder() {
        Party p = party();
        p.play("Alpha", 0, T, LEAD);
        p.request("Bravo", "ann", T, LEAD);
        p.stop();
        PartyOutcome o = p.request("Charlie", "bob", T + 5_000_000, LEAD);
        assertThat(o.events()).containsExactly(new Playing("Bravo", T + 5_000_000 + LEAD, 0));
        assertThat(p.queue()).containsExactly(new QueueEntry(3, "Charlie", "bob"));
    }

    @Test
    void songDeletedWhilePlayingSkips() {
        Party p = party();
        p.play("Alpha", 0, T, LEAD);
        p.request("Bravo", "ann", T, LEAD);
        p.request("Charlie", "bob", T, LEAD);

        catalog.delete(2);
        assertThat(p.songDeleted(2, T + 1_000_000, LEAD).isEmpty()).isTrue(); // only queued: dropped
        assertThat(p.queue()).containsExactly(new QueueEntry(3, "Charlie", "bob"));

        catalog.delete(1);
        assertThat(p.songDeleted(1, T + 2_000_000, LEAD).events())
                .containsExactly(new Playing("Charlie", T + 2_000_000 + LEAD, 0));

        catalog.delete(3);
        assertThat(p.songDeleted(3, T + 3_000_000, LEAD).events()).containsExactly(new Stopped());
        assertThat(p.songDeleted(3, T + 4_000_000, LEAD).isEmpty()).isTrue();
    }

    @Test
    void songDeletedWhilePausedSkips() {
        Party p = party();
        p.play("Alpha", 0, T, LEAD);
        p.pause(T + 1_000_000);
        catalog.delete(1);
        assertThat(p.songDeleted(1, T + 2_000_000, LEAD).events()).containsExactly(new Stopped());
    }

    @Test
    void queuedSongThatLeftTheLibraryIsPassedOver() {
        Party p = party();
        p.play("Alpha", 0, T, 0);
        p.request("Bravo", "ann", T, LEAD);
        p.request("Charlie", "bob", T, LEAD);
        catalog.delete(2); // the lobby was not told (yet)
        assertThat(p.tick(T + 10_000_000, LEAD).events()).containsExactly(new Playing("Charlie", T + 10_000_000 + LEAD, 0));
    }

    @Test
    void fulfilledWishIsQueuedAndStartsWhenStopped() {
        Party p = party();
        PartySong d = new PartySong(4, "Delta", 5_000);
        catalog.add(d);
        PartyOutcome o = p.enqueueFulfilledWish(d, "ann", T, LEAD);
        assertThat(o.events()).containsExactly(new Playing("Delta", T + LEAD, 0));
        assertThat(o.lobbyNotices()).singleElement().asString().contains("Delta").contains("ann");

        PartySong e = new PartySong(5, "Echo", 5_000);
        catalog.add(e);
        PartyOutcome o2 = p.enqueueFulfilledWish(e, "bob", T + 1, LEAD);
        assertThat(o2.events()).isEmpty();
        assertThat(p.queue()).containsExactly(new QueueEntry(5, "Echo", "bob"));
        assertReason(() -> p.enqueueFulfilledWish(e, "cy", T + 2, LEAD), Reason.DUPLICATE);
    }

    @Test
    void lateArrivalGetsTheOriginalPlayLine() {
        Party p = party();
        p.play("Charlie", 2000, T, LEAD);
        assertThat(p.current(T + 25_000_000)).contains(new Playing("Charlie", T + LEAD, 2000));
        assertThat(p.positionAtMs(T + LEAD + 1_500_999)).isEqualTo(3500);
        p.pause(T + LEAD + 1_000_000);
        assertThat(p.current(T + 25_000_000)).contains(new Paused("Charlie", 3000));
        p.stop();
        assertThat(p.current(T)).isEmpty();
    }
}
