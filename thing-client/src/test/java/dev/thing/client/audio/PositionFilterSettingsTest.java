package dev.thing.client.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The settings for precise reports (PulseAudio's stream time): a step in the device's position (the server changed
 * its sink's latency) is followed in seconds, not minutes, while 1 ms of noise is still averaged out.
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

    @Test
    void preciseSettingsStillAverageTheNoise() {
        double e = errorMsAfter(new PositionFilter(RATE, PositionFilter.Settings.PRECISE), 0, 0, 30_000);
        assertThat(Math.abs(e)).isLessThan(0.1);
    }
}
