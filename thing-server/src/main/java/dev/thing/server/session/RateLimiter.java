package dev.thing.server.session;

import dev.thing.server.time.TimeSource;

/**
 * A token bucket per connection: a burst of commands goes through at once, then they are admitted at a steady
 * rate. The caller slows the client down (stops reading its socket) for {@link #take()}'s answer; nothing is
 * dropped.
 */
final class RateLimiter {
    private final double burst;
    private final double perNano;
    private final TimeSource time;
    private double tokens;
    private long last;

    RateLimiter(int burst, double perSecond, TimeSource time) {
        this.burst = burst;
        this.perNano = perSecond / 1e9;
        this.time = time;
        this.tokens = burst;
        this.last = time.monotonicNanos();
    }

    /** Takes one token; returns 0, or how many nanoseconds the client must wait before its next command. */
    synchronized long take() {
        long now = time.monotonicNanos();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        tokens -= 1;
        if (tokens >= 0) {
            return 0;
        }
        return (long) Math.ceil(-tokens / perNano);
    }
}
