package dev.thing.server.time;

/**
 * The server's two clocks, injected everywhere time matters so that tests never sleep:
 * wall time for the wire (microseconds since the Unix epoch) and a monotonic clock for durations.
 */
public interface TimeSource {
    /** Wall-clock time in microseconds since the Unix epoch, as sent in {@code TIME} and {@code PLAY}. */
    long epochMicros();

    /** A monotonic clock in nanoseconds, for measuring intervals (RTT, timeouts). */
    long monotonicNanos();

    /** The real clocks of this machine. */
    TimeSource SYSTEM = new TimeSource() {
        @Override
        public long epochMicros() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        }

        @Override
        public long monotonicNanos() {
            return System.nanoTime();
        }
    };
}
