package dev.thing.client.audio;

import dev.thing.client.sync.LocalClock;
import javax.sound.sampled.AudioFormat;

/**
 * A sink that plays nothing but keeps time: it takes samples at exactly the rate of their format, measured on the
 * injected {@link LocalClock}, with a buffer of {@link #BUFFER_NANOS} like a sound card line. So the player's
 * position, drift control and sync behave as with a real device (used where there is no sound card).
 */
public final class SilentSink implements AudioSink {
    /** How far ahead of the (imaginary) play position a writer may get before {@link #write} blocks. */
    public static final long BUFFER_NANOS = 100_000_000L;

    private final LocalClock clock;
    private final PacedTimeline timeline;
    private final String name;
    private int frameSize;
    private boolean open;

    public SilentSink(LocalClock clock) {
        this(clock, "silent");
    }

    public SilentSink(LocalClock clock, String name) {
        this.clock = clock;
        this.timeline = new PacedTimeline(clock, BUFFER_NANOS);
        this.name = name;
    }

    @Override
    public synchronized void open(AudioFormat fmt) {
        frameSize = Math.max(1, fmt.getFrameSize());
        timeline.open(Math.round(fmt.getFrameRate()));
        open = true;
    }

    @Override
    public int write(byte[] pcm, int off, int len) {
        long waitUntil;
        synchronized (this) {
            if (!open || !timeline.running()) {
                return 0;
            }
            waitUntil = timeline.append(len / frameSize);
        }
        try {
            clock.sleepUntil(waitUntil);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return len - len % frameSize;
    }

    @Override
    public synchronized void start() {
        timeline.start();
    }

    @Override
    public synchronized void stop() {
        timeline.stop();
    }

    @Override
    public synchronized void flush() {
        timeline.flush();
    }

    @Override
    public synchronized long writtenFrames() {
        return timeline.frames();
    }

    @Override
    public synchronized long bufferedFrames() {
        return timeline.buffered();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void close() {
        open = false;
        timeline.flush();
    }
}
