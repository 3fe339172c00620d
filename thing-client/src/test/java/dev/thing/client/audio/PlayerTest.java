package dev.thing.client.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.audio.PlaybackControl.PlayerStatus;
import dev.thing.client.sync.FakeClock;
import dev.thing.client.sync.LocalClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The player against a fake clock (time moves only when someone sleeps) and a recording sink paced by it: start
 * accuracy and positions are asserted on recorded clock values and PCM, never on wall time. Real-time waits are
 * only timeouts, generous for a slow CI.
 */
class PlayerTest {
    static final long MS = 1_000_000L;
    static final long TIMEOUT_MS = 60_000;
    static final int CLICK = Mp3DecoderTest.CLICK_THRESHOLD;

    final FakeClock clock = new FakeClock();
    Player player;

    @AfterEach
    void closePlayer() {
        if (player != null) {
            player.close();
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_MS * MS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(2);
        }
    }

    @Test
    void startsOnTheInstantWithTheSinkOpenedBefore() throws Exception {
        RecordingSink sink = new RecordingSink(clock);
        player = new Player(() -> sink, clock, 0);
        long start = clock.nanoTime() + 500 * MS;
        player.play(Fixtures.source("sine-440-3s.mp3"), 0, start);
        assertThat(player.status().playing()).isTrue();
        assertThat(player.status().title()).isEqualTo("sine-440-3s.mp3");
        assertThat(player.awaitEnd(TIMEOUT_MS)).isTrue();

        long error = sink.firstWriteNanos() - start;
        System.out.printf("scheduled start (fake clock): first PCM %+.3f ms from the instant, sink opened %.1f ms before%n",
                error / 1e6, (start - sink.openedAtNanos()) / 1e6);
        assertThat(Math.abs(error)).isLessThanOrEqualTo(2 * MS);
        assertThat(sink.openedAtNanos()).isLessThan(start);
        assertThat(sink.events()).anyMatch(e -> e.startsWith("start@"));
        // The whole song, from its first sample, and nothing dropped or inserted on the way.
        assertThat(sink.recordedFrames()).isEqualTo(3 * 44_100);
        assertThat(Arrays.equals(sink.pcm(), Fixtures.decodeAll(Fixtures.source("sine-440-3s.mp3"), 0))).isTrue();
        assertThat(player.droppedFrames()).isZero();
        assertThat(player.insertedFrames()).isZero();
        PlayerStatus done = player.status();
        assertThat(done.playing()).isFalse();
        assertThat(done.positionMs()).isEqualTo(3_000);
        assertThat(done.sinkName()).isEqualTo("recording");
        assertThat(sink.isClosed()).isTrue();
    }

    @Test
    void latencyStartsThatMuchEarlier() throws Exception {
        RecordingSink sink = new RecordingSink(clock);
        player = new Player(() -> sink, clock, 80 * MS);
        long start = clock.nanoTime() + 500 * MS;
        player.play(Fixtures.source("click-track-30s.mp3"), 0, start);
        waitFor(() -> sink.writeCount() > 0);
        player.stop();
        assertThat(sink.firstWriteNanos()).isEqualTo(start - 80 * MS);
    }

    @Test
    void aLateStartSkipsTheElapsedTime() throws Exception {
        RecordingSink sink = new RecordingSink(clock);
        player = new Player(() -> sink, clock, 0);
        long now = clock.nanoTime();
        player.play(Fixtures.source("click-track-30s.mp3"), 0, now - 1_500 * MS);
        waitFor(() -> sink.recordedFrames() > 44_100);
        player.stop();
        // Position 1500 ms at the hand-over: the click at 2 s comes 500 ms of frames in.
        long click = sink.firstNonSilentFrame(CLICK);
        System.out.printf("late start: handed over at %+.3f ms, first click at frame %d (expected 22050, %+.3f ms)%n",
                (sink.firstWriteNanos() - now) / 1e6, click, (click - 22_050) * 1000.0 / 44_100);
        assertThat(sink.firstWriteNanos()).isEqualTo(now);
        assertThat(click).isBetween(22_050L - 1152, 22_050L + 1152);
        assertThat(click).isBetween(22_050L - 5, 22_050L + 10); // in fact sample-exact
    }

