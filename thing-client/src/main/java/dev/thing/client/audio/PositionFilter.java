package dev.thing.client.audio;

import java.util.ArrayDeque;

/**
 * Where a sound device really is, from its noisy position reports. Through ALSA and PulseAudio a line's frame
 * position moves in steps of one period (about 20 ms) and strays some tens of milliseconds either side of a
 * straight line, while the device itself plays at a rate that is constant to a few ppm. So the reports of the last
 * {@link #WINDOW_NANOS} (two minutes; less after a flush or a stall) are fitted with a least-squares line (position against the monotonic clock): its value now
 * is the position with the noise averaged out, its slope the device's true rate. Until the reports span
 * {@link #SLOPE_SPAN_NANOS}, the slope is taken to be the nominal rate and only the intercept is fitted (a short
 * span's slope is mostly noise).
 *
 * <p>Reports are averaged in bins of {@link #BIN_NANOS} and the bins fitted, weighted by their counts: the same
 * line as fitting every report, at a cost that does not grow with the rate of reports.
 *
 * <p>A report more than {@link #OUTLIER_NANOS} off the fit does not enter it; {@link #STALL_REPORTS} of them in a
 * row mean the device really moved (it stalled, or lost or repeated frames): the history is dropped and the fit
 * starts again from the recent reports. These are the defaults, for Java Sound's noisy reports; a sink whose reports
 * are closer to the truth asks for a shorter window and smaller outliers ({@link AudioSink#positionSettings()},
 * {@link Settings#PRECISE}; {@link Settings#STAMPED} for PulseAudio's own timing reports). Thread-safe.
 */
public final class PositionFilter {
    /** How much history the fit uses: a device's rate is steady over minutes, its reports' noise is not. */
    public static final long WINDOW_NANOS = 120_000_000_000L;
    /** Reports are averaged in bins of this length before the fit (the fit then costs little, whatever the rate). */
    public static final long BIN_NANOS = 100_000_000L;
    /** Below this span the slope is not fitted. */
    public static final long SLOPE_SPAN_NANOS = 5_000_000_000L;
    /** The span of reports after which the estimate is trusted for corrections. */
    public static final long READY_SPAN_NANOS = 1_000_000_000L;
    /** A report further than this from the fit is an outlier. */
    public static final long OUTLIER_NANOS = 45_000_000L;
    /** This many outliers in a row: the device moved; start again. */
    public static final int STALL_REPORTS = 8;

    /**
     * How far the reports of one kind of device are trusted: the fit's window, the span before the slope is fitted,
     * the span before the estimate is used for corrections, the distance that makes a report an outlier, and how
     * many outliers in a row mean the device moved.
     */
    public record Settings(long windowNanos, long slopeSpanNanos, long readySpanNanos, long outlierNanos,
                           int stallReports) {
        /**
         * For reports in period steps with tens of ms of noise (Java Sound through ALSA): the constants above, a long
         * window to average the noise out.
         */
        public static final Settings NOISY = new Settings(WINDOW_NANOS, SLOPE_SPAN_NANOS, READY_SPAN_NANOS,
                OUTLIER_NANOS, STALL_REPORTS);
        /**
         * For reports that are already close to the truth (PulseAudio's interpolated stream time: about 1 ms of noise;
         * on a loaded machine a timing report answered late puts it some ms off until the next report, and the
         * server may change its sink's latency, a step): a 15 s window, so that a step is forgotten in seconds;
         * reports more than 20 ms off are left out, and 25 of them in a row (a quarter of a second of writes) start
         * the fit again.
         */
        public static final Settings PRECISE = new Settings(15_000_000_000L, SLOPE_SPAN_NANOS, READY_SPAN_NANOS,
                20_000_000L, 25);
        /**
         * For reports the device stamped itself with the instant it measured (PulseAudio's timing reports: exact to
         * some microseconds, a few stamped some ms late when the server is loaded) from a device whose rate may move
         * within seconds (a PulseAudio null sink's clock runs hundreds to thousands of ppm fast, the more the more
         * often its thread wakes, so with the machine's load): a 3 s window, the slope fitted from 1 s of reports on
         * and the estimate trusted from 0.5 s; reports more than 1.5 ms off are left out, and 10 of them in a row
         * (half a second of reports) start the fit again. A long window would average a bending line into an
         * estimate some ms off now.
         */
        public static final Settings STAMPED = new Settings(3_000_000_000L, 1_000_000_000L, 500_000_000L,
                1_500_000L, 10);
    }

    /** A bin: reports summed relative to the bin's first one, {t0, f0, n, sum dt, sum df}. */
    private static final class Bin {
        final long t0;
        final long f0;
        int n;
        double sdt;
        double sdf;

        Bin(long t0, long f0) {
            this.t0 = t0;
            this.f0 = f0;
        }

        double t() {
            return t0 + sdt / n;
        }

        double f() {
            return f0 + sdf / n;
        }
    }

    private final double nominalPerNano;
    private final ArrayDeque<Bin> bins = new ArrayDeque<>();
    private final ArrayDeque<long[]> suspects = new ArrayDeque<>();
    private int reports;
    // The fit: position = a + b * (t - tRef), b in frames per nanosecond.
    private boolean fitted;
    private long tRef;
    private double a;
    private double b;
    private long resets;

    private final Settings settings;

