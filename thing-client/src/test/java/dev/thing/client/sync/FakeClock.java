package dev.thing.client.sync;

/**
 * A {@link LocalClock} for tests: time stands still until someone calls {@link #sleepUntil} (which jumps straight
 * to the deadline) or {@link #advance}. Nothing that uses it depends on the machine's speed. Thread-safe.
 */
public final class FakeClock implements LocalClock {
    private long nanos;
    private long wallOffsetMicros;

    public FakeClock(long startNanos, long epochMicrosAtStart) {
        this.nanos = startNanos;
        this.wallOffsetMicros = epochMicrosAtStart - startNanos / 1000;
    }

    public FakeClock() {
        this(1_000_000_000_000L, 1_750_000_000_000_000L);
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized long epochMicros() {
        return nanos / 1000 + wallOffsetMicros;
    }

    @Override
    public void sleepUntil(long deadlineNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        synchronized (this) {
            if (deadlineNanos > nanos) {
                nanos = deadlineNanos;
            }
        }
    }

    public synchronized void advance(long deltaNanos) {
        nanos += deltaNanos;
    }

    /** Steps the wall clock (not the monotonic one), like an NTP step would. */
    public synchronized void stepWall(long deltaMicros) {
        wallOffsetMicros += deltaMicros;
    }
}
