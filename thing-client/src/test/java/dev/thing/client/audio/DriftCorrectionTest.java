package dev.thing.client.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.sync.FakeClock;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Drift correction against a device like the ones behind ALSA and PulseAudio: its clock runs 300 ppm fast or slow,
 * its position reports move in 20 ms steps and stray by up to 20 ms either way, and it is kept running (silence
 * before the song). Ten minutes of song on a fake clock (it moves only when the player waits for the device), so a
 * run takes seconds. The truth is the sink's own: when each frame really plays, against when the lobby wants the
 * song sample in it.
 */
class DriftCorrectionTest {
    static final long MS = 1_000_000L;
    static final long TIMEOUT_MS = 120_000;
    static final long SONG_MS = 10 * 60 * 1000;
    static final long SETTLE_MS = 60_000;

    final FakeClock clock = new FakeClock();
    Player player;

    @AfterEach
    void closePlayer() {
        if (player != null) {
            player.close();
        }
    }

    /** About ten minutes of the 24 kHz sweep: its MP3 frames repeated. */
    static SongSource tenMinutes() throws Exception {
        byte[] one = Files.readAllBytes(Fixtures.path("long-sweep-180s.mp3"));
        byte[] ten = Mp3Frames.repeat(one, (int) (one.length * (SONG_MS / 180_000.0)) + 10_000);
        return new SongSource() {
            @Override
            public String title() {
                return "ten minutes";
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(ten);
            }
        };
    }

    record Result(double maxAbsDriftMs, double driftAtEndMs, Player.Corrections corrections, double startErrorMs,
                  double firstSampleErrorMs) {
    }

    Result run(double ppm, long seed) throws Exception {
        RecordingSink sink = new RecordingSink(clock).clockPpm(ppm).noisyPosition(20 * MS, 20 * MS, seed)
                .keepRunning().discardPcm();
        player = new Player(() -> sink, clock, 0);
        final int rate = 24_000;
        long start = clock.nanoTime() + 3_000 * MS;
        List<long[]> pieces = new ArrayList<>();
        player.probe = (lineFrame, songSample, frames) -> {
            synchronized (pieces) {
                // when this piece's first frame will really play (the run goes on unbroken while the song plays)
                pieces.add(new long[] {sink.soundsAt(lineFrame), songSample});
            }
        };
        player.play(tenMinutes(), 0, start);
        assertThat(player.awaitEnd(TIMEOUT_MS)).isTrue();
        Player.Corrections c = player.corrections();
        double startError = player.startErrorNanos() / 1e6;
        double max = 0;
        double last = 0;
        double first = Double.NaN;
        synchronized (pieces) {
            for (long[] p : pieces) {
                long plays = p[0];
                assertThat(plays).as("one unbroken run, no underrun").isNotEqualTo(Long.MIN_VALUE);
                double due = start + p[1] * 1e9 / rate; // when the lobby wants song sample p[1] heard
                double drift = (due - plays) / 1e6; // > 0: heard before it is due (ahead)
                if (Double.isNaN(first)) {
                    first = -drift;
                }
                if (plays - start > SETTLE_MS * MS) {
                    max = Math.max(max, Math.abs(drift));
                }
                last = drift;
            }
        }
        player.close();
        return new Result(max, last, c, startError, first);
    }

    void check(double ppm, long seed) throws Exception {
        Result r = run(ppm, seed);
        Player.Corrections c = r.corrections();
        System.out.printf("device %+.0f ppm, reports in 20 ms steps +-20 ms: first sample %+.3f ms from the instant"
                        + " (player measured %+.3f ms); after %d s |drift| <= %.3f ms, at the end %+.3f ms; %d samples"
                        + " dropped, %d repeated; %d jumps (largest %.3f ms)%n", ppm, r.firstSampleErrorMs(),
                r.startErrorMs(), SETTLE_MS / 1000, r.maxAbsDriftMs(), r.driftAtEndMs(), c.rateDropped(),
                c.rateInserted(), c.jumps(), c.largestJumpMs());
        assertThat(r.maxAbsDriftMs()).isLessThanOrEqualTo(1.0);
        assertThat(c.jumps()).as("no correction larger than one sample").isZero();
        // The corrections match the device: 300 ppm of ten minutes is 4320 samples at 24 kHz.
        long net = ppm > 0 ? c.rateInserted() - c.rateDropped() : c.rateDropped() - c.rateInserted();
        assertThat(net).isBetween(3_900L, 4_700L);
        assertThat(Math.abs(r.firstSampleErrorMs())).as("the start, placed by the line's measured delay")
                .isLessThanOrEqualTo(5.0);
    }

    @Test
    void aDevice300PpmFastStaysWithinAMillisecond() throws Exception {
        check(300, 1);
    }

    @Test
    void aDevice300PpmSlowStaysWithinAMillisecond() throws Exception {
        check(-300, 2);
    }
}