    /** For a device playing {@code frameRate} frames per second (nominally), with noisy reports. */
    public PositionFilter(int frameRate) {
        this(frameRate, Settings.NOISY);
    }

    /** For a device playing {@code frameRate} frames per second (nominally), its reports trusted as {@code settings}. */
    public PositionFilter(int frameRate, Settings settings) {
        this.nominalPerNano = frameRate / 1e9;
        this.settings = settings;
    }

    /** A position report: the device said it had played {@code frames} at local instant {@code nanos}. */
    public synchronized void add(long nanos, long frames) {
        if (fitted && reports >= 4) {
            double residual = (frames - at(nanos)) / nominalPerNano;
            if (Math.abs(residual) > settings.outlierNanos()) {
                suspects.add(new long[] {nanos, frames});
                if (suspects.size() >= settings.stallReports()) {
                    ArrayDeque<long[]> recent = new ArrayDeque<>(suspects);
                    reset();
                    resets++;
                    for (long[] r : recent) {
                        put(r[0], r[1]);
                    }
                    refit();
                }
                return;
            }
        }
        suspects.clear();
        boolean closed = put(nanos, frames);
        while (!bins.isEmpty() && nanos - bins.peekFirst().t0 > settings.windowNanos()) {
            reports -= bins.removeFirst().n;
        }
        if (closed || bins.size() < 50) {
            refit();
        }
    }

    /** Adds a report to the newest bin (a new one when it is full); true if a bin was closed. */
    private boolean put(long nanos, long frames) {
        Bin last = bins.peekLast();
        boolean closed = false;
        if (last == null || nanos - last.t0 >= BIN_NANOS) {
            closed = last != null;
            last = new Bin(nanos, frames);
            bins.add(last);
        }
        last.n++;
        last.sdt += nanos - last.t0;
        last.sdf += frames - last.f0;
        reports++;
        return closed;
    }

    /** Forgets everything (the device was flushed or reopened). */
    public synchronized void reset() {
        bins.clear();
        suspects.clear();
        reports = 0;
        fitted = false;
    }

    /** True once the reports span {@link #READY_SPAN_NANOS}. */
    public synchronized boolean ready() {
        return reports >= 8 && span() >= settings.readySpanNanos();
    }

    /** True when there is any estimate at all. */
    public synchronized boolean hasEstimate() {
        return fitted;
    }

    /** The estimated position (frames played) at local instant {@code nanos}; NaN with no reports. */
    public synchronized double positionAt(long nanos) {
        return fitted ? at(nanos) : Double.NaN;
    }

    /**
     * The local instant at which the device reaches (starts to play) frame {@code frame}; NaN with no reports.
     */
    public synchronized double instantOf(long frame) {
        if (!fitted) {
            return Double.NaN;
        }
        return tRef + (frame - a) / b;
    }

    /** The device's rate against its nominal one, minus one (300e-6: it plays 300 ppm fast); 0 while unknown. */
    public synchronized double rateError() {
        return fitted ? b / nominalPerNano - 1 : 0;
    }

    /** How often the history was dropped because the device moved. */
    public synchronized long resets() {
        return resets;
    }

    /** For the log: how much the fit holds and whether its slope is fitted. */
    public synchronized String describe() {
        if (!fitted) {
            return "no reports";
        }
        boolean sloped = reports >= 16 && span() >= settings.slopeSpanNanos();
        return String.format(java.util.Locale.ROOT, "%d reports over %.1f s, %s", reports, span() / 1e9,
                sloped ? String.format(java.util.Locale.ROOT, "rate %+.1f ppm", rateError() * 1e6) : "nominal rate");
    }

    private long span() {
        return bins.isEmpty() ? 0 : bins.peekLast().t0 + (long) (bins.peekLast().sdt / bins.peekLast().n)
                - bins.peekFirst().t0;
    }

    private double at(long nanos) {
        return a + b * (nanos - tRef);
    }

    /** Weighted least squares over the bins (each weighs as many reports as it holds). */
    private void refit() {
        if (reports == 0) {
            fitted = false;
            return;
        }
        Bin newest = bins.peekLast();
        long t0 = newest.t0;
        long f0 = newest.f0;
        double st = 0;
        double sf = 0;
        for (Bin bin : bins) {
            st += bin.n * ((bin.t0 - t0) + bin.sdt / bin.n) / 1e9;
            sf += bin.n * ((bin.f0 - f0) + bin.sdf / bin.n);
        }
        double mt = st / reports;
        double mf = sf / reports;
        double slope = nominalPerNano;
        if (reports >= 16 && span() >= settings.slopeSpanNanos()) {
            double stt = 0;
            double stf = 0;
            for (Bin bin : bins) {
                double dt = ((bin.t0 - t0) + bin.sdt / bin.n) / 1e9 - mt;
                double df = (bin.f0 - f0) + bin.sdf / bin.n - mf;
                stt += bin.n * dt * dt;
                stf += bin.n * dt * df;
            }
            if (stt > 0) {
                double est = stf / stt / 1e9;
                // A real device is within a fraction of a percent of its nominal rate; beyond, trust the nominal.
                if (Math.abs(est / nominalPerNano - 1) < 0.05) {
                    slope = est;
                }
            }
        }
        tRef = t0;
        b = slope;
        a = f0 + mf - slope * mt * 1e9;
        fitted = true;
    }
}
