package dev.thing.server.time;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A clock and timer wheel that move only when told to, so tests can play a whole song without sleeping.
 * {@link #advanceMillis} moves time forward and runs, in order, every task that falls due on the way.
 */
public final class ManualClock implements TimeSource, Timers {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.seq));
    private long nanos;
    private final long epochOffsetMicros;
    private long seq;

    public ManualClock(long startEpochMicros) {
        this.epochOffsetMicros = startEpochMicros;
    }

    private static final class Task {
        final long due;
        final long seq;
        final Runnable run;
        volatile boolean cancelled;

        Task(long due, long seq, Runnable run) {
            this.due = due;
            this.seq = seq;
            this.run = run;
        }
    }

    @Override
    public synchronized long epochMicros() {
        return epochOffsetMicros + nanos / 1_000;
    }

    @Override
    public synchronized long monotonicNanos() {
        return nanos;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayNanos) {
        Task t = new Task(nanos + Math.max(0, delayNanos), seq++, task);
        tasks.add(t);
        return () -> t.cancelled = true;
    }

    /** Moves time forward, running every task that falls due (tasks scheduled meanwhile included). */
    public void advanceMillis(long millis) {
        advanceNanos(millis * 1_000_000L);
    }

    public void advanceNanos(long delta) {
        long target;
        synchronized (this) {
            target = nanos + delta;
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due > target) {
                    nanos = target;
                    return;
                }
                tasks.poll();
                nanos = Math.max(nanos, next.due);
            }
            if (!next.cancelled) {
                next.run.run();
            }
        }
    }

    /** The number of tasks still waiting (cancelled ones included until their time passes). */
    public synchronized int pendingTasks() {
        List<Task> live = new ArrayList<>();
        for (Task t : tasks) {
            if (!t.cancelled) {
                live.add(t);
            }
        }
        return live.size();
    }
}
