package dev.thing.client.audio;

import dev.thing.client.sync.LocalClock;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Supplier;
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
 * (200 ms) of PCM is decoded into a queue.</li>
 * <li><i>Open early.</i> The sink (the sound card line) is opened and started before the instant, so no device
 * set-up lands on the critical path.</li>
 * <li><i>Sleep, then spin.</i> The sink is started (empty), the thread sleeps with {@link LocalClock#sleepUntil}
 * until {@link #SPIN_NANOS} (3 ms) before the instant and busy-waits the rest instead of trusting the scheduler
 * (a sleep may overshoot by a tick). The first sample is handed over at the
 * instant; if the thread still wakes late, the samples it is late by are dropped so that the song is where the
 * lobby is (sample-exact alignment, whatever the lateness).</li>
 * <li><i>Late joiners.</i> If the instant has already passed when the song is ready, the position moves on by
 * the time elapsed, the decoder skips there and playback starts at once.</li>
 * <li><i>Latency.</i> A sound system plays a sample some time after it is handed over. With
 * {@code --latency} (the constructor's {@code latencyNanos}) everything above happens that much earlier.</li>
 * <li><i>Drift.</i> While playing, the song position the sink has reached (frames it played, plus the song frames
 * dropped, minus the silence inserted) is compared with where the lobby is (the time since the instant times the
 * sample rate). Beyond {@link #DRIFT_BOUND_MS} (20 ms, about where a listener starts to hear two rooms echo) the
 * difference is corrected at once: song frames are dropped when the sink is behind, silence is inserted when it is
 * ahead. Checks are at most every {@link #DRIFT_CHECK_NANOS}, after {@link #DRIFT_SETTLE_NANOS} of playing, so the
 * correction never chases jitter in a device's position counter. Sources of drift: a sound card's clock that runs
 * a little fast or slow, underruns (a download or the machine stalling), a device that loses frames.</li>
 * </ol>
 *
 * <p>{@link #pause} and {@link #stop} act at once: the sink is stopped and flushed, the thread interrupted and
 * joined; after they return nothing more is written. A failing source (a broken download, bad MP3 data) is logged
 * and ends that song; it never reaches the caller. All methods are safe to call from any thread.
 */
public final class Player implements PlaybackControl {
    /** PCM decoded before the start and kept decoded ahead while playing. */
    public static final long PREFILL_NANOS = 200_000_000L;
    /** The final stretch before the instant, waited out by spinning rather than sleeping. */
    public static final long SPIN_NANOS = 3_000_000L;
    /** Drift beyond this many milliseconds is corrected. */
    public static final long DRIFT_BOUND_MS = 20;
    /** At most one drift correction in this much time. */
    public static final long DRIFT_CHECK_NANOS = 250_000_000L;
    /** No drift checks in the first this much of playing, while the device settles. */
    public static final long DRIFT_SETTLE_NANOS = 500_000_000L;
    /** How long pause/stop/play wait for a song's thread to end. */
    public static final long JOIN_TIMEOUT_MS = 3_000;

    private static final Logger LOG = LogManager.getLogger(Player.class);

    private final Supplier<AudioSink> sinkFactory;
    private final LocalClock clock;
    private final long latencyNanos;

    private volatile Session current;
    private volatile PlayerStatus held = new PlayerStatus(null, false, 0, 0, "none");
    private boolean closed;

    public Player(Supplier<AudioSink> sinkFactory, LocalClock clock, long latencyNanos) {
        this.sinkFactory = Objects.requireNonNull(sinkFactory, "sinkFactory");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (latencyNanos < 0) {
            throw new IllegalArgumentException("latency must be >= 0: " + latencyNanos);
        }
        this.latencyNanos = latencyNanos;
    }

    @Override
    public synchronized void play(SongSource source, long positionMs, long startNanos) {
        Objects.requireNonNull(source, "source");
        if (closed) {
            LOG.warn("play({}) on a closed player ignored", source.title());
            return;
        }
        Session previous = current;
        if (previous != null) {
            previous.cancelAndJoin();
        }
        Session s = new Session(source, Math.max(0, positionMs), startNanos);
        current = s;
        s.start();
    }

    @Override
    public synchronized void pause() {
        Session s = current;
        if (s == null) {
            return;
        }
        PlayerStatus before = s.status();
        s.cancelAndJoin();
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
            s.cancelAndJoin();
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

    /** Song frames dropped to catch up (lateness and drift) in the current or last song. */
    public long droppedFrames() {
        Session s = current;
        return s == null ? 0 : s.dropped;
    }

    /** Frames of silence inserted to wait for the lobby in the current or last song. */
    public long insertedFrames() {
        Session s = current;
        return s == null ? 0 : s.inserted;
    }

    /** The local instant the first sample of the current song was handed to the sink, or -1 before that. */
    public long handOverNanos() {
        Session s = current;
        return s == null ? -1 : s.handedOverAt;
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
    }

    private static long framesFor(long nanos, int rate) {
        return Math.floorDiv(nanos * rate, 1_000_000_000L);
    }

    private static long nanosFor(long frames, int rate) {
        return frames * 1_000_000_000L / rate;
    }

    private enum State { PREPARING, PLAYING, ENDED }

    /** One song's playback: its thread, decoder and sink. */
    private final class Session implements Runnable {
        final SongSource source;
        final long positionMs;
        final long startNanos;
        final Thread thread;
        volatile boolean cancelled;
        volatile long cancelledAtNanos;
        volatile State state = State.PREPARING;
        volatile AudioSink sink;
        volatile String sinkName = "none";
        volatile long driftMs;
        volatile long endPositionMs = -1;
        volatile long handedOverAt = -1;
        volatile long dropped;
        volatile long inserted;

        Session(SongSource source, long positionMs, long startNanos) {
            this.source = source;
            this.positionMs = positionMs;
            this.startNanos = startNanos;
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

        void cancelAndJoin() {
            if (!cancelled) {
                cancelledAtNanos = clock.nanoTime();
                cancelled = true;
            }
            thread.interrupt();
            AudioSink s = sink;
            if (s != null) {
                s.stop();
                s.flush();
            }
            try {
                thread.join(200);
                if (thread.isAlive() && s != null) {
                    s.close(); // a device write that ignores stop/flush ends when its line closes
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
                AudioSink s = sink;
                if (s != null) {
                    try {
                        s.close();
                    } catch (RuntimeException e) {
                        LOG.debug("closing the sink", e);
                    }
                }
                if (decoder != null) {
                    decoder.close();
                }
            }
        }

        private void playFrom(Mp3Decoder decoder) throws IOException, InterruptedException {
            final int rate = decoder.sampleRate();
            final int frameSize = decoder.frameSize();
            // The lobby timeline: the song's sample baseSample is handed over at handNanos, the rest follow at rate.
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

            ArrayDeque<byte[]> queue = new ArrayDeque<>();
            long queued = 0;
            final long prefill = framesFor(PREFILL_NANOS, rate);
            boolean eof = false;
            while (queued < prefill && !eof && !cancelled) {
                byte[] pcm = decoder.decodeNext();
                if (pcm == null) {
                    eof = true;
                } else {
                    queue.add(pcm);
                    queued += pcm.length / frameSize;
                }
            }
            if (cancelled) {
                return;
            }

            AudioSink s = sinkFactory.get();
            s.open(decoder.format());
            sink = s;
            sinkName = s.name();
            if (cancelled) {
                return;
            }
            s.start();
            if (clock.nanoTime() < plannedNanos - SPIN_NANOS) {
                clock.sleepUntil(plannedNanos - SPIN_NANOS);
            }
            spinUntil(plannedNanos);
            if (cancelled) {
                return;
            }
            state = State.PLAYING;

            // Sample-exact alignment: whatever we are late by now is dropped from the head.
            long handOver = clock.nanoTime();
            long pendingDrop = Math.max(0, framesFor(handOver - plannedNanos, rate));
            long netSkip = pendingDrop; // song frames dropped minus silence frames inserted, so far
            dropped = pendingDrop;
            long lastCheck = handOver;
            final long bound = DRIFT_BOUND_MS * rate / 1000;
            boolean first = true;

            while (!cancelled) {
                while (!eof && queued < prefill) {
                    byte[] pcm = decoder.decodeNext();
                    if (pcm == null) {
                        eof = true;
                    } else {
                        queue.add(pcm);
                        queued += pcm.length / frameSize;
                    }
                }
                byte[] chunk = queue.poll();
                if (chunk == null) {
                    break;
                }
                int frames = chunk.length / frameSize;
                queued -= frames;
                int from = 0;
                if (pendingDrop > 0) {
                    int d = (int) Math.min(pendingDrop, frames);
                    pendingDrop -= d;
                    from = d;
                    if (from == frames) {
                        continue;
                    }
                }

                long t = clock.nanoTime();
                if (!first && t - handOver >= DRIFT_SETTLE_NANOS && t - lastCheck >= DRIFT_CHECK_NANOS) {
                    lastCheck = t;
                    long played = s.writtenFrames() - s.bufferedFrames();
                    long expected = baseSample + framesFor(t - handNanos, rate);
                    long drift = startSample + played + netSkip - expected; // > 0: ahead of the lobby
                    driftMs = drift * 1000 / rate;
                    if (drift < -bound) {
                        long d = -drift;
                        netSkip += d;
                        dropped += d;
                        LOG.debug("{}: {} ms behind, dropping", source.title(), d * 1000 / rate);
                        int now2 = (int) Math.min(d, frames - from);
                        from += now2;
                        pendingDrop += d - now2;
                        driftMs = 0;
                        if (from == frames) {
                            continue;
                        }
                    } else if (drift > bound) {
                        drift = Math.min(drift, rate); // at most a second of silence at a time
                        LOG.debug("{}: {} ms ahead, inserting silence", source.title(), drift * 1000 / rate);
                        netSkip -= drift;
                        inserted += drift;
                        driftMs = 0;
                        if (!writeFully(s, new byte[(int) drift * frameSize], 0, (int) drift * frameSize)) {
                            break;
                        }
                    }
                }
                if (first) {
                    handedOverAt = clock.nanoTime();
                    first = false;
                }
                if (!writeFully(s, chunk, from * frameSize, (frames - from) * frameSize)) {
                    break;
                }
            }
            if (cancelled) {
                return;
            }
            // The song is decoded and handed over: let the sink play out what it holds.
            long left = s.bufferedFrames();
            if (left > 0) {
                clock.sleepUntil(clock.nanoTime() + nanosFor(left, rate));
            }
            endPositionMs = decoder.positionSamples() * 1000 / rate;
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

        /** Writes all of it unless cancelled; false when playback must end. */
        private boolean writeFully(AudioSink s, byte[] pcm, int off, int len) {
            int end = off + len;
            while (off < end) {
                if (cancelled) {
                    return false;
                }
                int n = s.write(pcm, off, end - off);
                if (n <= 0) {
                    if (!cancelled) {
                        LOG.warn("sink {} stopped taking samples; ending {}", s.name(), source.title());
                    }
                    return false;
                }
                off += n;
            }
            return !cancelled;
        }
    }
}
