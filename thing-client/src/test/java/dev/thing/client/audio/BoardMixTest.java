package dev.thing.client.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.board.BoardState;
import dev.thing.client.sync.FakeClock;
import dev.thing.protocol.board.BoardTiming;
import dev.thing.protocol.board.Mix;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The board mixed into the player's line, on a recording sink kept running and paced by a fake clock: every beat is
 * found in the recorded frames at the frame that sounds at its instant (the sink's truth), OVER adds it to the song,
 * INSTEAD mutes the song, STOP silences it, a changed row is heard from the next loop. Nothing here is measured in
 * wall-clock time: the writer is held at chosen frames (so fake time stands still while the test renders), and
 * positions are frames.
 */
class BoardMixTest {
    static final long MS = 1_000_000L;
    static final long TIMEOUT_MS = 60_000;
    /** How far (in frames) a beat may land from its scheduled frame: the rounding of instants to frames. */
    static final long TOLERANCE = 2;
    static final long START_US = 1_795_377_600_250_000L;
    /** How long the line's position filter is given to settle on a noisy device before beats are held to 1 ms. */
    static final long SETTLE_MS = 20_000;

    final FakeClock clock = new FakeClock();
    final Gate gate = new Gate();
    final RecordingSink sink = new RecordingSink(clock).keepRunning().onWrite(gate);
    Player player;

    @AfterEach
    void close() {
        gate.release();
        if (player != null) {
            player.close();
        }
    }

    /** Holds the writer (inside its write, so the fake clock stands still) once it writes at or past a frame. */
    static final class Gate implements Consumer<RecordingSink.Write> {
        private long holdAt = Long.MAX_VALUE;
        private boolean held;

        synchronized void holdAt(long frame) {
            holdAt = frame;
            held = false;
            notifyAll();
        }

        synchronized void release() {
            holdAt(Long.MAX_VALUE);
        }

        @Override
        public synchronized void accept(RecordingSink.Write w) {
            while (w.frameIndex() >= holdAt) {
                held = true;
                notifyAll();
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        synchronized void awaitHeld() throws InterruptedException {
            long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (!held) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("the writer never reached frame " + holdAt);
                }
                wait(100);
            }
        }
    }

    /** The frame of the line that starts to play at local instant {@code nanos}, by the sink's truth. */
    long frameAt(long nanos) {
        long lo = 0;
        long hi = sink.recordedFrames() + 10 * 44_100L;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (sink.soundsAt(mid) < nanos) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Lets the writer run until it reaches the frame playing at {@code nanos}, and holds it there. */
    void runUntil(long nanos) throws InterruptedException {
        gate.holdAt(frameAt(nanos));
        gate.awaitHeld();
    }

    /** The local instant step {@code step} (loop * columns + column) of a board started at {@code start} sounds. */
    static long stepNanos(long start, int bpm, long step) {
        return start + BoardTiming.stepStartUs(0, bpm, step) * 1000;
    }

    /**
     * The board as it should be on the line: {@code loop}'s PCM placed at the frame each loop's instant plays at,
     * loops {@code [fromLoop, toLoop)}, summed with saturation.
     */
    byte[] expected(BoardRenderer.Loop loop, long start, int bpm, int columns, int fromLoop, int toLoop, int length) {
        byte[] out = new byte[length];
        int fs = loop.format().getFrameSize();
        for (int i = fromLoop; i < toLoop; i++) {
            long at = frameAt(stepNanos(start, bpm, (long) i * columns));
            for (long k = 0; k < loop.frames() && (at + k + 1) * fs <= length; k++) {
                for (int c = 0; c < 2; c++) {
                    int s = BoardSounds.sample(out, fs, at + k, c) + BoardSounds.sample(loop.pcm(), fs, k, c);
                    s = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, s));
                    int b = (int) ((at + k) * fs + c * 2);
                    out[b] = (byte) s;
                    out[b + 1] = (byte) (s >> 8);
                }
            }
        }
        return out;
    }

    /**
     * Where the beat due at frame {@code due} landed: the shift (within 50 frames) at which the recorded frames
     * from it on (a beat's first 2,000 frames) match the expected board; asserts the match is exact.
     */
    static long landed(byte[] recorded, byte[] expected, long due) {
        int fs = 4;
        long best = Long.MIN_VALUE;
        long bestError = Long.MAX_VALUE;
        for (long d = -50; d <= 50; d++) {
            long error = 0;
            for (long k = due; k < due + 2_000; k++) {
                error += Math.abs(BoardSounds.sample(recorded, fs, k + d, 0) - BoardSounds.sample(expected, fs, k, 0));
            }
            if (error < bestError) {
                bestError = error;
                best = d;
            }
        }
        assertThat(bestError).as("the board's frames around frame " + due + " as rendered").isZero();
        return best;
    }

    /** The recorded beats at the frames they are due: onsets of the hat at each column of {@code hits}. */
    void assertBeatsOnTime(BoardRenderer.Loop loop, long start, int bpm, String hits, int fromLoop, int toLoop,
                           byte[] recorded) {
        byte[] exp = expected(loop, start, bpm, hits.length(), fromLoop, toLoop, recorded.length);
        for (int i = fromLoop; i < toLoop; i++) {
            for (int k = 0; k < hits.length(); k++) {
                if (hits.charAt(k) == '1') {
                    long due = frameAt(stepNanos(start, bpm, (long) i * hits.length() + k));
                    long off = landed(recorded, exp, due);
                    System.out.printf("loop %d column %d: due at frame %d, landed %+d frames%n", i, k, due, off);
                    assertThat(Math.abs(off)).as("loop " + i + " column " + k).isLessThanOrEqualTo(TOLERANCE);
                }
            }
        }
    }

    private void newPlayer() {
        // Loops are rendered on the caller's thread, while the writer is held: fake time stands still meanwhile.
        player = new Player(() -> sink, clock, 0, Runnable::run);
    }

    @Test
    void eachBeatStartsAtItsScheduledFrame() throws Exception {
        newPlayer();
        gate.holdAt(0);
        BoardState board = BoardSounds.board(150, "1011", START_US);
        long start = clock.nanoTime() + 300 * MS;
        player.board(board.snapshot(), start); // renders, then opens the line kept running (held at its first write)
        gate.awaitHeld();
        assertThat(player.boardMix().rendered()).isNotNull();
        runUntil(stepNanos(start, 150, 3 * 4) + 500 * MS);

        byte[] recorded = sink.pcm();
        BoardRenderer.Loop loop = BoardRenderer.render(board.snapshot(), Player.WARM_FORMAT);
        assertThat(BoardSounds.firstLoud(recorded, 4, 0, frameAt(start) - 1)).as("nothing before the start")
                .isEqualTo(-1);
        assertBeatsOnTime(loop, start, 150, "1011", 0, 3, recorded);
    }

    @ParameterizedTest
    @EnumSource(Mix.class)
    void overAddsTheBoardToTheSongAndInsteadMutesIt(Mix mix) throws Exception {
        newPlayer();
        java.util.List<long[]> pieces = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        player.probe = (lineFrame, songSample, frames) -> pieces.add(new long[] {lineFrame, songSample, frames});
        gate.holdAt(0);
        long t0 = clock.nanoTime();
        player.play(Fixtures.source("sine-440-3s.mp3"), 0, t0 + 300 * MS);
        gate.awaitHeld(); // the song's first write (the silence before its start)
        BoardState board = BoardSounds.board(120, "1000", START_US);
        if (mix == Mix.INSTEAD) {
            BoardSounds.event(board, "MIX INSTEAD");
        }
        long start = t0 + 1_300 * MS;
        player.board(board.snapshot(), start);
        runUntil(t0 + 2_900 * MS);

        byte[] recorded = sink.pcm();
        double song = BoardSounds.rms(recorded, 4, frameAt(t0 + 500 * MS), frameAt(start - 50 * MS));
        double after = BoardSounds.rms(recorded, 4, frameAt(start + 250 * MS), frameAt(start + 450 * MS));
        System.out.printf("%s: song RMS %.0f before the board, %.0f after its beat%n", mix, song, after);
        assertThat(song).isGreaterThan(1000);
        if (mix == Mix.OVER) {
            assertThat(after).isBetween(0.8 * song, 1.3 * song);
            // The beat is there, over the song: louder than the song alone at its onset.
            long due = frameAt(start);
            assertThat(BoardSounds.rms(recorded, 4, due, due + 441)).isGreaterThan(song);
            // And on time: take away the song's frames where the player wrote them (its probe says which song
            // sample each piece began with); what is left is the board, at the frame its beat is due.
            assertThat(player.corrections().rateDropped() + player.corrections().rateInserted()).isZero();
            byte[] songPcm = Fixtures.decodeAll(Fixtures.source("sine-440-3s.mp3"), 0);
            byte[] boardOnly = recorded.clone();
            for (long[] piece : pieces) {
                for (long k = 0; k < piece[2] && (piece[0] + k + 1) * 4 <= boardOnly.length; k++) {
                    for (int c = 0; c < 2; c++) {
                        int v = BoardSounds.sample(boardOnly, 4, piece[0] + k, c)
                                - BoardSounds.sample(songPcm, 4, piece[1] + k, c);
                        int b = (int) ((piece[0] + k) * 4 + c * 2);
                        boardOnly[b] = (byte) v;
                        boardOnly[b + 1] = (byte) (v >> 8);
                    }
                }
            }
            BoardRenderer.Loop loop = BoardRenderer.render(board.snapshot(), Player.WARM_FORMAT);
            assertBeatsOnTime(loop, start, 120, "1000", 0, 1, boardOnly);
        } else {
            assertThat(after).isLessThan(0.2 * song);
            // The song is muted: what sounds from the start on is the board alone, on time.
            BoardRenderer.Loop loop = BoardRenderer.render(board.snapshot(), Player.WARM_FORMAT);
            assertBeatsOnTime(loop, start, 120, "1000", 0, 1, recorded);
        }
    }

    @Test
    void stopSilencesTheBoard() throws Exception {
        newPlayer();
        gate.holdAt(0);
        BoardState board = BoardSounds.board(120, "1111", START_US);
        long start = clock.nanoTime() + 300 * MS;
        player.board(board.snapshot(), start);
        gate.awaitHeld();
        runUntil(stepNanos(start, 120, 5) + 100 * MS);
        BoardSounds.event(board, "STOP");
        player.board(board.snapshot(), 0);
        long stoppedAt = sink.recordedFrames(); // what the held write carried was mixed before the stop
        runUntil(stepNanos(start, 120, 9));

        byte[] recorded = sink.pcm();
        assertThat(BoardSounds.firstLoud(recorded, 4, frameAt(stepNanos(start, 120, 4)), stoppedAt))
                .as("the board played until the stop").isNotEqualTo(-1);
        assertThat(RecordingSink.firstNonSilentFrame(java.util.Arrays.copyOfRange(recorded,
                (int) stoppedAt * 4, recorded.length), 4, 0)).as("silence after the stop").isEqualTo(-1);
    }

    @Test
    void aChangedRowIsHeardFromTheNextLoop() throws Exception {
        newPlayer();
        gate.holdAt(0);
        BoardState board = BoardSounds.board(120, "1000", START_US);
        long start = clock.nanoTime() + 300 * MS;
        player.board(board.snapshot(), start);
        gate.awaitHeld();
        BoardRenderer.Loop before = BoardRenderer.render(board.snapshot(), Player.WARM_FORMAT);
        // Halfway through loop 0's column 1, the hat gets column 2 too.
        runUntil(stepNanos(start, 120, 1) + 250 * MS);
        BoardSounds.event(board, "ROW 2 " + BoardSounds.HAT_ROW + " 1010");
        player.board(board.snapshot(), start);
        BoardRenderer.Loop after = BoardRenderer.render(board.snapshot(), Player.WARM_FORMAT);
        runUntil(stepNanos(start, 120, 8) + 500 * MS);

        byte[] recorded = sink.pcm();
        // Loop 0 plays on as it began: column 2 is silent.
        long column2 = frameAt(stepNanos(start, 120, 2));
        assertThat(BoardSounds.firstLoud(recorded, 4, column2, frameAt(stepNanos(start, 120, 3))))
                .as("loop 0 column 2").isEqualTo(-1);
        assertBeatsOnTime(before, start, 120, "1000", 0, 1, recorded);
        // Loop 1 has the new row, on time (loop 0's tail rings under its start).
        byte[] exp = expected(before, start, 120, 4, 0, 1, recorded.length);
        byte[] exp1 = expected(after, start, 120, 4, 1, 2, recorded.length);
        for (int i = 0; i < exp.length; i += 2) {
            int s = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, BoardSounds.sample(exp, 2, i / 2, 0)
                    + BoardSounds.sample(exp1, 2, i / 2, 0)));
            exp[i] = (byte) s;
            exp[i + 1] = (byte) (s >> 8);
        }
        for (int k : new int[] {0, 2}) {
            long due = frameAt(stepNanos(start, 120, 4 + k));
            long off = landed(recorded, exp, due);
            System.out.printf("loop 1 column %d (new row): due at frame %d, landed %+d frames%n", k, due, off);
            assertThat(Math.abs(off)).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    /**
     * On a device whose clock runs 300 ppm fast and whose position reports step and stray by 20 ms (as in
     * DriftCorrectionTest), each loop is placed afresh from the line's filtered position: once the filter has
     * settled ({@link #SETTLE_MS}), every beat is heard within a millisecond of its instant (the song's bound), with
     * no drift building up over the minute.
     */
    @Test
    void beatsStayOnTheLobbysClockOnADriftingNoisyDevice() throws Exception {
        RecordingSink drifting = new RecordingSink(clock).clockPpm(300).noisyPosition(20 * MS, 20 * MS, 7)
                .keepRunning().onWrite(gate);
        player = new Player(() -> drifting, clock, 0, Runnable::run);
        gate.holdAt(0);
        BoardState board = BoardSounds.board(300, "1000", START_US);
        long start = clock.nanoTime() + 500 * MS;
        player.board(board.snapshot(), start);
        gate.awaitHeld();
        int loops = 75; // a minute at 0.8 s a loop
        gate.holdAt(Math.round((60_500 + 500) * 44.1));
        gate.awaitHeld();

        byte[] recorded = drifting.pcm();
        BoardRenderer.Loop loop = BoardRenderer.render(board.snapshot(), Player.WARM_FORMAT);
        long rise = BoardSounds.firstLoud(loop.pcm(), 4, 0, loop.frames());
        double worst = 0;
        for (int i = 0; i < loops; i++) {
            long instant = stepNanos(start, 300, 4L * i);
            long due = truthFrameAt(drifting, instant);
            long heard = BoardSounds.firstLoud(recorded, 4, due - 2_000, due + 2_000) - rise;
            double errorMs = (heard - due) * 1000.0 / 44_100;
            if (instant - start > SETTLE_MS * MS) {
                worst = Math.max(worst, Math.abs(errorMs));
            }
        }
        System.out.printf("300 ppm, reports +-20 ms: after %d s every beat within %.3f ms of its instant%n", SETTLE_MS / 1000, worst);
        assertThat(worst).isLessThanOrEqualTo(1.0);
    }

    private static long truthFrameAt(RecordingSink s, long nanos) {
        long lo = 0;
        long hi = s.recordedFrames();
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (s.soundsAt(mid) < nanos) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
