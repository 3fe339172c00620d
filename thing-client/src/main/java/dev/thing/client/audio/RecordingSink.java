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
 * the wait just moves the fake time on), or not paced at all. To exercise drift correction it can also play like
 * a real device: with a clock that runs some ppm fast or slow ({@link #clockPpm}), with position reports that move
 * in steps and stray at random ({@link #noisyPosition}), and kept running between songs ({@link #keepRunning}).
 * {@link #soundsAt} tells the truth a real device hides: when a frame actually plays.
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
    private long stepFrames;
    private long noiseFrames;
    private java.util.Random noise;
    private long stepNanos;
    private long noiseNanos;
    private double ppm;
    private boolean keepRunning;
    private boolean keepPcm = true;
    private long recorded;
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

    /** Its clock runs {@code ppm} parts per million fast (negative: slow) against the injected clock. */
    public synchronized RecordingSink clockPpm(double ppm) {
        this.ppm = ppm;
        timeline.speed(1 + ppm / 1e6);
        return this;
    }

    /**
     * Its position reports ({@link #playedFrames()}) move in steps of {@code stepNanos} (the true position rounded
     * to a step boundary at a random phase, as a device's periods fall at any moment against the reads: unbiased)
     * and stray by up to {@code noiseNanos} either way (uniformly, from a seeded generator). A bias, constant, would
     * be invisible to any filter: that is what {@code --latency} is for.
     */
    public synchronized RecordingSink noisyPosition(long stepNanos, long noiseNanos, long seed) {
        this.stepNanos = stepNanos;
        this.noiseNanos = noiseNanos;
        this.noise = new java.util.Random(seed);
        return this;
    }

    /** Asks the player to keep it running between songs, like a real device ({@link #keepsRunning()}). */
    public synchronized RecordingSink keepRunning() {
        this.keepRunning = true;
        return this;
    }

    /** Does not keep a copy of the PCM (for long runs); {@link #pcm()} is then empty. */
    public synchronized RecordingSink discardPcm() {
        this.keepPcm = false;
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
        if (stepNanos > 0 || noiseNanos > 0) {
            long rate = Math.round(fmt.getFrameRate());
            stepFrames = Math.max(1, stepNanos * rate / 1_000_000_000L);
            noiseFrames = noiseNanos * rate / 1_000_000_000L;
        }
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
            byte[] copy = new byte[keepPcm ? n : 0];
            System.arraycopy(pcm, off, copy, 0, copy.length);
            w = new Write(clock.nanoTime(), timeline.frames(), copy);
            writes.add(w);
            recorded += n / frameSize;
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
        return len - len % frameSize;
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
    public synchronized long playedFrames() {
        long played = writtenFrames() - bufferedFrames();
        if (noise == null) {
            return played;
        }
        // The device's period boundaries fall at any phase against our reads: steps of stepFrames, unbiased.
        double phase = (noise.nextDouble() - 0.5) * stepFrames;
        long stepped = Math.round((played + phase) / stepFrames) * stepFrames;
        long stray = noiseFrames == 0 ? 0 : Math.round((noise.nextDouble() * 2 - 1) * noiseFrames);
        return stepped + stray;
    }

    @Override
    public synchronized boolean keepsRunning() {
        return keepRunning;
    }

    /**
     * The truth: the local instant at which frame {@code frame} (counted from open) starts to play, given the
     * sink's own clock rate; Long.MIN_VALUE if it is not in the run now playing (written before an underrun or a
     * flush, or not written yet... a frame not yet written is extrapolated).
     */
    public synchronized long soundsAt(long frame) {
        return timeline.soundsAt(frame);
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
        return recorded;
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
