package dev.thing.client.audio;

import dev.thing.client.sync.LocalClock;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sound.sampled.AudioFormat;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Plays songs so that every client of a lobby sounds the same sample at the same instant.
 *
 * <p><b>Timing.</b> {@link #play} gets a local instant ({@code startNanos}, already mapped from the server's clock
 * by ClockSync) and the song position that must sound then. Everything slow happens before that instant, on the
 * song's own playback thread:
 * <ol>
 * <li><i>Decode ahead.</i> The source is opened (a song still downloading blocks here until its first frame is
 * in), the decoder skips to the position, sample-exactly (see {@link Mp3Decoder}), and {@link #PREFILL_NANOS}
 * (200 ms) of PCM is decoded into a queue. {@link #warmUp} runs the decoder once before the first PLAY, so that
 * its code is compiled by then.</li>
 * <li><i>A line kept running.</i> A real device ({@link AudioSink#keepsRunning()}) is opened once (by
 * {@link #warmUp}, or by the first song) and fed silence between songs, so it never starts empty: its play
 * position is known all the time, filtered by a {@link PositionFilter}. The song's first sample is placed in that
 * stream at the frame the filter says will play at the instant (silence before it, sample-exact), so the
 * device's own delay (what it holds buffered, unplayed) is measured, not guessed. A sink that does not keep
 * running (a stand-in without a device) is opened for the song before the instant, started empty, and the first
 * sample handed over at the instant, after a sleep and a final {@link #SPIN_NANOS} (3 ms) of busy-waiting.</li>
 * <li><i>Late joiners.</i> If the instant has already passed when the song is ready, the position moves on by
 * the time elapsed, the decoder skips there and playback starts at once; samples the thread is still late by are
 * dropped, so the song is where the lobby is.</li>
 * <li><i>Latency.</i> A sound system may play a sample some time after the device reports it played (outside
 * gear). With {@code --latency} (the constructor's {@code latencyNanos}) everything above happens that much
 * earlier.</li>
 * <li><i>Drift, corrected inaudibly.</i> Before each piece of {@link #CHUNK_NANOS} (10 ms) is written, the player
 * compares the song sample it is about to write with the one that must sound when that frame plays (the lobby's
 * time since the instant, times the sample rate). The difference is steered to zero by a small change of rate:
 * single samples dropped (or repeated) at most one per piece and at most {@link #MAX_RATE_PPM} (500 ppm) overall,
 * set to the device's own rate error (the filter's slope) plus the difference spread over
 * {@link #CONTROL_TAU_NANOS} (2 s). Only an error past {@link #JUMP_NANOS} (50 ms: a stall, an underrun, a device
 * that lost frames) is corrected at once, by dropping song or inserting silence. Sources of drift: a sound card's
 * clock that runs a little fast or slow, a stalled machine, a device that loses frames.</li>
 * </ol>
 *
 * <p>For each start the log records the instant scheduled (server and local time) and the one measured: when the
 * filter says the song's first sample plays, at the start and again a second later (with the device's reports
 * of that very moment).
 *
 * <p>{@link #pause} and {@link #stop} act at once: what the device holds is flushed and the thread interrupted
 * and joined; after they return nothing more of the song is written. A failing source (a broken download, bad MP3
 * data) is logged and ends that song; it never reaches the caller. All methods are safe to call from any thread.
 */
public final class Player implements PlaybackControl {
    /** PCM decoded before the start and kept decoded ahead while playing. */
    public static final long PREFILL_NANOS = 200_000_000L;
    /** The final stretch before the instant, waited out by spinning rather than sleeping. */
    public static final long SPIN_NANOS = 3_000_000L;
    /** PCM is written in pieces of this length; each may carry one single-sample rate correction. */
    public static final long CHUNK_NANOS = 10_000_000L;
    /** The largest rate change used to correct drift, in parts per million. */
    public static final double MAX_RATE_PPM = 500;
    /** Drift beyond this is corrected at once (a jump); below, by the rate change. */
    public static final long JUMP_NANOS = 50_000_000L;
    /** A drift is spread over about this much time. */
    public static final long CONTROL_TAU_NANOS = 2_000_000_000L;
    /** A drift smaller than this is left alone (only the device's rate error is compensated). */
    public static final long DEADBAND_NANOS = 100_000L;
    /** A device rate error the filter reports below this is taken as none. */
    static final double MIN_RATE_ERROR = 5e-6;
    /** The start is measured again this long after the first sample played. */
    public static final long REMEASURE_NANOS = 1_000_000_000L;
    /** The drift is logged at most this often. */
    static final long TRACE_NANOS = 2_000_000_000L;
    /** How long pause/stop/play wait for a song's thread to end. */
    public static final long JOIN_TIMEOUT_MS = 3_000;
    /** The format the line is opened in before the first song (most MP3s). */
    public static final AudioFormat WARM_FORMAT = new AudioFormat(44_100f, 16, 2, true, false);

    private static final Logger LOG = LogManager.getLogger(Player.class);

    /** Sees every piece written: its first frame's index on the line and the song sample it begins with. */
    interface Probe {
        void piece(long lineFrame, long songSample, int frames);
    }

    /**
     * How the current or last song was kept in sync: single samples dropped and repeated by the rate change, and
     * the jumps (count and largest, in frames at {@code rate}).
     */
    public record Corrections(long rateDropped, long rateInserted, int jumps, long largestJumpFrames, int rate) {
        public double largestJumpMs() {
            return rate == 0 ? 0 : largestJumpFrames * 1000.0 / rate;
        }
    }

    private final Supplier<AudioSink> sinkFactory;
    /** The board's sound, mixed into the line's writes. */
    private final BoardMix board;
    /** The thread the board is rendered on, when the player made it (null: the caller's executor). */
    private final java.util.concurrent.ExecutorService boardWorker;
    private final LocalClock clock;
    private final long latencyNanos;
    private final Object lineLock = new Object();
    private OutputLine line; // the line kept running, guarded by lineLock
    volatile Probe probe;

    private volatile Session current;
    private volatile PlayerStatus held = new PlayerStatus(null, false, 0, 0, "none");
    private boolean closed;
    private volatile boolean closing;

    public Player(Supplier<AudioSink> sinkFactory, LocalClock clock, long latencyNanos) {
        this(sinkFactory, clock, latencyNanos, null);
    }

    /**
     * With the board's loops rendered on {@code boardRenderer} (null: a worker thread of the player's own; a test
     * may render on the calling thread).
     */
    public Player(Supplier<AudioSink> sinkFactory, LocalClock clock, long latencyNanos,
                  java.util.concurrent.Executor boardRenderer) {
        if (boardRenderer == null) {
            boardWorker = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "thing-board-render");
                t.setDaemon(true);
                t.setPriority(Thread.MIN_PRIORITY);
                return t;
            });
            boardRenderer = boardWorker;
        } else {
            boardWorker = null;
        }
        this.board = new BoardMix(boardRenderer, latencyNanos);
        this.sinkFactory = Objects.requireNonNull(sinkFactory, "sinkFactory");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (latencyNanos < 0) {
            throw new IllegalArgumentException("latency must be >= 0: " + latencyNanos);
        }
        this.latencyNanos = latencyNanos;
    }

    @Override
    public void play(SongSource source, long positionMs, long startNanos) {
        play(source, positionMs, startNanos, Long.MIN_VALUE);
    }

    @Override
    public synchronized void play(SongSource source, long positionMs, long startNanos, long serverStartUs) {
        Objects.requireNonNull(source, "source");
        if (closed) {
            LOG.warn("play({}) on a closed player ignored", source.title());
            return;
        }
        Session previous = current;
        if (previous != null) {
            previous.cancelAndJoin(false);
        }
        Session s = new Session(source, Math.max(0, positionMs), startNanos, serverStartUs);
        current = s;
        s.start();
    }

    /**
     * Warms the decoder (decodes a bundled clip, so that its code is compiled) and opens the line, kept running
     * with silence, in {@link #WARM_FORMAT}, on a thread of its own; a sink that does not keep running is left
     * closed.
     */
    @Override
    public void warmUp() {
        Thread t = new Thread(() -> {
            long t0 = clock.nanoTime();
            try (InputStream in = Player.class.getResourceAsStream("/warmup.mp3")) {
                if (in != null) {
                    byte[] bytes = in.readAllBytes();
                    SongSource clip = new SongSource() {
                        @Override
                        public String title() {
                            return "warm-up";
                        }

                        @Override
                        public InputStream open() {
                            return new java.io.ByteArrayInputStream(bytes);
                        }
                    };
                    for (int i = 0; i < 3; i++) {
                        try (Mp3Decoder d = Mp3Decoder.open(clip)) {
                            d.skipToSample(d.samplesAt(500));
                            while (d.decodeNext() != null) {
                                // only the compiled code is wanted
                            }
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("decoder warm-up", e);
            }
            try {
                lineFor(WARM_FORMAT, null);
            } catch (RuntimeException e) {
                LOG.debug("line warm-up", e);
            }
            LOG.info("warmed up in {} ms (decoder, line {})", (clock.nanoTime() - t0) / 1_000_000,
                    currentLineName());
        }, "thing-player-warmup");
        t.setDaemon(true);
        t.start();
    }

    private String currentLineName() {
        synchronized (lineLock) {
            return line == null ? "not kept running" : line.sink.name() + ", kept running";
        }
    }

    /**
     * The line for a song in {@code fmt}, owned by {@code who} (null: none, just open it): the line kept running
     * if it has the format (reopened if not), else a new sink for this song alone.
     */
    private OutputLine lineFor(AudioFormat fmt, Object who) {
        synchronized (lineLock) {
            if (closing) {
                return null;
            }
            if (line != null && line.matches(fmt)) {
                if (who != null) {
                    line.acquire(who);
                }
                return line;
            }
            if (line != null) {
                LOG.info("reopening the output line for {}", fmt);
                line.close();
                line = null;
            }
            if (who == null && line == null) {
                // Warm-up: open one only if it is a device that keeps running.
                AudioSink s = sinkFactory.get();
                OutputLine l = OutputLine.open(s, fmt, clock, null, board);
                if (l.continuous) {
                    line = l;
                } else {
                    l.close();
                }
                return line;
            }
            OutputLine l = OutputLine.open(sinkFactory.get(), fmt, clock, who, board);
            if (l.continuous) {
                line = l;
            }
            return l;
        }
    }

    /**
     * The board changed: mixed into the line from now on (see {@link BoardMix}). A board that plays while no line
     * is open (no song yet, the warm-up not done) gets the line kept running opened, off the caller's thread.
     */
    @Override
    public void board(dev.thing.client.board.BoardState.Snapshot snapshot, long startNanos) {
        board.update(snapshot, startNanos);
        if (snapshot.playing() && current == null && !boardLineTried.get()) {
            boolean open;
            synchronized (lineLock) {
                open = line != null || closing;
            }
            // Once: a sink that does not keep running is opened and closed again, as the warm-up does.
            if (!open && boardLineTried.compareAndSet(false, true)) {
                Thread t = new Thread(() -> {
                    synchronized (lineLock) {
                        if (line != null) {
                            return;
                        }
                    }
                    try {
                        lineFor(WARM_FORMAT, null);
                    } catch (RuntimeException e) {
                        LOG.warn("cannot open the output line for the board: {}", e.toString());
                    }
                }, "thing-board-line");
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean boardLineTried =
            new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public String boardProblem() {
        String failed = board.failure();
        return failed == null ? null : "cannot render the board: " + failed;
    }

    /** The board's mix, for status and tests. */
    public BoardMix boardMix() {
        return board;
    }

    @Override
    public synchronized void pause() {
        Session s = current;
        if (s == null) {
            return;
        }
        PlayerStatus before = s.status();
        s.cancelAndJoin(true);
        PlayerStatus after = s.status();
        // The position when the sound stopped: the lobby position at the moment of the pause while it played.
        long position = before.playing() ? s.positionAt(s.cancelledAtNanos) : after.positionMs();
        held = new PlayerStatus(s.source.title(), false, position, after.driftMs(), after.sinkName());
        current = null;
    }

    @Override
    public synchronized void stop() {
        Session s = current;
        if (s != null) {
            s.cancelAndJoin(true);
            held = new PlayerStatus(null, false, 0, 0, s.status().sinkName());
            current = null;
        } else {
            held = new PlayerStatus(null, false, 0, 0, held.sinkName());
        }
    }

    @Override
    public PlayerStatus status() {
        Session s = current;
        return s == null ? held : s.status();
    }

    /** Song frames dropped to catch up (lateness, jumps and rate) in the current or last song. */
    public long droppedFrames() {
        Session s = current;
        return s == null ? 0 : s.dropped;
    }

    /** Frames of silence inserted or samples repeated to wait for the lobby in the current or last song. */
    public long insertedFrames() {
        Session s = current;
        return s == null ? 0 : s.inserted;
    }

    /** How the current or last song was kept in sync. */
    public Corrections corrections() {
        Session s = current;
        return s == null ? new Corrections(0, 0, 0, 0, 0)
                : new Corrections(s.rateDropped, s.rateInserted, s.jumps, s.largestJump, s.rate);
    }

    /** The local instant the first sample of the current song was handed to the sink, or -1 before that. */
    public long handOverNanos() {
        Session s = current;
        return s == null ? -1 : s.handedOverAt;
    }

    /**
     * When the first sample of the current song plays, as measured on the line (the filtered position; the
     * second measurement once made), less the time of any song skipped for a late start, minus the instant
     * scheduled (less the latency): positive is late. NaN before the start.
     */
    public double startErrorNanos() {
        Session s = current;
        return s == null ? Double.NaN : s.startError;
    }

    /** Blocks until the current song's thread ends (the song is over, failed or was stopped); for tests and tools. */
    public boolean awaitEnd(long timeoutMs) throws InterruptedException {
        Session s = current;
        if (s == null) {
            return true;
        }
        s.thread.join(timeoutMs);
        return !s.thread.isAlive();
    }

    @Override
    public synchronized void close() {
        stop();
        closed = true;
        if (boardWorker != null) {
            boardWorker.shutdownNow();
        }
        synchronized (lineLock) {
            closing = true;
            if (line != null) {
                line.close();
                line = null;
            }
        }
    }

    private static long framesFor(long nanos, int rate) {
        return Math.floorDiv(nanos * rate, 1_000_000_000L);
    }

    private static long nanosFor(long frames, int rate) {
        return frames * 1_000_000_000L / rate;
    }

    private static String server(long us) {
        return us == Long.MIN_VALUE ? "?" : Long.toString(us);
    }

    private enum State { PREPARING, PLAYING, ENDED }

    /** One song's playback: its thread and decoder, and the line while it owns it. */
    private final class Session implements Runnable {
        final SongSource source;
        final long positionMs;
        final long startNanos;
        final long serverStartUs;
        final Thread thread;
        volatile boolean cancelled;
        volatile long cancelledAtNanos;
        volatile State state = State.PREPARING;
        volatile OutputLine out;
        volatile String sinkName = "none";
        volatile double driftMs;
        volatile long endPositionMs = -1;
        volatile long handedOverAt = -1;
        volatile long dropped;
        volatile long inserted;
        volatile long rateDropped;
        volatile long rateInserted;
        volatile int jumps;
        volatile long largestJump;
        volatile int rate;
        volatile double startError = Double.NaN;

        Session(SongSource source, long positionMs, long startNanos, long serverStartUs) {
            this.source = source;
            this.positionMs = positionMs;
            this.startNanos = startNanos;
            this.serverStartUs = serverStartUs;
            this.thread = new Thread(this, "thing-player: " + source.title());
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        /** The lobby position at local instant {@code nanos}: where the song is heard then. */
        long positionAt(long nanos) {
            return positionMs + Math.max(0, nanos - startNanos) / 1_000_000L;
        }

        PlayerStatus status() {
            if (state == State.ENDED) {
                long end = endPositionMs >= 0 ? endPositionMs : positionAt(cancelledAtNanos);
                return new PlayerStatus(source.title(), false, end, driftMs, sinkName);
            }
            return new PlayerStatus(source.title(), true, positionAt(clock.nanoTime()), driftMs, sinkName);
        }

        /**
         * Ends the song: stops the thread and waits for it. With {@code silence}, what the device holds of the song
         * is discarded at once (pause, stop); without (another song replaces it), a line kept running plays out
         * what it holds, then silence.
         */
        void cancelAndJoin(boolean silence) {
            if (!cancelled) {
                cancelledAtNanos = clock.nanoTime();
                cancelled = true;
            }
            thread.interrupt();
            OutputLine o = out;
            if (o != null) {
                if (o.continuous) {
                    o.release(this);
                    if (silence) {
                        o.flushAndForget();
                    }
                } else {
                    o.sink.stop();
                    o.sink.flush();
                }
            }
            try {
                thread.join(200);
                if (thread.isAlive() && o != null && !o.continuous) {
                    o.sink.close(); // a device write that ignores stop/flush ends when its line closes
                }
                thread.join(JOIN_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("playback thread of {} did not stop within {} ms", source.title(), JOIN_TIMEOUT_MS);
            }
            state = State.ENDED;
        }

        @Override
        public void run() {
            Mp3Decoder decoder = null;
            try {
                decoder = Mp3Decoder.open(source);
                playFrom(decoder);
            } catch (IOException | RuntimeException e) {
                if (cancelled) {
                    LOG.debug("{} stopped while reading", source.title(), e);
                } else {
                    LOG.error("cannot play {}: {}", source.title(), e.toString());
                    LOG.debug("cannot play {}", source.title(), e);
                }
            } catch (InterruptedException e) {
                LOG.debug("{} interrupted", source.title());
            } finally {
                if (endPositionMs < 0 && !cancelled) {
                    endPositionMs = positionAt(clock.nanoTime());
                }
                state = State.ENDED;
                OutputLine o = out;
                if (o != null) {
                    if (o.continuous) {
                        o.release(this);
                    } else {
                        o.close();
                    }
                }
                if (decoder != null) {
                    decoder.close();
                }
                if (rate > 0 && handedOverAt >= 0) {
                    LOG.info("{}: ended; drift {} ms; rate corrections {} samples dropped, {} repeated; jumps {}"
                            + " (largest {} ms)", source.title(), fmt(driftMs), rateDropped, rateInserted, jumps,
                            fmt(largestJump * 1000.0 / rate));
                }
            }
        }

        private void playFrom(Mp3Decoder decoder) throws IOException, InterruptedException {
            final int rate = decoder.sampleRate();
            this.rate = rate;
            final int frameSize = decoder.frameSize();
            // The lobby timeline: the song's sample baseSample plays at handNanos, the rest follow at rate.
            final long handNanos = startNanos - latencyNanos;
            final long baseSample = decoder.samplesAt(positionMs);
            long startSample = baseSample;
            long plannedNanos = handNanos;
            long now = clock.nanoTime();
            if (now > handNanos) {
                long late = framesFor(now - handNanos, rate);
                startSample += late;
                plannedNanos = handNanos + nanosFor(late, rate);
                LOG.debug("{}: {} ms late, starting at {} ms", source.title(), (now - handNanos) / 1_000_000,
                        startSample * 1000 / rate);
            }
            decoder.skipToSample(startSample);
            startSample = decoder.positionSamples(); // less if the song is shorter

            Pcm pcm = new Pcm(decoder, frameSize, framesFor(PREFILL_NANOS, rate));
            pcm.fill();
            if (cancelled) {
                return;
            }

            OutputLine o = lineFor(decoder.format(), this);
            if (o == null) {
                return;
            }
            out = o;
            sinkName = o.sink.name();
            if (cancelled) {
                return;
            }
            if (!o.continuous) {
                o.sink.start();
                if (clock.nanoTime() < plannedNanos - SPIN_NANOS) {
                    clock.sleepUntil(plannedNanos - SPIN_NANOS);
                }
                spinUntil(plannedNanos);
                if (cancelled) {
                    return;
                }
            }
            state = State.PLAYING;

            final int chunk = (int) Math.max(1, framesFor(CHUNK_NANOS, rate));
            final double jumpFrames = JUMP_NANOS * 1e-9 * rate;
            final double deadband = DEADBAND_NANOS * 1e-9 * rate;
            final double maxRate = MAX_RATE_PPM * 1e-6;
            final byte[] silence = new byte[chunk * frameSize];
            byte[] buf = new byte[(chunk + 1) * frameSize];
            long cursor = startSample; // the song sample written next
            long pendingDrop = 0;
            double budget = 0; // single samples owed: > 0 repeat, < 0 drop
            long firstFrame = -1;
            long firstSample = -1;
            boolean remeasured = false;
            long lastTrace = Long.MIN_VALUE / 2;

            while (!cancelled) {
                pcm.fill();
                if (pcm.isEmpty()) {
                    break;
                }
                long k = o.nextFrame();
                double tk = o.soundsAt(k);
                double expected = baseSample + (tk - handNanos) * rate / 1e9; // the song sample due at frame k
                if (firstFrame < 0) {
                    double gap = startSample - expected; // frames of silence still due before the first sample
                    if (o.continuous && gap >= 1) {
                        int n = (int) Math.min(chunk, Math.floor(gap));
                        if (!o.write(this, silence, 0, n * frameSize)) {
                            break;
                        }
                        continue;
                    }
                    long late = Math.max(0, Math.round(-gap));
                    pendingDrop = late;
                    dropped = late;
                    firstFrame = k;
                    firstSample = startSample + late;
                    handedOverAt = clock.nanoTime();
                    startError = tk - (handNanos + (firstSample - baseSample) * 1e9 / rate);
                    LOG.info("start {} at {} ms: scheduled {} us server time (local {} ms), measured {} us"
                                    + " ({} ms off; line delay {} ms{}; position {})", source.title(), positionMs,
                            server(serverStartUs), fmt(handNanos / 1e6), serverPlus(startError), fmt(startError / 1e6),
                            fmt((tk - clock.nanoTime()) / 1e6), late > 0 ? ", " + late + " frames skipped" : "",
                            o.filter.describe());
                } else {
                    double e = cursor - expected; // > 0: ahead of the lobby
                    driftMs = e * 1000 / rate;
                    if (!remeasured && o.filter.ready() && clock.nanoTime() > o.soundsAt(firstFrame) + REMEASURE_NANOS) {
                        remeasured = true;
                        startError = o.soundsAt(firstFrame) - (handNanos + (firstSample - baseSample) * 1e9 / rate);
                        LOG.info("start {} re-measured: {} us server time ({} ms off)", source.title(),
                                serverPlus(startError), fmt(startError / 1e6));
                    }
                    if (o.filter.ready() && Math.abs(e) > jumpFrames) {
                        long n = Math.round(Math.abs(e));
                        jumps++;
                        largestJump = Math.max(largestJump, n);
                        budget = 0;
                        if (e < 0) {
                            pendingDrop += n;
                            dropped += n;
                            LOG.info("{}: {} ms behind, jumping ahead", source.title(), fmt(n * 1000.0 / rate));
                        } else {
                            n = Math.min(n, rate); // at most a second of silence at a time
                            inserted += n;
                            LOG.info("{}: {} ms ahead, inserting silence", source.title(), fmt(n * 1000.0 / rate));
                            boolean ok = true;
                            for (long left = n; left > 0 && ok; left -= chunk) {
                                ok = o.write(this, silence, 0, (int) Math.min(left, chunk) * frameSize);
                            }
                            if (!ok) {
                                break;
                            }
                            continue;
                        }
                    } else if (o.filter.ready()) {
                        double correction = Math.abs(e) > deadband ? e / (CONTROL_TAU_NANOS * 1e-9 * rate) : 0;
                        double own = o.filter.rateError();
                        own = Math.abs(own) < MIN_RATE_ERROR ? 0 : own; // below: the fit's noise, not the device
                        double r = Math.max(-maxRate, Math.min(maxRate, own + correction));
                        budget += r * chunk;
                        long t = clock.nanoTime();
                        if (t - lastTrace > TRACE_NANOS) {
                            lastTrace = t;
                            LOG.info("{}: drift {} ms, device {} ppm, rate change {} ppm, filter resets {}",
                                    source.title(), fmt(driftMs), fmt(own * 1e6), fmt(r * 1e6), o.filter.resets());
                        }
                    }
                }
                while (pendingDrop > 0 && !pcm.isEmpty()) {
                    int d = pcm.skip(pendingDrop);
                    pendingDrop -= d;
                    cursor += d;
                    if (pcm.isEmpty()) {
                        pcm.fill();
                    }
                }
                int adjust = 0; // +1: one sample repeated in this piece, -1: one dropped
                if (budget >= 1) {
                    adjust = 1;
                    budget -= 1;
                } else if (budget <= -1) {
                    adjust = -1;
                    budget += 1;
                }
                int want = chunk - adjust; // song frames this piece consumes (one more when dropping)
                int got = pcm.take(buf, want);
                if (got == 0) {
                    continue;
                }
                int outFrames = got;
                int mid = got / 2;
                if (adjust == 1 && got > 1) {
                    // repeat the frame at mid: shift the rest one frame on
                    System.arraycopy(buf, mid * frameSize, buf, (mid + 1) * frameSize, (got - mid) * frameSize);
                    outFrames = got + 1;
                    rateInserted++;
                    inserted++;
                } else if (adjust == -1 && got > 2) {
                    System.arraycopy(buf, (mid + 1) * frameSize, buf, mid * frameSize, (got - mid - 1) * frameSize);
                    outFrames = got - 1;
                    rateDropped++;
                    dropped++;
                } else if (adjust != 0) {
                    budget += adjust; // the end of the song: not worth it
                }
                Probe p = probe;
                if (p != null) {
                    p.piece(k, cursor, outFrames);
                }
                if (!o.write(this, buf, 0, outFrames * frameSize)) {
                    break;
                }
                cursor += got;
            }
            if (cancelled) {
                return;
            }
            // The song is decoded and handed over: let the sink play out what it holds.
            double end = o.soundsAt(o.nextFrame());
            if (o.continuous) {
                // The line's own thread writes silence behind the song (and moves a test's clock): wait for it.
                o.release(this);
                while (end > clock.nanoTime() && !cancelled) {
                    Thread.sleep(5);
                }
            } else if (end > clock.nanoTime()) {
                clock.sleepUntil((long) end);
            }
            endPositionMs = decoder.positionSamples() * 1000 / rate;
        }

        private String serverPlus(double errorNanos) {
            return serverStartUs == Long.MIN_VALUE ? "?" : Long.toString(serverStartUs + Math.round(errorNanos / 1000));
        }

        /**
         * Busy-waits the last few milliseconds: a sleep can overshoot by a scheduler tick. A clock that does not
         * move by itself (a test's fake clock) is noticed after a thousand unchanged reads and asked to sleep.
         */
        private void spinUntil(long deadline) throws InterruptedException {
            long last = clock.nanoTime();
            int unchanged = 0;
            while (last < deadline && !cancelled && unchanged < 1_000) {
                Thread.onSpinWait();
                long now = clock.nanoTime();
                unchanged = now == last ? unchanged + 1 : 0;
                last = now;
            }
            clock.sleepUntil(deadline);
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%+.3f", v);
    }

    /** Decoded PCM queued ahead of the writer, taken frame-exactly. */
    private static final class Pcm {
        private final Mp3Decoder decoder;
        private final int frameSize;
        private final long target;
        private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        private int headPos; // frames of the head buffer already taken
        private long queued;
        private boolean eof;

        Pcm(Mp3Decoder decoder, int frameSize, long target) {
            this.decoder = decoder;
            this.frameSize = frameSize;
            this.target = target;
        }

        void fill() throws IOException {
            while (!eof && queued < target) {
                byte[] b = decoder.decodeNext();
                if (b == null) {
                    eof = true;
                } else if (b.length >= frameSize) {
                    queue.add(b);
                    queued += b.length / frameSize;
                }
            }
        }

        boolean isEmpty() {
            return queued == 0;
        }

        /** Drops up to {@code n} frames; returns how many. */
        int skip(long n) {
            int done = 0;
            while (done < n && !queue.isEmpty()) {
                byte[] head = queue.peek();
                int left = head.length / frameSize - headPos;
                int d = (int) Math.min(left, n - done);
                headPos += d;
                done += d;
                queued -= d;
                if (headPos == head.length / frameSize) {
                    queue.poll();
                    headPos = 0;
                }
            }
            return done;
        }

        /** Copies up to {@code n} frames into {@code dst}; returns how many. */
        int take(byte[] dst, int n) {
            int done = 0;
            while (done < n && !queue.isEmpty()) {
                byte[] head = queue.peek();
                int left = head.length / frameSize - headPos;
                int d = Math.min(left, n - done);
                System.arraycopy(head, headPos * frameSize, dst, done * frameSize, d * frameSize);
                headPos += d;
                done += d;
                queued -= d;
                if (headPos == head.length / frameSize) {
                    queue.poll();
                    headPos = 0;
                }
            }
            return done;
        }
    }
}
