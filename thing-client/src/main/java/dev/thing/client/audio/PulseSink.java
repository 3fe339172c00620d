package dev.thing.client.audio;

import dev.thing.client.audio.PulseApi.PulseException;
import dev.thing.client.sync.LocalClock;
import java.util.Locale;
import java.util.function.Consumer;
import javax.sound.sampled.AudioFormat;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A sink that plays through a PulseAudio playback stream ({@link PulseApi}; {@link JnaPulse} is libpulse itself),
 * and knows what has really been heard: its play position comes from the server's own timing reports (asked for
 * every {@link #TIMING_REQUEST_NANOS}, 50 ms): the stream's read index with the sink's latency taken off, at the
 * instant the server measured it (its wall clock, mapped onto the local monotonic clock). Each such report is an
 * exact point of the stream's line ({@link #nextTimedPosition()}); libpulse's own interpolated time
 * ({@code pa_stream_get_time}) is only used before the first report. That is what Java Sound through ALSA's pulse
 * plugin cannot tell (its frame position counts what the server accepted, not what it played), and what
 * {@link PositionFilter}, the drift correction and the placing of a song's first sample need.
 *
 * <p>The stream asks for {@link #TARGET_LATENCY_NANOS} (50 ms) of buffering in all, is kept running (silence between
 * songs, see {@link OutputLine}), and frames are counted from the stream's start: frame {@code n} of what is written
 * plays when the stream time reaches {@code n / rate}. A flush discards what is not yet played and moves the count to
 * the server's write index, so the next frame written is still frame {@link #writtenFrames()}.
 *
 * <p>Where the server cannot be reached when the sink is opened, or the stream fails while playing, the sink says so
 * (once) and goes on as a {@link SilentSink}, keeping time, so the client never stops over its sound.
 */
public final class PulseSink implements AudioSink {
    /** The buffering asked of the sound server: the whole path, the server's own buffer included. */
    public static final long TARGET_LATENCY_NANOS = 50_000_000L;
    /** How long the server may take to answer when the stream is opened. */
    public static final long CONNECT_TIMEOUT_MS = 3_000;
    /** A blocked write looks again (stop, flush, close, interrupt) at least this often. */
    static final long WAIT_NANOS = 20_000_000L;
    /**
     * The stream's time counts as steady once it has kept pace with the local clock for this long: only then is the
     * position known. A sound server that has just started the stream, or a sink still idle (PulseAudio's null sink
     * renders in 2 s blocks until it runs), reports a time that holds and then jumps; such reports kept in the
     * position filter put the first song's start hundreds of ms off.
     */
    static final long STEADY_NANOS = 500_000_000L;
    /** A stream time further than this from where the local clock says it should be is a step: steady again from there. */
    static final long STEP_NANOS = 5_000_000L;
    /**
     * The reference of the steadiness check moves on this often, so that the stream's rate error never adds up to a
     * step (a null sink's clock may run some thousand ppm fast on a loaded machine).
     */
    static final long STEADY_REANCHOR_NANOS = 250_000_000L;
    /** Reports off the steady line that are only left out, in a row, before the time counts as stepped. */
    static final int STEP_SUSPECTS = 2;
    /** A fresh timing report is asked of the server at most this often (a round trip each; 20 a second). */
    static final long TIMING_REQUEST_NANOS = 50_000_000L;
    /** The library's interpolated time is compared with the server's reports (in the log) this often. */
    static final long COMPARE_LOG_NANOS = 10_000_000_000L;

    private static final Logger LOG = LogManager.getLogger(PulseSink.class);

    private final PulseApi api;
    private final LocalClock clock;
    private final Consumer<String> warn;
    private volatile PulseApi.Stream stream;
    private volatile AudioSink fallback;
    private AudioFormat format;
    private int frameSize = 4;
    private int rate = 44_100;
    private volatile long written;
    private volatile long lastPlayed;
    private volatile boolean stopped;
    private volatile boolean closed;
    private volatile long flushes;
    // Steadiness of the stream's time: a reference read (local ns, stream us) and since when it kept pace.
    private long anchorNanos = Long.MIN_VALUE;
    private long anchorMicros;
    private long steadySince;
    private volatile boolean steady;
    private long steps;
    private int suspects;
    // The server's timing reports: when the last was asked for, the last one taken (its wall-clock stamp), and
    // the newest one on the local clock (heard frames at a local instant), not yet handed to the line.
    private long requestedAt = Long.MIN_VALUE / 2;
    private long reportEpochMicros = Long.MIN_VALUE;
    private volatile long reportNanos = Long.MIN_VALUE;
    private volatile long reportFrames;
    private TimedPosition unread;
    private long reports;
    private long comparedAt = Long.MIN_VALUE / 2;

    public PulseSink(PulseApi api, LocalClock clock, Consumer<String> warn) {
        this.api = api;
        this.clock = clock;
        this.warn = warn;
    }

    @Override
    public void open(AudioFormat fmt) {
        format = fmt;
        frameSize = Math.max(1, fmt.getFrameSize());
        rate = Math.round(fmt.getFrameRate());
        int bytes = (int) (rate * TARGET_LATENCY_NANOS / 1_000_000_000L) * frameSize;
        try {
            stream = api.openPlayback("THING", rate, fmt.getChannels(), bytes, CONNECT_TIMEOUT_MS);
            LOG.info("PulseAudio stream open on {} ({} Hz, {} channels, {} ms asked)", stream.describe(), rate,
                    fmt.getChannels(), TARGET_LATENCY_NANOS / 1_000_000);
        } catch (PulseException e) {
            fallBack("cannot play through PulseAudio (" + e.getMessage() + "): playing silently (keeping time)");
        }
    }

    private synchronized void fallBack(String why) {
        if (fallback != null) {
            return;
        }
        LOG.warn(why);
        warn.accept(why);
        AudioSink silent = new SilentSink(clock, "silent (PulseAudio unavailable)");
        if (format != null) {
            silent.open(format);
        }
        if (!stopped) {
            silent.start();
        }
        PulseApi.Stream s = stream;
        stream = null;
        fallback = silent;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a failed PulseAudio stream", e);
            }
        }
    }

    @Override
    public int write(byte[] pcm, int off, int len) {
        int whole = len - len % frameSize;
        int taken = 0;
        long generation = flushes;
        while (taken < whole) {
            AudioSink f = fallback;
            if (f != null) {
                return taken + f.write(pcm, off + taken, whole - taken);
            }
            PulseApi.Stream s = stream;
            if (s == null || closed || stopped || generation != flushes || Thread.currentThread().isInterrupted()) {
                break;
            }
            int n;
            try {
                n = s.awaitWritable(WAIT_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (PulseException e) {
                fallBack("the PulseAudio stream failed (" + e.getMessage() + "): playing silently (keeping time)");
                continue;
            }
            int m = Math.min(n - n % frameSize, whole - taken);
            if (m <= 0) {
                continue;
            }
            synchronized (this) {
                if (generation != flushes || closed || stream != s) {
                    break;
                }
                try {
                    s.write(pcm, off + taken, m);
                } catch (PulseException e) {
                    fallBack("the PulseAudio stream failed (" + e.getMessage() + "): playing silently (keeping time)");
                    continue;
                }
                written += m / frameSize;
            }
            taken += m;
        }
        return taken;
    }

    @Override
    public void start() {
        stopped = false;
        AudioSink f = fallback;
        if (f != null) {
            f.start();
            return;
        }
        cork(false);
    }

    @Override
    public void stop() {
        stopped = true;
        AudioSink f = fallback;
        if (f != null) {
            f.stop();
            return;
        }
        cork(true);
    }

    private void cork(boolean paused) {
        PulseApi.Stream s = stream;
        if (s == null || closed) {
            return;
        }
        try {
            s.cork(paused);
            s.wake();
        } catch (PulseException e) {
            LOG.debug("cork({})", paused, e);
        }
    }

    @Override
    public void flush() {
        AudioSink f = fallback;
        if (f != null) {
            f.flush();
            return;
        }
        PulseApi.Stream s = stream;
        if (s == null || closed) {
            return;
        }
        synchronized (this) {
            flushes++;
            try {
                long index = s.flush();
                written = index / frameSize;
            } catch (PulseException e) {
                LOG.debug("flush", e);
                // what was discarded counts as played, as best known
                written = Math.max(written - bufferedFrames(), 0);
            }
        }
        s.wake();
    }

    @Override
    public long writtenFrames() {
        AudioSink f = fallback;
        return f != null ? f.writtenFrames() : written;
    }

    /**
     * Frames heard so far: from the server's newest timing report (its position then, moved on at the nominal
     * rate to now). After an underrun this can be more than was written (the stream played silence meanwhile, and
     * what is written for those frames is dropped by the server): the position stays on its line. Before the
     * first report, the library's interpolated stream time; while the server has not reported at all, the last
     * known position (0 at the start).
     */
    @Override
    public long playedFrames() {
        AudioSink f = fallback;
        if (f != null) {
            return f.playedFrames();
        }
        PulseApi.Stream s = stream;
        if (s == null) {
            return lastPlayed;
        }
        long now = clock.nanoTime();
        poll(s, now);
        long at = reportNanos;
        if (at != Long.MIN_VALUE) {
            lastPlayed = reportFrames + Math.floorDiv((now - at) * rate, 1_000_000_000L);
            return lastPlayed;
        }
        long us = s.playedMicros();
        if (us >= 0) {
            lastPlayed = Math.floorDiv(us * rate, 1_000_000L);
        }
        return lastPlayed;
    }

    /**
     * The server's timing reports, each stamped with the instant the server measured it (its wall clock, mapped
     * onto the local monotonic clock): exact points on the stream's line, where libpulse's interpolated time
     * ({@code pa_stream_get_time} with {@code INTERPOLATE_TIMING}) is a smoother's estimate that keeps the error of
     * its first points for many seconds and shows it as a rate error (several hundred ppm; see the README).
     */
    @Override
    public boolean stampsItsReports() {
        return fallback == null;
    }

    @Override
    public synchronized TimedPosition nextTimedPosition() {
        PulseApi.Stream s = stream;
        if (fallback != null || s == null) {
            return null;
        }
        poll(s, clock.nanoTime());
        TimedPosition r = unread;
        unread = null;
        return r;
    }

    /**
     * Asks for a fresh timing report when the last request is {@link #TIMING_REQUEST_NANOS} old, and takes the
     * newest report if it is new: the position at the instant it was measured, fed to the steadiness check.
     */
    private synchronized void poll(PulseApi.Stream s, long now) {
        if (now - requestedAt >= TIMING_REQUEST_NANOS) {
            requestedAt = now;
            try {
                s.requestTiming();
            } catch (RuntimeException e) {
                LOG.debug("timing request", e);
            }
        }
        PulseApi.Timing t = s.timing();
        if (t == null || t.epochMicros() == reportEpochMicros) {
            return;
        }
        reportEpochMicros = t.epochMicros();
        if (!t.playing() || t.heardMicros() <= 0) {
            anchorNanos = Long.MIN_VALUE; // not playing, or nothing heard yet: a 0 that is not on the line
            steady = false;
            return;
        }
        long at = localNanosOf(t.epochMicros());
        long frames = Math.floorDiv(t.heardMicros() * rate, 1_000_000L);
        reportNanos = at;
        reportFrames = frames;
        reports++;
        unread = checkSteady(at, t.heardMicros()) ? new TimedPosition(at, frames) : null;
        if (now - comparedAt >= COMPARE_LOG_NANOS) {
            comparedAt = now;
            long us = s.playedMicros();
            if (us >= 0) {
                double reported = t.heardMicros() / 1000.0 + (now - at) / 1e6;
                LOG.info("PulseAudio timing: report {} ms old; the library's interpolated time is {} ms off the"
                                + " server's report ({} reports, {} steps)", String.format(Locale.ROOT, "%.3f",
                                (now - at) / 1e6), String.format(Locale.ROOT, "%+.3f", us / 1000.0 - reported), reports,
                        steps);
            }
        }
    }

    /** A wall-clock instant (microseconds since the epoch) on the local monotonic clock, read side by side now. */
    private long localNanosOf(long epochMicros) {
        long best = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 3; i++) {
            long before = clock.nanoTime();
            long wall = clock.epochMicros();
            long after = clock.nanoTime();
            if (after - before < best) {
                best = after - before;
                offset = wall * 1000 - (before + (after - before) / 2);
            }
        }
        return epochMicros * 1000 - offset;
    }

    /**
     * Follows whether the stream's time keeps pace with the local clock: a report more than {@link #STEP_NANOS} from
     * where the reference report says it should be (the time held, or jumped) starts the count again from this
     * report. While steady, up to {@link #STEP_SUSPECTS} such reports in a row are taken for late-stamped ones (the
     * server's reply delayed on a loaded machine) and only left out: false for a report not to be used.
     */
    private synchronized boolean checkSteady(long now, long us) {
        if (us <= 0) {
            anchorNanos = Long.MIN_VALUE;
            steady = false;
            return false;
        }
        if (anchorNanos == Long.MIN_VALUE) {
            anchorNanos = now;
            anchorMicros = us;
            steadySince = now;
            steady = false;
            suspects = 0;
            return false;
        }
        long expected = anchorMicros + (now - anchorNanos) / 1000;
        if (Math.abs(us - expected) * 1000 > STEP_NANOS) {
            if (steady && ++suspects <= STEP_SUSPECTS) {
                return false;
            }
            if (steady) {
                steps++;
                LOG.debug("PulseAudio stream time stepped {} ms; not used until steady again", (us - expected) / 1000.0);
            }
            anchorNanos = now;
            anchorMicros = us;
            steadySince = now;
            steady = false;
            suspects = 0;
            return false;
        }
        suspects = 0;
        if (now - steadySince >= STEADY_NANOS) {
            if (!steady) {
                LOG.debug("PulseAudio stream time steady (after {} steps)", steps);
            }
            steady = true;
        }
        if (now - anchorNanos >= STEADY_REANCHOR_NANOS) {
            anchorNanos = now;
            anchorMicros = us;
        }
        return steady;
    }

    /**
     * Once the stream's time has moved past 0 and kept pace with the local clock for {@link #STEADY_NANOS} (before
     * that, the server has not started the stream, holds it at 0, or lets it hold and jump: such reports are not on
     * the line the stream then plays along). A step later on makes it unknown again until the time is steady.
     */
    @Override
    public boolean positionKnown() {
        AudioSink f = fallback;
        return f != null ? f.positionKnown() : lastPlayed > 0 && steady;
    }

    @Override
    public long bufferedFrames() {
        AudioSink f = fallback;
        if (f != null) {
            return f.bufferedFrames();
        }
        return Math.max(0, written - playedFrames());
    }

    /** The stream's delay (written, not yet heard) as the server reports it, in ms; NaN if unknown. */
    public double delayMs() {
        PulseApi.Stream s = stream;
        long us = s == null ? -1 : s.latencyMicros();
        return us < 0 ? Double.NaN : us / 1000.0;
    }

    /** The server's reports are exact, its clock's rate may move: a short window, small outliers (see the settings). */
    @Override
    public PositionFilter.Settings positionSettings() {
        return PositionFilter.Settings.STAMPED;
    }

    /** Kept running (silence between songs), unless it fell back to a silent sink. */
    @Override
    public boolean keepsRunning() {
        return fallback == null;
    }

    @Override
    public String name() {
        AudioSink f = fallback;
        if (f != null) {
            return f.name();
        }
        PulseApi.Stream s = stream;
        if (s == null) {
            return "pulseaudio";
        }
        double d = delayMs();
        return "pulseaudio " + s.describe() + (Double.isNaN(d) ? "" : String.format(Locale.ROOT, " (%.1f ms delay)", d));
    }

    @Override
    public void close() {
        closed = true;
        AudioSink f = fallback;
        if (f != null) {
            f.close();
        }
        PulseApi.Stream s;
        synchronized (this) {
            s = stream;
            stream = null;
        }
        if (s != null) {
            s.wake();
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the PulseAudio stream", e);
            }
        }
    }
}
