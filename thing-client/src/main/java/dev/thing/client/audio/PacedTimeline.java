package dev.thing.client.audio;

import dev.thing.client.sync.LocalClock;

/**
 * The time model of a sink without hardware: a device that plays at exactly the nominal rate of the injected
 * {@link LocalClock}, with a buffer of {@code capacityNanos}. Written frames queue behind each other; when the
 * queue runs dry the device idles (an underrun) and the next write plays from the moment it arrives. Not
 * thread-safe on its own: its sink locks.
 */
final class PacedTimeline {
    private final LocalClock clock;
    private final long capacityNanos;
    private int frameRate;
    /** The device's true rate against its nominal one (1.0003: 300 ppm fast). */
    private double speed = 1;
    private long frames;
    /** The local instant at which everything written so far will have played; meaningless while empty. */
    private long endNanos = Long.MIN_VALUE;
    /** Where the current unbroken run of frames began to play, and {@link #frames} then (no rounding creep). */
    private long originNanos;
    private long originFrames;
    private boolean running = true;
    private long stoppedAtNanos;

    PacedTimeline(LocalClock clock, long capacityNanos) {
        this.clock = clock;
        this.capacityNanos = capacityNanos;
    }

    void open(int frameRate) {
        this.frameRate = frameRate;
        frames = 0;
        endNanos = Long.MIN_VALUE;
    }

    void speed(double speed) {
        this.speed = speed;
    }

    long framesToNanos(long n) {
        if (frameRate == 0) {
            return 0;
        }
        return speed == 1 ? n * 1_000_000_000L / frameRate : (long) (n * 1e9 / (frameRate * speed));
    }

    /**
     * The local instant at which frame {@code frame} (counted from open) starts to play, if it belongs to the
     * current unbroken run; Long.MIN_VALUE otherwise.
     */
    long soundsAt(long frame) {
        if (endNanos == Long.MIN_VALUE || frame < originFrames) {
            return Long.MIN_VALUE;
        }
        return originNanos + framesToNanos(frame - originFrames);
    }

    /** Adds {@code n} frames at the end of the queue; returns the instant until which the writer must wait. */
    long append(long n) {
        long now = clock.nanoTime();
        if (endNanos <= now) { // the queue ran dry (or never started): a new run begins now
            originNanos = now;
            originFrames = frames;
        }
        frames += n;
        endNanos = originNanos + framesToNanos(frames - originFrames);
        return endNanos - capacityNanos;
    }

    long frames() {
        return frames;
    }

    long buffered() {
        if (endNanos == Long.MIN_VALUE) {
            return 0;
        }
        long now = running ? clock.nanoTime() : stoppedAtNanos;
        long left = endNanos - now;
        if (left <= 0) {
            return 0;
        }
        return speed == 1 ? left * frameRate / 1_000_000_000L : (long) (left * frameRate * speed / 1e9);
    }

    void stop() {
        if (running) {
            running = false;
            stoppedAtNanos = clock.nanoTime();
        }
    }

    void start() {
        if (!running) {
            running = true;
            long pausedFor = clock.nanoTime() - stoppedAtNanos;
            if (endNanos > stoppedAtNanos) {
                endNanos += pausedFor;
                originNanos += pausedFor;
            }
        }
    }

    boolean running() {
        return running;
    }

    void flush() {
        endNanos = Long.MIN_VALUE;
        if (!running) {
            stoppedAtNanos = clock.nanoTime();
        }
    }
}
