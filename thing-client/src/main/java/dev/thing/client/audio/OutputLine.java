package dev.thing.client.audio;

import dev.thing.client.sync.LocalClock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sound.sampled.AudioFormat;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * An open sink with what the player knows about it: its frame count, its filtered play position
 * ({@link PositionFilter}, fed after every write), and who may write. A line that {@link AudioSink#keepsRunning()}
 * is started at once and fed silence by its own thread whenever no song owns it, so it never stops: its delay stays
 * measured and a song's first sample goes into a stream already flowing. Any other line belongs to one song.
 */
final class OutputLine implements AutoCloseable {
    /** Silence between songs is written in pieces of this length. */
    static final long IDLE_CHUNK_NANOS = 10_000_000L;
    /** A position report that took longer than this to read is not used. */
    static final long MAX_REPORT_NANOS = 1_000_000L;

    private static final Logger LOG = LogManager.getLogger(OutputLine.class);

    final AudioSink sink;
    final AudioFormat format;
    final int rate;
    final int frameSize;
    final boolean continuous;
    final PositionFilter filter;
    private final LocalClock clock;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition free = lock.newCondition();
    private Object owner;
    private volatile boolean closed;
    private Thread idle;
    /** The board's sound, mixed into every write (a song's or the silence); null: none. */
    private final BoardMix board;
    private byte[] scratch = new byte[0];

    private OutputLine(AudioSink sink, AudioFormat format, LocalClock clock, boolean continuous, BoardMix board) {
        this.board = board;
        this.sink = sink;
        this.format = format;
        this.clock = clock;
        this.rate = Math.round(format.getFrameRate());
        this.frameSize = Math.max(1, format.getFrameSize());
        this.continuous = continuous;
        this.filter = new PositionFilter(rate, sink.positionSettings());
    }

    /**
     * Opens {@code sink} for {@code fmt}, owned by {@code owner} (null: nobody); if it keeps running, starts it and
     * (for as long as nobody owns it) its silence at once.
     */
    static OutputLine open(AudioSink sink, AudioFormat fmt, LocalClock clock, Object owner) {
        return open(sink, fmt, clock, owner, null);
    }

    /** As {@link #open(AudioSink, AudioFormat, LocalClock, Object)}, with the board mixed into all it writes. */
    static OutputLine open(AudioSink sink, AudioFormat fmt, LocalClock clock, Object owner, BoardMix board) {
        sink.open(fmt);
        OutputLine l = new OutputLine(sink, fmt, clock, sink.keepsRunning(), board);
        l.owner = owner;
        if (l.continuous) {
            sink.start();
            l.idle = new Thread(l::feedSilence, "thing-output-idle");
            l.idle.setDaemon(true);
            l.idle.start();
        }
        return l;
    }

    boolean matches(AudioFormat fmt) {
        return !closed && fmt.matches(format) && format.matches(fmt);
    }

    boolean isClosed() {
        return closed;
    }

    /** Makes {@code who} the only writer (the silence stops after its current piece). */
    void acquire(Object who) {
        lock.lock();
        try {
            owner = who;
        } finally {
            lock.unlock();
        }
    }

    /** {@code who} stops writing (waits for a write under way); the silence resumes. */
    void release(Object who) {
        lock.lock();
        try {
            if (owner == who) {
                owner = null;
                free.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Discards what is buffered and forgets the position's history (which a flush breaks). */
    void flushAndForget() {
        lock.lock();
        try {
            sink.flush();
            filter.reset();
        } finally {
            lock.unlock();
        }
    }

    /** The index of the next frame written. */
    long nextFrame() {
        return sink.writtenFrames();
    }

    /** When frame {@code frame} will start to play, as best known: the filtered estimate, else the raw report. */
    double soundsAt(long frame) {
        double t = filter.instantOf(frame);
        if (Double.isNaN(t)) {
            t = clock.nanoTime() + (frame - sink.playedFrames()) * 1e9 / rate;
        }
        return t;
    }

    /**
     * Writes all of {@code pcm[off, off + len)} for {@code who}: false if {@code who} does not own the line (any
     * more), or the sink stopped taking samples.
     */
    boolean write(Object who, byte[] pcm, int off, int len) {
        lock.lock();
        try {
            if (owner == who && !closed) {
                byte[] mixed = withBoard(pcm, off, len, true);
                if (mixed != pcm) {
                    pcm = mixed;
                    off = 0;
                }
            }
            int end = off + len;
            while (off < end) {
                if (owner != who || closed) {
                    return false;
                }
                int n = sink.write(pcm, off, end - off);
                if (n <= 0) {
                    return false;
                }
                off += n;
                report();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code pcm[off, off + len)} with the board mixed in, as a copy (the caller's buffer, the shared silence, is
     * left alone), for the frames from the next one written on; {@code pcm} itself when the board is silent. Called
     * with the lock held.
     */
    private byte[] withBoard(byte[] pcm, int off, int len, boolean song) {
        if (board == null || !board.playing()) {
            return pcm;
        }
        if (scratch.length < len) {
            scratch = new byte[len];
        }
        System.arraycopy(pcm, off, scratch, 0, len);
        board.mixInto(scratch, 0, len, sink.writtenFrames(), this, song);
        return scratch;
    }

    /**
     * Feeds the device's position report, if it has one, to the filter: one the device stamped itself as it is
     * ({@link AudioSink#stampsItsReports()}: PulseAudio's timing reports), any other stamped with the middle of the
     * moments just before and after it was read; such a read that took longer than {@link #MAX_REPORT_NANOS} (the
     * thread was preempted, or the sound library busy) is left out: when it was true is not known well enough.
     */
    private void report() {
        if (sink.stampsItsReports()) {
            AudioSink.TimedPosition r = sink.nextTimedPosition();
            if (r != null && sink.positionKnown()) {
                filter.add(r.nanos(), r.frames());
            }
            return;
        }
        long before = clock.nanoTime();
        long played = sink.playedFrames();
        long after = clock.nanoTime();
        if (sink.positionKnown() && after - before <= MAX_REPORT_NANOS) {
            filter.add(before + (after - before) / 2, played);
        }
    }

    private void feedSilence() {
        int frames = (int) Math.max(1, rate * IDLE_CHUNK_NANOS / 1_000_000_000L);
        byte[] silence = new byte[frames * frameSize];
        while (!closed) {
            boolean wrote = false;
            lock.lock();
            try {
                while (owner != null && !closed) {
                    free.await(100, TimeUnit.MILLISECONDS);
                }
                if (closed) {
                    return;
                }
                byte[] out = withBoard(silence, 0, silence.length, false);
                int n = sink.write(out, 0, silence.length);
                if (n > 0) {
                    report();
                    wrote = true;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.debug("silence between songs", e);
            } finally {
                lock.unlock();
            }
            if (!wrote) {
                try {
                    Thread.sleep(10); // a sink that takes nothing (stopped): do not spin
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread t = idle;
        if (t != null) {
            t.interrupt();
            lock.lock();
            try {
                free.signalAll();
            } finally {
                lock.unlock();
            }
        }
        try {
            sink.stop();
            sink.flush();
        } catch (RuntimeException e) {
            LOG.debug("stopping the sink", e);
        }
        if (t != null) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.debug("closing the sink", e);
        }
    }
}
