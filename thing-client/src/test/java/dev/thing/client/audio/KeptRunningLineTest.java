package dev.thing.client.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.sync.FakeClock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A device kept running between songs: opened once (by warm-up or the first song), fed silence, the song's first
 * sample placed in the flowing stream by the line's measured delay. On a fake clock, the line's own silence moves
 * time on by itself, so these tests look at recorded frames and instants, never at how far the clock got.
 */
class KeptRunningLineTest {
    static final long MS = 1_000_000L;
    static final long TIMEOUT_MS = 60_000;

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
            Thread.sleep(1);
        }
    }

    @Test
    void theFirstSampleIsPlacedToPlayAtTheInstant() throws Exception {
        RecordingSink sink = new RecordingSink(clock, 200 * MS).keepRunning().discardPcm();
        player = new Player(() -> sink, clock, 0);
        long start = clock.nanoTime() + 1_000 * MS;
        List<long[]> pieces = new ArrayList<>();
        player.probe = (lineFrame, songSample, frames) -> {
            synchronized (pieces) {
                pieces.add(new long[] {sink.soundsAt(lineFrame), songSample, lineFrame});
            }
        };
        player.play(Fixtures.source("click-track-30s.mp3"), 0, start);
        waitFor(() -> {
            synchronized (pieces) {
                return pieces.size() >= 5;
            }
        });
        player.stop();
        long[] first;
        synchronized (pieces) {
            first = pieces.get(0);
        }
        double error = (first[0] - start) / 1e6;
        System.out.printf("line kept running (200 ms buffer): song sample %d plays %+.3f ms from the instant, after %d"
                + " frames of silence; player measured %+.3f ms%n", first[1], error, first[2],
                player.startErrorNanos() / 1e6);
        assertThat(first[1]).isZero();
        // silence before it: the line was flowing (and its buffer full) when the song came
        assertThat(first[2]).isGreaterThan(44_100 / 2);
        assertThat(Math.abs(error)).isLessThanOrEqualTo(0.05); // one frame is 0.023 ms
        assertThat(sink.events().stream().filter(e -> e.startsWith("open@"))).hasSize(1);
    }

    @Test
    void warmUpOpensADeviceThatKeepsRunningAndFeedsItSilence() throws Exception {
        RecordingSink sink = new RecordingSink(clock).keepRunning().discardPcm();
        player = new Player(() -> sink, clock, 0);
        player.warmUp();
        waitFor(() -> sink.writeCount() > 10);
        assertThat(sink.format()).isEqualTo(Player.WARM_FORMAT);
        assertThat(sink.events()).first().matches(e -> e.startsWith("open@"));
        assertThat(sink.events()).anyMatch(e -> e.startsWith("start@"));
        assertThat(sink.isClosed()).isFalse();
        player.close();
        assertThat(sink.isClosed()).isTrue();
    }

    @Test
    void warmUpLeavesAStandInSinkClosed() throws Exception {
        List<RecordingSink> made = new ArrayList<>();
        player = new Player(() -> {
            RecordingSink s = new RecordingSink(clock);
            synchronized (made) {
                made.add(s);
            }
            return s;
        }, clock, 0);
        player.warmUp();
        waitFor(() -> {
            synchronized (made) {
                return !made.isEmpty() && made.get(0).isClosed();
            }
        });
        assertThat(made.get(0).writeCount()).isZero();
    }

    @Test
    void pauseDiscardsTheSongButTheLineRunsOn() throws Exception {
        RecordingSink sink = new RecordingSink(clock).keepRunning().discardPcm();
        player = new Player(() -> sink, clock, 0);
        player.play(Fixtures.source("long-sweep-180s.mp3"), 0, clock.nanoTime() + 300 * MS);
        waitFor(() -> sink.recordedFrames() > 24_000);
        player.pause();
        assertThat(sink.events()).anyMatch(e -> e.startsWith("flush@"));
        assertThat(sink.isClosed()).isFalse();
        int writes = sink.writeCount();
        waitFor(() -> sink.writeCount() > writes + 10); // silence goes on
        assertThat(player.status().playing()).isFalse();
        assertThat(player.status().title()).isEqualTo("long-sweep-180s.mp3");
    }
}
