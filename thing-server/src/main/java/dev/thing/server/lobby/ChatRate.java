package dev.thing.server.lobby;

/**
 * A member's chat allowance: {@link #BURST} lines at once, then one every {@link #INTERVAL_SECONDS} s (a token
 * bucket). A line past it is refused (ERROR LIMIT), not held back: a chat line that arrives late is worse than
 * one the speaker knows to repeat.
 */
final class ChatRate {
    static final int BURST = 5;
    static final int INTERVAL_SECONDS = 1;
    private static final long INTERVAL_NANOS = INTERVAL_SECONDS * 1_000_000_000L;

    private double tokens = BURST;
    private long last = Long.MIN_VALUE;

    /** Takes a token at {@code nowNanos}: 0 when the line may go, else how many nanoseconds until one may. */
    synchronized long take(long nowNanos) {
        if (last != Long.MIN_VALUE) {
            tokens = Math.min(BURST, tokens + (double) (nowNanos - last) / INTERVAL_NANOS);
        }
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) * INTERVAL_NANOS);
    }
}