    @Test
    void startsAtTheSeekPosition() throws Exception {
        RecordingSink sink = new RecordingSink(clock);
        player = new Player(() -> sink, clock, 0);
        long start = clock.nanoTime() + 300 * MS;
        player.play(Fixtures.source("click-track-30s.mp3"), 2_250, start);
        waitFor(() -> sink.recordedFrames() > 44_100);
        assertThat(player.status().positionMs()).isGreaterThanOrEqualTo(2_250);
        player.stop();
        long click = sink.firstNonSilentFrame(CLICK);
        System.out.printf("seek to 2250 ms: first click at frame %d (expected 33075, %+.3f ms)%n",
                click, (click - 33_075) * 1000.0 / 44_100);
        assertThat(sink.firstWriteNanos()).isEqualTo(start);
        assertThat(click).isBetween(33_075L - 5, 33_075L + 10);
    }

    @Test
    void startsStreamingBeforeTheDownloadEnds(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(Fixtures.path("sine-440-3s.mp3"));
        GrowingFileSource source = new GrowingFileSource("Sine", dir.resolve("sine.mp3"));
        CountDownLatch firstWrite = new CountDownLatch(1);
        AtomicBoolean completeAtFirstWrite = new AtomicBoolean(true);
        RecordingSink sink = new RecordingSink(clock).onWrite(w -> {
            if (firstWrite.getCount() > 0) {
                completeAtFirstWrite.set(source.isComplete());
                firstWrite.countDown();
            }
        });
        player = new Player(() -> sink, clock, 0);
        // 8000 bytes (half a second of audio) arrive, then the rest only once playback has begun.
        Thread feeder = StreamingFeeder.start(source.path(), source, bytes, 1000, 8000, firstWrite);
        player.play(source, 0, clock.nanoTime() + 500 * MS);
        assertThat(player.awaitEnd(TIMEOUT_MS)).isTrue();
        feeder.join(TIMEOUT_MS);
        assertThat(firstWrite.getCount()).isZero();
        assertThat(completeAtFirstWrite.get()).isFalse();
        assertThat(source.isComplete()).isTrue();
        byte[] whole = Fixtures.decodeAll(Fixtures.source("sine-440-3s.mp3"), 0);
        assertThat(sink.recordedFrames()).isEqualTo(whole.length / 4);
        assertThat(Arrays.equals(sink.pcm(), whole)).isTrue();
    }

    @Test
    void pauseActsAtOnceAndHoldsThePosition() throws Exception {
        RecordingSink sink = new RecordingSink(clock);
        player = new Player(() -> sink, clock, 0);
        long start = clock.nanoTime() + 250 * MS;
        player.play(Fixtures.source("long-sweep-180s.mp3"), 10_000, start);
        waitFor(() -> sink.writeCount() >= 20);
        player.pause();
        int writes = sink.writeCount();
        long pausedAt = clock.nanoTime();
        Thread.sleep(300);
        assertThat(sink.writeCount()).isEqualTo(writes);
        assertThat(clock.nanoTime()).isEqualTo(pausedAt); // nobody is playing any more
        assertThat(sink.events()).anyMatch(e -> e.startsWith("stop@")).anyMatch(e -> e.startsWith("flush@"));
        assertThat(sink.isClosed()).isTrue();

        PlayerStatus st = player.status();
        assertThat(st.title()).isEqualTo("long-sweep-180s.mp3");
        assertThat(st.playing()).isFalse();
        long lobby = 10_000 + (pausedAt - start) / MS;
        assertThat(st.positionMs()).isBetween(lobby - 150, lobby);
        // What was handed over is the song from 10 s on, about as much as the time played (plus the sink's buffer).
        long handedMs = sink.recordedFrames() * 1000 / 24_000;
        assertThat(handedMs).isBetween(st.positionMs() - 10_000 - 50, st.positionMs() - 10_000 + 250);
        Thread.sleep(50);
        assertThat(player.status()).isEqualTo(st);
    }

