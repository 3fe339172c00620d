package dev.thing.client.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The settings for precise reports: a step in the device's position (the server changed its sink's latency) is
 * followed in seconds, not minutes, while 1 ms of noise is still averaged out; and for stamped ones (PulseAudio's
 * timing reports), a device whose rate moves is followed within a second or two.
 */
class PositionFilterSettingsTest {
    static final int RATE = 44_100;
    static final long MS = 1_000_000L;

    /** Reports every 10 ms for {@code seconds}, with +-1 ms uniform noise; position offset by {@code stepMs} after {@code stepAt}. */
    private static double errorMsAfter(PositionFilter f, double stepMs, long stepAtMs, long untilMs) {
        Random r = new Random(7);
        long t0 = 1_000_000_000_000L;
        for (long ms = 0; ms <= untilMs; ms += 10) {
            double truth = ms * RATE / 1000.0 + (ms >= stepAtMs ? stepMs * RATE / 1000.0 : 0);
            double noisy = truth + (r.nextDouble() * 2 - 1) * RATE / 1000.0;
            f.add(t0 + ms * MS, Math.round(noisy));
        }
        double truthNow = untilMs * RATE / 1000.0 + stepMs * RATE / 1000.0;
        return (f.positionAt(t0 + untilMs * MS) - truthNow) * 1000.0 / RATE;
    }

    @Test
    void preciseSettingsFollowALargeStepAtOnce() {
        // 20 s of play, then the position moves 30 ms: past the 20 ms outlier bound, the fit starts again
        double e = errorMsAfter(new PositionFilter(RATE, PositionFilter.Settings.PRECISE), 30, 20_000, 21_000);
        assertThat(Math.abs(e)).isLessThan(0.5);
    }

    @Test
    void preciseSettingsForgetASmallStepWithinTheirWindow() {
        PositionFilter precise = new PositionFilter(RATE, PositionFilter.Settings.PRECISE);
        PositionFilter noisy = new PositionFilter(RATE, PositionFilter.Settings.NOISY);
        // a 4 ms step (well inside the outlier bound) after 60 s, looked at 16 s later
        double ePrecise = errorMsAfter(precise, 4, 60_000, 76_000);
        double eNoisy = errorMsAfter(noisy, 4, 60_000, 76_000);
        assertThat(Math.abs(ePrecise)).isLessThan(0.3);
        assertThat(Math.abs(eNoisy)).isGreaterThan(1.0); // the two-minute window still remembers it
    }

    /**
     * A device whose clock runs 500 ppm fast, then within 2 s 3000 ppm fast (a PulseAudio null sink on a machine
     * that gets busy), reported every 50 ms with +-20 us of noise and every 25th report stamped 2.5 ms late: the error
     * of the estimate 50 ms ahead (where the next frame written plays), {@code atMs} into the run.
     */
    private static double bendingLineErrorMs(PositionFilter f, long atMs) {
        Random r = new Random(11);
        long t0 = 1_000_000_000_000L;
        double frames = 0;
        int n = 0;
        for (long ms = 0; ms <= atMs; ms += 50) {
            double ppm = ms < 10_000 ? 500 : ms < 12_000 ? 500 + 2500 * (ms - 10_000) / 2000.0 : 3000;
            double reportedAtMs = ms + (++n % 25 == 0 ? 2.5 : 0) + (r.nextDouble() * 2 - 1) * 0.02;
            f.add(t0 + Math.round(reportedAtMs * MS), Math.round(frames));
            frames += 50 * RATE / 1000.0 * (1 + ppm * 1e-6);
        }
        // frames is now the truth at atMs + 50
        return (f.positionAt(t0 + (atMs + 50) * MS) - frames) * 1000.0 / RATE;
    }

    @Test
    void stampedSettingsFollowADeviceWhoseRateMoves() {
        double stamped = bendingLineErrorMs(new PositionFilter(RATE, PositionFilter.Settings.STAMPED), 14_000);
        double precise = bendingLineErrorMs(new PositionFilter(RATE, PositionFilter.Settings.PRECISE), 14_000);
        System.out.printf("bending line: stamped %+.3f ms, precise %+.3f ms%n", stamped, precise);
        assertThat(Math.abs(stamped)).isLessThan(0.2);
        assertThat(Math.abs(precise)).isGreaterThan(1.0); // 15 s of a bending line averaged into a straight one
        // and before the bend, from 1 s of reports on, the slope (500 ppm) is fitted
        double early = bendingLineErrorMs(new PositionFilter(RATE, PositionFilter.Settings.STAMPED), 1_500);
        assertThat(Math.abs(early)).isLessThan(0.1);
    }

    @Test
    void preciseSettingsStillAverageTheNoise() {
        double e = errorMsAfter(new PositionFilter(RATE, PositionFilter.Settings.PRECISE), 0, 0, 30_000);
        assertThat(Math.abs(e)).isLessThan(0.1);
    }
}
