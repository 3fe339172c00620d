package dev.thing.client.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Estimates the server's clock from {@code TIME} exchanges, NTP-style, and maps server microseconds onto this
 * client's monotonic clock.
 *
 * <p>One sample is one exchange: the client's wall clock when the request was written ({@code t0}), the server's
 * answer ({@code ts}), the client's wall clock when the answer arrived ({@code t1}) and the monotonic
 * {@link LocalClock#nanoTime()} at that same arrival. Then {@code rtt = t1 - t0} and
 * {@code offset = ts - (t0 + t1) / 2} (server minus client): exact when both legs take as long, wrong by half the
 * difference of the legs otherwise. Queueing only ever adds delay, so the samples with the smallest round trip are
 * the least disturbed ones.
 *
 * <p><b>Estimate.</b> The last {@link #DEFAULT_WINDOW} samples are kept. The estimate is the <em>mean</em> offset
 * of the samples whose RTT is within {@link #RTT_TOLERANCE_MICROS} (0.5 ms) of the window's minimum RTT: the
 * minimum-RTT filter throws out every queued sample, and averaging the few near-minimal ones smooths the
 * microsecond jitter and timestamp rounding without letting a delayed sample back in. (Half a millisecond of extra
 * RTT can move an offset by at most 0.25 ms.)
 *
 * <p><b>Mapping.</b> Each sample also fixes where the server's clock stood at a known local monotonic instant:
 * {@code server(receiveNanos) = t1 + offset}. The mapping averages these anchors over the same selected samples,
 * as a single constant {@code serverNanos - localNanos}. With one reference sample that is exactly
 * {@code receiveNanos_ref + (serverUs - offset - t1_ref) * 1000}, but since only the wall-clock <em>difference</em>
 * {@code t1 - t0} of one exchange enters it, a step of the wall clock between samples does not disturb the mapping
 * (a step during an exchange spoils that one sample; a negative RTT is refused outright).
 *
 * <p>Until the first sample the mapper assumes the server's clock equals the local wall clock. Thread-safe: every
 * method locks this object, none blocks.
 */
public final class ClockSync implements ServerTimeMapper {
    /** Samples kept in the rolling window. */
    public static final int DEFAULT_WINDOW = 16;
    /** {@link #ready()} once this many samples are in. */
    public static final int MIN_SAMPLES = 3;
    /** Samples whose RTT is within this of the window's minimum are averaged into the estimate. */
    public static final long RTT_TOLERANCE_MICROS = 500;

    private record Sample(long rttMicros, long offsetMicros, long monoOffsetNanos) {
    }

    private final LocalClock clock;
    private final int window;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    // Cached estimate, recomputed on every sample.
    private boolean have;
    private long offsetMicros;
    private long bestRttMicros;
    private long monoOffsetNanos;

    public ClockSync(LocalClock clock) {
        this(clock, DEFAULT_WINDOW);
    }

    public ClockSync(LocalClock clock, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1: " + window);
        }
        this.clock = clock;
        this.window = window;
    }

    /**
     * Adds one TIME exchange. {@code clientSendMicros} and {@code clientReceiveMicros} are
     * {@link LocalClock#epochMicros()} at send and receive, {@code serverMicros} the server's answer and
     * {@code receiveNanos} the {@link LocalClock#nanoTime()} at receive. A sample with a negative round trip (the
     * wall clock stepped back during the exchange) is ignored.
     */
    public synchronized void addSample(long clientSendMicros, long serverMicros, long clientReceiveMicros,
                                       long receiveNanos) {
        long rtt = clientReceiveMicros - clientSendMicros;
        if (rtt < 0) {
            return;
        }
        // (t0 + t1) / 2 without overflow, rounding down.
        long mid = clientSendMicros + rtt / 2;
        long offset = serverMicros - mid;
        long serverAtReceiveMicros = clientReceiveMicros + offset;
        samples.addLast(new Sample(rtt, offset, serverAtReceiveMicros * 1000L - receiveNanos));
        while (samples.size() > window) {
            samples.removeFirst();
        }
        recompute();
    }

    private void recompute() {
        long min = Long.MAX_VALUE;
        for (Sample s : samples) {
            min = Math.min(min, s.rttMicros);
        }
        List<Sample> chosen = new ArrayList<>();
        for (Sample s : samples) {
            if (s.rttMicros <= min + RTT_TOLERANCE_MICROS) {
                chosen.add(s);
            }
        }
        // Mean of deviations from the first chosen sample: no overflow with epoch-sized numbers.
        Sample base = chosen.get(0);
        long sumOff = 0;
        long sumMono = 0;
        for (Sample s : chosen) {
            sumOff += s.offsetMicros - base.offsetMicros;
            sumMono += s.monoOffsetNanos - base.monoOffsetNanos;
        }
        offsetMicros = base.offsetMicros + Math.round((double) sumOff / chosen.size());
        monoOffsetNanos = base.monoOffsetNanos + Math.round((double) sumMono / chosen.size());
        bestRttMicros = min;
        have = true;
    }

    /** Server clock minus local wall clock, in microseconds; empty before the first sample. */
    public synchronized OptionalLong offsetMicros() {
        return have ? OptionalLong.of(offsetMicros) : OptionalLong.empty();
    }

    /** The plain mean offset of every sample in the window (no RTT filter): for comparison and diagnostics. */
    public synchronized OptionalLong meanOffsetMicros() {
        if (samples.isEmpty()) {
            return OptionalLong.empty();
        }
        long base = samples.peekFirst().offsetMicros;
        long sum = 0;
        for (Sample s : samples) {
            sum += s.offsetMicros - base;
        }
        return OptionalLong.of(base + Math.round((double) sum / samples.size()));
    }

    /** The smallest round trip in the window, in microseconds; empty before the first sample. */
    public synchronized OptionalLong bestRttMicros() {
        return have ? OptionalLong.of(bestRttMicros) : OptionalLong.empty();
    }

    /** Samples in the window (at most the window size). */
    public synchronized int samples() {
        return samples.size();
    }

    /** True once {@link #MIN_SAMPLES} samples are in: only then should a PLAY's start be trusted to it. */
    public synchronized boolean ready() {
        return samples.size() >= MIN_SAMPLES;
    }

    /** Forgets every sample (after a reconnect, say). */
    public synchronized void reset() {
        samples.clear();
        have = false;
    }

    @Override
    public long localNanosAt(long serverUs) {
        long mono;
        synchronized (this) {
            if (have) {
                return serverUs * 1000L - monoOffsetNanos;
            }
        }
        // No sample yet: take the server's clock to be our wall clock.
        long nowNanos = clock.nanoTime();
        long nowMicros = clock.epochMicros();
        mono = nowMicros * 1000L - nowNanos;
        return serverUs * 1000L - mono;
    }

    @Override
    public long serverMicrosNow() {
        synchronized (this) {
            if (have) {
                return Math.floorDiv(clock.nanoTime() + monoOffsetNanos, 1000L);
            }
        }
        return clock.epochMicros();
    }
}