    @Test
    void stopActsAtOnceAndForgetsTheSong() throws Exception {
        RecordingSink sink = new RecordingSink(clock);
        player = new Player(() -> sink, clock, 0);
        player.play(Fixtures.source("long-sweep-180s.mp3"), 0, clock.nanoTime() + 250 * MS);
        waitFor(() -> sink.writeCount() >= 10);
        player.stop();
        int writes = sink.writeCount();
        Thread.sleep(300);
        assertThat(sink.writeCount()).isEqualTo(writes);
        PlayerStatus st = player.status();
        assertThat(st.title()).isNull();
        assertThat(st.playing()).isFalse();
        assertThat(st.positionMs()).isZero();
    }

    @Test
    void playReplacesTheSongAndStatusFollowsTheClock() throws Exception {
        RecordingSink first = new RecordingSink(clock);
        RecordingSink second = new RecordingSink(clock);
        RecordingSink[] sinks = {first, second};
        int[] next = {0};
        player = new Player(() -> sinks[next[0]++], clock, 0);
        player.play(Fixtures.source("long-sweep-180s.mp3"), 0, clock.nanoTime() + 250 * MS);
        waitFor(() -> first.writeCount() >= 5);
        long start2 = clock.nanoTime() + 1_000 * MS;
        player.play(Fixtures.source("click-track-30s.mp3"), 5_000, start2);
        assertThat(first.isClosed()).isTrue();
        int firstWrites = first.writeCount();
        assertThat(player.status().title()).isEqualTo("click-track-30s.mp3");
        // The new song's thread may already have slept to its start (the fake clock jumps) and written a little:
        // the position is then 5:00 plus what the clock says has been played since start2, never less, never more.
        long positionMs = player.status().positionMs();
        long playedMs = Math.max(0, (clock.nanoTime() - start2) / MS);
        assertThat(positionMs).isBetween(5_000L, 5_000L + playedMs + 1);
        waitFor(() -> second.writeCount() >= 5);
        player.stop();
        assertThat(first.writeCount()).isEqualTo(firstWrites);
        assertThat(second.firstWriteNanos()).isEqualTo(start2);
    }

    @Test
    void aDeviceFarTooSlowIsCaughtUpByJumps() throws Exception {
        // 1 % slow: far past what a rate change of 500 ppm can follow, so the error grows to 50 ms and is jumped.
        RecordingSink sink = new RecordingSink(clock).clockPpm(-10_000);
        player = new Player(() -> sink, clock, 0);
        player.play(Fixtures.source("click-track-30s.mp3"), 0, clock.nanoTime() + 300 * MS);
        assertThat(player.awaitEnd(TIMEOUT_MS)).isTrue();
        long dropped = player.droppedFrames();
        Player.Corrections c = player.corrections();
        System.out.printf("1 %% slow device: dropped %d frames (%.1f ms) over 30 s in %d jumps (largest %.1f ms),"
                + " %d by rate; final drift %.2f ms%n", dropped, dropped * 1000.0 / 44_100, c.jumps(),
                c.largestJumpMs(), c.rateDropped(), player.status().driftMs());
        // 1 % of 30 s is 300 ms: all of it but what is left under the 50 ms jump bound
        assertThat(dropped * 1000 / 44_100).isBetween(230L, 320L);
        assertThat(c.jumps()).isBetween(3, 8);
        assertThat(c.largestJumpMs()).isBetween(50.0, 60.0);
        assertThat(player.insertedFrames()).isZero();
        assertThat(Math.abs(player.status().driftMs())).isLessThanOrEqualTo(55.0);
        assertThat(sink.recordedFrames() + dropped).isEqualTo(30L * 44_100);
    }

