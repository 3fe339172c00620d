package dev.thing.client.audio;

import dev.thing.client.sync.LocalClock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The real sink: a JavaSound {@link SourceDataLine}. Where the machine has no usable line (no sound card, a
 * headless server, the device busy) it falls back to a {@link SilentSink}, so playback keeps time silently, and
 * says so once per process: {@value #NO_DEVICE_WARNING}.
 */
public final class JavaSoundSink implements AudioSink {
    public static final String NO_DEVICE_WARNING = "no audio device: playing silently (keeping time)";
    /** The line's buffer: enough to ride out a GC pause, short enough for a prompt pause. */
    public static final long LINE_BUFFER_NANOS = 200_000_000L;

    private static final Logger LOG = LogManager.getLogger(JavaSoundSink.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private final LocalClock clock;
    private final Consumer<String> warn;
    private volatile SourceDataLine line;
    private volatile AudioSink fallback;
    private int frameSize = 4;
    private volatile long written;

    private JavaSoundSink(LocalClock clock, Consumer<String> warn) {
        this.clock = clock;
        this.warn = warn;
    }

    /**
     * A JavaSound sink if this machine offers a 16-bit PCM output line, otherwise a {@link SilentSink} (with the one
     * warning). Never throws.
     */
    public static AudioSink openBest(LocalClock clock, Consumer<String> warn) {
        try {
            AudioFormat probe = new AudioFormat(44_100f, 16, 2, true, false);
            if (AudioSystem.isLineSupported(new DataLine.Info(SourceDataLine.class, probe))) {
                return new JavaSoundSink(clock, warn);
            }
        } catch (Throwable e) { // NOPMD: a broken sound system (no native libs, a bad provider) must not stop us
            LOG.debug("no JavaSound output", e);
        }
        warnOnce(warn);
        return new SilentSink(clock, "silent (no audio device)");
    }

    private static void warnOnce(Consumer<String> warn) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn(NO_DEVICE_WARNING);
            warn.accept(NO_DEVICE_WARNING);
        }
    }

    /** For tests: lets the next fallback warn again. */
    static void resetWarning() {
        WARNED.set(false);
    }

    @Override
    public void open(AudioFormat fmt) {
        frameSize = Math.max(1, fmt.getFrameSize());
        try {
            SourceDataLine l = AudioSystem.getSourceDataLine(fmt);
            int bytes = (int) (fmt.getFrameRate() * LINE_BUFFER_NANOS / 1_000_000_000L) * frameSize;
            l.open(fmt, bytes);
            line = l;
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            LOG.debug("could not open an output line for {}", fmt, e);
            warnOnce(warn);
            AudioSink silent = new SilentSink(clock, "silent (no audio device)");
            silent.open(fmt);
            fallback = silent;
        }
    }

    @Override
    public int write(byte[] pcm, int off, int len) {
        AudioSink f = fallback;
        if (f != null) {
            return f.write(pcm, off, len);
        }
        SourceDataLine l = line;
        if (l == null) {
            return 0;
        }
        int n = l.write(pcm, off, len - len % frameSize);
        written += n / frameSize;
        return n;
    }

    @Override
    public void start() {
        if (fallback != null) {
            fallback.start();
        } else if (line != null) {
            line.start();
        }
    }

    @Override
    public void stop() {
        if (fallback != null) {
            fallback.stop();
        } else if (line != null) {
            line.stop();
        }
    }

    @Override
    public void flush() {
        if (fallback != null) {
            fallback.flush();
        } else if (line != null) {
            line.flush();
            // What was discarded never plays: the next frame written is the one at the play position.
            written = Math.max(0, line.getLongFramePosition());
        }
    }

    @Override
    public long playedFrames() {
        AudioSink f = fallback;
        if (f != null) {
            return f.playedFrames();
        }
        SourceDataLine l = line;
        return l == null ? 0 : l.getLongFramePosition();
    }

    /** A real line is kept running (silence between songs), unless it fell back to a silent sink. */
    @Override
    public boolean keepsRunning() {
        return fallback == null;
    }

    @Override
    public long writtenFrames() {
        AudioSink f = fallback;
        return f != null ? f.writtenFrames() : written;
    }

    @Override
    public long bufferedFrames() {
        AudioSink f = fallback;
        if (f != null) {
            return f.bufferedFrames();
        }
        SourceDataLine l = line;
        return l == null ? 0 : Math.max(0, written - l.getLongFramePosition());
    }

    @Override
    public String name() {
        AudioSink f = fallback;
        if (f != null) {
            return f.name();
        }
        SourceDataLine l = line;
        return l == null ? "javasound" : "javasound " + l.getLineInfo();
    }

    @Override
    public void close() {
        AudioSink f = fallback;
        if (f != null) {
            f.close();
        }
        SourceDataLine l = line;
        if (l != null) {
            l.close();
        }
    }
}
