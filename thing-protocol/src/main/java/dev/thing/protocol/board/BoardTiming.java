package dev.thing.protocol.board;

/**
 * When a playing board's columns sound. Column k (0-based) of loop i starts at
 * {@code start-us + floor((i * columns + k) * 60_000_000 / bpm)} microseconds on the server's clock: the
 * multiplication comes before the division, so no rounding accumulates over the loops.
 */
public final class BoardTiming {
    public static final long MICROS_PER_MINUTE = 60_000_000L;

    private BoardTiming() {
    }

    /** The instant column {@code step} (counted from the START across loops: i * columns + k) begins. */
    public static long stepStartUs(long startUs, int bpm, long step) {
        return startUs + Math.multiplyExact(step, MICROS_PER_MINUTE) / bpm;
    }

    /** The step (i * columns + k) sounding at {@code nowUs}, or -1 before the start. */
    public static long stepAt(long startUs, int bpm, long nowUs) {
        if (nowUs < startUs) {
            return -1;
        }
        // The largest step whose start is at or before now.
        long step = Math.multiplyExact(nowUs - startUs, (long) bpm) / MICROS_PER_MINUTE;
        while (stepStartUs(startUs, bpm, step + 1) <= nowUs) {
            step++;
        }
        while (step > 0 && stepStartUs(startUs, bpm, step) > nowUs) {
            step--;
        }
        return step;
    }
}
