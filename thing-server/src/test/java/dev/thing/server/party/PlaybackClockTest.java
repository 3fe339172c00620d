package dev.thing.server.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.server.party.PartyException.Reason;
import dev.thing.server.party.PlaybackClock.State;
import dev.thing.server.party.PlaybackEvent.Paused;
import dev.thing.server.party.PlaybackEvent.Playing;
import dev.thing.server.party.PlaybackEvent.Stopped;
import org.junit.jupiter.api.Test;

class PlaybackClockTest {
    static final long T = 1_700_000_000_000_000L;
    static final PartySong SONG = new PartySong(7, "Song A", 60_000);

    final PlaybackClock clock = new PlaybackClock();

    @Test
    void startsStopped() {
        assertThat(clock.state()).isEqualTo(State.STOPPED);
        assertThat(clock.current(T)).isEmpty();
        assertThat(clock.endsAtUs()).isEmpty();
        assertThat(clock.positionAtMs(T)).isZero();
        assertThat(clock.song()).isEmpty();
    }

    @Test
    void pauseAtExactPositionRoundedDownThenResume() {
        assertThat(clock.play(SONG, 1000, T)).isEqualTo(new Playing("Song A", T, 1000));
        Paused paused = clock.pause(T + 2_500_500);
        assertThat(paused).isEqualTo(new Paused("Song A", 3500));
        assertThat(clock.state()).isEqualTo(State.PAUSED);
        assertThat(clock.positionAtMs(T + 99_000_000)).isEqualTo(3500);
        assertThat(clock.endsAtUs()).isEmpty();

        long now = T + 10_000_000;
        Playing resumed = clock.resume(now + 300_000);
        assertThat(resumed).isEqualTo(new Playing("Song A", now + 300_000, 3500));
        assertThat(clock.endsAtUs()).hasValue(now + 300_000 + (60_000 - 3500) * 1000L);
    }

    @Test
    void pauseJustBeforeAMillisecondRoundsDown() {
        clock.play(SONG, 0, T);
        assertThat(clock.pause(T + 1_999).positionMs()).isEqualTo(1);
    }

    @Test
    void positionDoesNotMoveBeforeTheStartInstant() {
        clock.play(SONG, 5000, T);
        assertThat(clock.positionAtMs(T - 2_000_000)).isEqualTo(5000);
        assertThat(clock.positionAtMs(T)).isEqualTo(5000);
        assertThat(clock.positionAtMs(T + 999)).isEqualTo(5000);
        assertThat(clock.positionAtMs(T + 1000)).isEqualTo(5001);
        assertThat(clock.pause(T - 100_000)).isEqualTo(new Paused("Song A", 5000));
    }

    @Test
    void positionIsCappedAtTheEnd() {
        clock.play(SONG, 0, T);
        assertThat(clock.endsAtUs()).hasValue(T + 60_000_000);
        assertThat(clock.positionAtMs(T + 61_000_000)).isEqualTo(60_000);
    }

    @Test
    void seekWhilePlayingRestartsFromTheNewStart() {
        clock.play(SONG, 0, T);
        PlaybackEvent e = clock.seek(30_000, T + 5_000_000);
        assertThat(e).isEqualTo(new Playing("Song A", T + 5_000_000, 30_000));
        assertThat(clock.endsAtUs()).hasValue(T + 5_000_000 + 30_000_000);
        assertThat(clock.positionAtMs(T + 6_000_000)).isEqualTo(31_000);
    }

    @Test
    void seekWhilePausedStaysPaused() {
        clock.play(SONG, 0, T);
        clock.pause(T + 1_000_000);
        assertThat(clock.seek(42_000, T + 2_000_000)).isEqualTo(new Paused("Song A", 42_000));
        assertThat(clock.state()).isEqualTo(State.PAUSED);
        assertThat(clock.resume(T + 3_000_000)).isEqualTo(new Playing("Song A", T + 3_000_000, 42_000));
    }

    @Test
    void seekErrors() {
        assertThatThrownBy(() -> clock.seek(0, T)).isInstanceOf(PartyException.class)
                .extracting(e -> ((PartyException) e).reason()).isEqualTo(Reason.NOTHING_PLAYING);
        clock.play(SONG, 0, T);
        assertReason(() -> clock.seek(-1, T), Reason.BAD_POSITION);
        assertReason(() -> clock.seek(60_000, T), Reason.BAD_POSITION);
        assertThat(clock.seek(59_999, T + 1)).isEqualTo(new Playing("Song A", T + 1, 59_999));
        assertReason(() -> clock.play(SONG, 60_000, T), Reason.BAD_POSITION);
        // A failed command changes nothing.
        assertThat(clock.current(T)).contains(new Playing("Song A", T + 1, 59_999));
    }

    @Test
    void pauseAndResumeInTheWrongState() {
        assertReason(() -> clock.pause(T), Reason.NOT_PLAYING);
        assertReason(() -> clock.resume(T), Reason.NOT_PAUSED);
        clock.play(SONG, 0, T);
        assertReason(() -> clock.resume(T), Reason.NOT_PAUSED);
        clock.pause(T + 1);
        assertReason(() -> clock.pause(T + 2), Reason.NOT_PLAYING);
    }

    @Test
    void currentForALateArrivalIsThePlayLineUnchanged() {
        clock.play(SONG, 1234, T);
        assertThat(clock.current(T + 20_000_000)).contains(new Playing("Song A", T, 1234));
        clock.pause(T + 1_000_000);
        assertThat(clock.current(T + 20_000_000)).contains(new Paused("Song A", 2234));
        assertThat(clock.stop()).isEqualTo(new Stopped());
        assertThat(clock.current(T)).isEmpty();
        assertThat(clock.state()).isEqualTo(State.STOPPED);
    }

    @Test
    void repeatedPauseResumeDoesNotDrift() {
        long now = T;
        clock.play(SONG, 0, now);
        long expectedMs = 0;
        for (int i = 0; i < 100; i++) {
            now += 123_456; // 123.456 ms of play
            expectedMs += 123; // each pause rounds down to the ms
            assertThat(clock.pause(now).positionMs()).isEqualTo(expectedMs);
            now += 1_000;
            clock.resume(now);
        }
        assertThat(clock.positionAtMs(now)).isEqualTo(expectedMs);
    }

    static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOf(PartyException.class)
                .satisfies(e -> assertThat(((PartyException) e).reason()).isEqualTo(reason))
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }
}
