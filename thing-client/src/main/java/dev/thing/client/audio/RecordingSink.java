package dev.thing.client.audio;

import dev.thing.client.sync.LocalClock;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sound.sampled.AudioFormat;

/**
 * A sink for tests: it keeps every write (the {@link LocalClock#nanoTime()} at which it was handed over, its first
 * frame's index and a copy of the PCM). Paced like {@link SilentSink} by the injected clock (with a fake clock,
 * the wait just moves the fake time on), or not paced at all. It can also under-report
 * {@link #writtenFrames()}, like a device whose clock runs slow, to exercise drift correction.
 */
public class RecordingSink implements AudioSink {
    /** One {@link #write}: when, where in the sink's frame count, and what. */
    public record Write(long nanos, long frameIndex, byte[] pcm) {
    }

    private final LocalClock clock;
    private final PacedTimeline timeline;
    private final boolean paced;
    private final List<Write> writes = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private volatile Consumer<Write> onWrite = w -> { };
    private double underReport;
    private AudioFormat format;
    private int frameSize = 4;
    private long openedAtNanos = -1;
    private boolean open;
    private boolean closed;

    /** Paced like a device with a {@code bufferNanos} buffer; {@code bufferNanos < 0} means not paced. */
    public RecordingSink(LocalClock clock, long bufferNanos) {
        this.clock = clock;
        this.paced = bufferNanos >= 0;
        this.timeline = new PacedTimeline(clock, Math.max(0, bufferNanos));
    }

    /** Paced with {@link SilentSink#BUFFER_NANOS}. */
    public RecordingSink(LocalClock clock) {
        this(clock, SilentSink.BUFFER_NANOS);
    }

    /** Reports {@code fraction} fewer frames than it was given (0.01: a device 1 % slow). */
    public synchronized RecordingSink underReporting(double fraction) {
        this.underReport = fraction;
        return this;
    }

    /** Called (on the writing thread) after each write is recorded. */
    public RecordingSink onWrite(Consumer<Write> listener) {
        this.onWrite = listener;
        return this;
    }

    @Override
    public synchronized void open(AudioFormat fmt) {
        format = fmt;
        frameSize = Math.max(1, fmt.getFrameSize());
        timeline.open(Math.round(fmt.getFrameRate()));
        openedAtNanos = clock.nanoTime();
        open = true;
        events.add("open@" + openedAtNanos);
    }

    @Override
    public int write(byte[] pcm, int off, int len) {
        Write w;
        long waitUntil;
        synchronized (this) {
            if (!open || !timeline.running()) {
                return 0;
            }
            int n = len - len % frameSize;
            byte[] copy = new byte[n];
            System.arraycopy(pcm, off, copy, 0, n);
            w = new Write(clock.nanoTime(), timeline.frames(), copy);
            writes.add(w);
            waitUntil = timeline.append(n / frameSize);
        }
        onWrite.accept(w);
        if (paced) {
            try {
                clock.sleepUntil(waitUntil);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return w.pcm().length;
    }

    @Override
    public synchronized void start() {
        timeline.start();
        events.add("start@" + clock.nanoTime());
    }

    @Override
    public synchronized void stop() {
        timeline.stop();
        events.add("stop@" + clock.nanoTime());
    }

    @Override
    public synchronized void flush() {
        timeline.flush();
        events.add("flush@" + clock.nanoTime());
    }

    @Override
    public synchronized long writtenFrames() {
        long frames = timeline.frames();
        return frames - (long) (frames * underReport);
    }

    @Override
    public synchronized long bufferedFrames() {
        return paced ? timeline.buffered() : 0;
    }

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public synchronized void close() {
        open = false;
        closed = true;
        events.add("close@" + clock.nanoTime());
    }

    public synchronized List<Write> writes() {
        return List.copyOf(writes);
    }

    public synchronized int writeCount() {
        return writes.size();
    }

    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    public synchronized AudioFormat format() {
        return format;
    }

    /** The clock at {@link #open}, or -1. */
    public synchronized long openedAtNanos() {
        return openedAtNanos;
    }

    /** The clock at the first write, or -1. */
    public synchronized long firstWriteNanos() {
        return writes.isEmpty() ? -1 : writes.get(0).nanos();
    }

    /** Every recorded byte, in order. */
    public synchronized byte[] pcm() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Write w : writes) {
            out.write(w.pcm(), 0, w.pcm().length);
        }
        return out.toByteArray();
    }

    /** Frames actually recorded (not under-reported). */
    public synchronized long recordedFrames() {
        return timeline.frames();
    }

    /**
     * The index of the first frame in which some channel's 16-bit sample exceeds {@code threshold} in magnitude,
     * or -1 if none does.
     */
    public synchronized long firstNonSilentFrame(int threshold) {
        return firstNonSilentFrame(pcm(), frameSize, threshold);
    }

    /** As {@link #firstNonSilentFrame(int)}, over any 16-bit little-endian PCM. */
    public static long firstNonSilentFrame(byte[] pcm, int frameSize, int threshold) {
        for (int i = 0; i + 1 < pcm.length; i += 2) {
            int sample = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
            if (Math.abs(sample) > threshold) {
                return i / frameSize;
            }
        }
        return -1;
    }
}
