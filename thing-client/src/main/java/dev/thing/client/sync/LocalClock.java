package dev.thing.client.sync;

/** The client's own clock, injected so that tests control time. */
public interface LocalClock {
    /** Monotonic nanoseconds (System.nanoTime on the real clock). */
    long nanoTime();

    /** Wall-clock microseconds since the epoch, used only to stamp TIME samples. */
    long epochMicros();

    /** Sleeps until {@code nanoTime() >= deadline} (the real clock sleeps, then spins the last ~2 ms). */
    void sleepUntil(long deadlineNanos) throws InterruptedException;

    LocalClock SYSTEM = new LocalClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochMicros() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        }

        @Override
        public void sleepUntil(long deadlineNanos) throws InterruptedException {
            while (true) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                if (left > 2_000_000L) {
                    Thread.sleep((left - 2_000_000L) / 1_000_000L, 0);
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    };
}
