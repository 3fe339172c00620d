package dev.thing.server.time;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Where the server schedules its timeouts, pings and song ends; tests use {@link ManualClock} instead. */
public interface Timers {
    /** Runs {@code task} after {@code delayNanos}; the returned handle cancels it. */
    Cancellable schedule(Runnable task, long delayNanos);

    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    static Timers over(ScheduledExecutorService executor) {
        return (task, delayNanos) -> {
            ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