    @Test
    void aDeviceFarTooFastIsHeldBackBySilence() throws Exception {
        RecordingSink sink = new RecordingSink(clock).clockPpm(10_000);
        player = new Player(() -> sink, clock, 0);
        player.play(Fixtures.source("click-track-30s.mp3"), 0, clock.nanoTime() + 300 * MS);
        assertThat(player.awaitEnd(TIMEOUT_MS)).isTrue();
        long inserted = player.insertedFrames();
        Player.Corrections c = player.corrections();
        System.out.printf("1 %% fast device: inserted %d frames (%.1f ms) of silence over 30 s in %d jumps, %d by"
                + " rate%n", inserted, inserted * 1000.0 / 44_100, c.jumps(), c.rateInserted());
        assertThat(inserted * 1000 / 44_100).isBetween(230L, 320L);
        assertThat(c.jumps()).isBetween(3, 8);
        assertThat(player.droppedFrames()).isZero();
        assertThat(sink.recordedFrames() - inserted).isEqualTo(30L * 44_100);
    }

    @Test
    void aFailingSourceEndsTheSongQuietly(@TempDir Path dir) throws Exception {
        RecordingSink sink = new RecordingSink(clock);
        player = new Player(() -> sink, clock, 0);
        SongSource broken = new SongSource() {
            @Override
            public String title() {
                return "Broken";
            }

            @Override
            public InputStream open() throws IOException {
                throw new IOException("disk gone");
            }
        };
        player.play(broken, 0, clock.nanoTime());
        assertThat(player.awaitEnd(TIMEOUT_MS)).isTrue();
        assertThat(player.status().playing()).isFalse();
        assertThat(player.status().title()).isEqualTo("Broken");

        // A download that breaks off halfway through.
        byte[] bytes = Files.readAllBytes(Fixtures.path("sine-440-3s.mp3"));
        GrowingFileSource half = new GrowingFileSource("Half", dir.resolve("half.mp3"));
        Files.write(half.path(), Arrays.copyOf(bytes, 20_000));
        half.written(20_000);
        player.play(half, 0, clock.nanoTime() + 100 * MS);
        waitFor(() -> sink.recordedFrames() > 0);
        half.markFailed();
        assertThat(player.awaitEnd(TIMEOUT_MS)).isTrue();
        assertThat(player.status().playing()).isFalse();

        // Garbage: no crash either, and the player still plays the next song.
        player.play(Fixtures.source("random-bytes.mp3"), 0, clock.nanoTime());
        assertThat(player.awaitEnd(TIMEOUT_MS)).isTrue();
        RecordingSink fresh = new RecordingSink(clock);
        Player again = new Player(() -> fresh, clock, 0);
        again.play(Fixtures.source("sine-440-3s.mp3"), 0, clock.nanoTime() + 100 * MS);
        assertThat(again.awaitEnd(TIMEOUT_MS)).isTrue();
        assertThat(fresh.recordedFrames()).isEqualTo(3 * 44_100);
        again.close();
    }

    /** The real clock, for a real measurement: only a loose bound is asserted (CI machines stall). */
    @Test
    void startAccuracyOnTheRealClock() throws Exception {
        LocalClock real = LocalClock.SYSTEM;
        long[] errors = new long[5];
        for (int i = 0; i < errors.length; i++) {
            RecordingSink sink = new RecordingSink(real);
            Player p = new Player(() -> sink, real, 0);
            long start = real.nanoTime() + 300 * MS;
            p.play(Fixtures.source("sine-440-3s.mp3"), 0, start);
            waitFor(() -> sink.writeCount() > 0);
            p.close();
            errors[i] = sink.firstWriteNanos() - start;
        }
        System.out.println("real clock: first PCM handed over at (us from the instant) "
                + Arrays.toString(Arrays.stream(errors).map(e -> e / 1000).toArray()));
        // Typically tens of microseconds; a loaded 2-CPU box can preempt the spinning thread, so the bound here is
        // loose (the player then drops the samples it is late by: the song stays aligned, only its onset is cut).
        long best = Arrays.stream(errors).map(Math::abs).min().orElseThrow();
        assertThat(best).isLessThan(20 * MS);
        assertThat(Arrays.stream(errors).min().orElseThrow()).isGreaterThanOrEqualTo(0); // never early
    }
}
