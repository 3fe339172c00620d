package dev.thing.client.audio;

import dev.thing.client.board.BoardState;
import dev.thing.protocol.board.BoardTiming;
import dev.thing.protocol.board.Mix;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import javax.sound.sampled.AudioFormat;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The board's sound, mixed into the output line where every frame (a song's, or the silence between songs) is
 * written to the sink ({@link OutputLine#write}), so the board and the song share one frame counter and one
 * mapping of frames to instants: the line's filtered position ({@link OutputLine#soundsAt}), the very mapping that
 * places a song's samples.
 *
 * <p><b>Placement.</b> Board frame 0 is the START's instant mapped to the local clock (as a PLAY's is) less the
 * {@code --latency}; column k of loop i starts {@code BoardTiming} microseconds after it, converted to frames at
 * the line's rate. The line frame of board frame 0 (the anchor) is taken from the line's position at the first write
 * after the START, and checked at every write: an error beyond {@link Player#JUMP_NANOS} (a stall, an underrun) moves
 * it at once; a smaller one (the device's clock drifting) at the next loop's start, where a whole loop begins
 * afresh anyway.
 *
 * <p><b>Rendering.</b> A loop is rendered by {@link BoardRenderer} on the {@code renderer} executor, never on the
 * line's thread; the latest board is rendered (changes that come in a burst, as a SIZE's rows do, cost one render
 * when the worker is busy). A new render is taken at the next loop's start, so a loop never changes halfway. Until a
 * render for the board's size and tempo exists, the board is silent.
 *
 * <p><b>Mix.</b> OVER: the board's samples are added to the song's, saturating at the 16-bit bounds (no wrap-around).
 * INSTEAD: from the board's start until it stops, the song's samples are replaced by the board's (the song's clock
 * runs on, so it is heard at its right place again). STOP silences the board from the next write on.
 */
public final class BoardMix {
    private static final Logger LOG = LogManager.getLogger(BoardMix.class);

    /** The board as it should sound: its loop's start on the local clock (latency applied), tempo, width, mix. */
    private record Plan(long startUs, long startNanos, int bpm, int columns, Mix mix) {
        boolean sameTimeline(Plan o) {
            return o != null && startNanos == o.startNanos && bpm == o.bpm && columns == o.columns;
        }
    }

    private final Executor renderer;
    private final long latencyNanos;
    private final AtomicReference<BoardState.Snapshot> wanted = new AtomicReference<>();
    private volatile BoardState.Snapshot last;
    private volatile Plan plan;
    private volatile AudioFormat format = Player.WARM_FORMAT;
    private volatile BoardRenderer.Loop ready;
    private volatile String failed;

    // The writer's state: touched only under the line's lock, by whoever writes.
    private Plan mixing;
    private boolean anchored;
    private long anchor;
    private long loopIndex = -1;
    private BoardRenderer.Loop current;
    private BoardRenderer.Loop previous;

    /**
     * @param renderer     where loops are rendered (a worker thread; a test may render on the caller)
     * @param latencyNanos the player's {@code --latency}: the board, like a song, is handed over that much earlier
     */
    public BoardMix(Executor renderer, long latencyNanos) {
        this.renderer = renderer;
        this.latencyNanos = latencyNanos;
    }

    /**
     * The board changed: {@code startNanos} is its START mapped to the local clock (ignored while it is stopped).
     * Renders the new board if its sound changed; a stop is silent from the next write.
     */
    public void update(BoardState.Snapshot board, long startNanos) {
        Plan p = board.playing() ? new Plan(board.startUs(), startNanos - latencyNanos, board.bpm(),
                board.shape().columns(), board.mix()) : null;
        Plan old = plan;
        if (p != null && old != null && p.startUs() == old.startUs() && (p.bpm() != old.bpm()
                || p.columns() != old.columns())) {
            // A TEMPO or SIZE while playing: the server starts the board over at a new instant (its START follows).
            p = null;
        }
        plan = p;
        last = board;
        BoardRenderer.Loop r = ready;
        if (r == null || !r.key().equals(BoardRenderer.key(board)) || !r.fits(format)) {
            request(board);
        }
    }

    /** True while the board is to sound (started, not stopped). */
    public boolean playing() {
        return plan != null;
    }

    /** The loop rendered last (for status and tests), or null. */
    public BoardRenderer.Loop rendered() {
        return ready;
    }

    private void request(BoardState.Snapshot board) {
        if (wanted.getAndSet(board) == null) {
            renderer.execute(this::renderWanted);
        }
    }

    private void renderWanted() {
        BoardState.Snapshot board;
        while ((board = wanted.getAndSet(null)) != null) {
            AudioFormat f = format;
            BoardRenderer.Loop r = ready;
            if (r != null && r.key().equals(BoardRenderer.key(board)) && r.fits(f)) {
                continue;
            }
            long t0 = System.nanoTime();
            try {
                ready = BoardRenderer.render(board, f);
                failed = null;
                LOG.info("board rendered: {} x {} at {} bpm, {} frames of {} in {} ms", board.shape().columns(),
                        board.shape().rows(), board.bpm(), ready.frames(), f, (System.nanoTime() - t0) / 1_000_000);
            } catch (IOException | RuntimeException e) {
                failed = e.getMessage();
                LOG.error("cannot render the board: {}", e.toString());
                LOG.debug("cannot render the board", e);
            }
        }
    }

    /** Why the last render failed, or null. */
    public String failure() {
        return failed;
    }

    /**
     * Mixes the board into {@code buf[off, off + len)}, the PCM about to be written to {@code line} from frame
     * {@code firstFrame} on; {@code song} says whether it is a song's (muted under INSTEAD) or the line's silence.
     * Called with the line's lock held.
     */
    synchronized void mixInto(byte[] buf, int off, int len, long firstFrame, OutputLine line, boolean song) {
        Plan p = plan;
        if (p == null) {
            mixing = null;
            return;
        }
        if (!p.sameTimeline(mixing)) {
            anchored = false;
            loopIndex = -1;
            current = null;
            previous = null;
        }
        mixing = p;
        int frameSize = line.frameSize;
        int n = len / frameSize;
        int rate = line.rate;
        AudioFormat f = line.format;
        if (!f.matches(format) || !format.matches(f)) {
            format = f;
            BoardState.Snapshot b = last;
            if (b != null) {
                request(b);
            }
        }
        double expected = (line.soundsAt(firstFrame) - p.startNanos()) * rate / 1e9; // the board frame due now
        if (!anchored || Math.abs((firstFrame - anchor) - expected) > Player.JUMP_NANOS * 1e-9 * rate) {
            anchor = firstFrame - Math.round(expected);
            anchored = true;
        }
        long shift = Math.round((firstFrame - anchor) - expected); // moved at the next loop's start
        if (firstFrame + n - anchor <= 0) {
            return; // the board has not started yet
        }
        int i = (int) Math.max(0, anchor - firstFrame);
        if (song && p.mix() == Mix.INSTEAD) {
            java.util.Arrays.fill(buf, off + i * frameSize, off + n * frameSize, (byte) 0);
        }
        BoardRenderer.Loop r = ready;
        while (i < n) {
            long b = firstFrame + i - anchor;
            long loop = loopAt(p, b, rate);
            if (loop != loopIndex) {
                if (loopIndex >= 0 && shift != 0) {
                    anchor += shift;
                    shift = 0;
                    continue;
                }
                previous = loop == loopIndex + 1 ? current : null;
                current = r != null && r.fits(f) && r.bpm() == p.bpm() && r.columns() == p.columns() ? r : null;
                loopIndex = loop;
            }
            long start = loopStart(p, loop, rate);
            long end = loopStart(p, loop + 1, rate);
            int seg = (int) Math.min(n - i, end - b);
            add(buf, off + i * frameSize, seg, current, b - start, frameSize);
            if (previous != null) {
                add(buf, off + i * frameSize, seg, previous, b - loopStart(p, loop - 1, rate), frameSize);
            }
            i += seg;
        }
    }

    /** The board frame loop {@code loop} starts at. */
    private static long loopStart(Plan p, long loop, int rate) {
        long us = BoardTiming.stepStartUs(0, p.bpm(), loop * p.columns());
        return Math.floorDiv(us * rate + 500_000, 1_000_000);
    }

    /** The loop board frame {@code b} (>= 0) is in. */
    private static long loopAt(Plan p, long b, int rate) {
        long loop = Math.max(0, (long) Math.floor(b / (double) Math.max(1, loopStart(p, 1, rate))));
        while (loop > 0 && loopStart(p, loop, rate) > b) {
            loop--;
        }
        while (loopStart(p, loop + 1, rate) <= b) {
            loop++;
        }
        return loop;
    }

    /** Adds {@code frames} frames of {@code loop} from its frame {@code from} into {@code buf} at {@code at}. */
    private static void add(byte[] buf, int at, int frames, BoardRenderer.Loop loop, long from, int frameSize) {
        if (loop == null) {
            return;
        }
        long total = loop.frames();
        long first = Math.max(0, from);
        long last = Math.min(total, from + frames);
        if (first >= last) {
            return;
        }
        byte[] pcm = loop.pcm();
        int dst = at + (int) (first - from) * frameSize;
        int src = (int) first * frameSize;
        int bytes = (int) (last - first) * frameSize;
        for (int k = 0; k + 1 < bytes; k += 2) {
            int s = (short) ((buf[dst + k] & 0xff) | (buf[dst + k + 1] << 8))
                    + (short) ((pcm[src + k] & 0xff) | (pcm[src + k + 1] << 8));
            s = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, s));
            buf[dst + k] = (byte) s;
            buf[dst + k + 1] = (byte) (s >> 8);
        }
    }
}
