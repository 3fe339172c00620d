package dev.thing.client.audio;

import dev.thing.client.sync.FakeClock;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PulseApi} for tests: a sound server simulated on a {@link FakeClock}. Its stream takes what is written
 * into a buffer of {@code targetBytes} (the tlength asked for), reads it out at exactly the sample rate from the
 * first write on, whether or not the data is there (no pre-buffering: an underrun plays silence, and what is written
 * for frames already read out is dropped), and a frame read out is heard {@code sinkLatencyNanos} later (the sink's
 * own buffer). A writer
 * waiting for room moves the fake clock on, as a real one would wait for the server. {@link #heardAt} tells the
 * truth the sink must find out: when a frame of the stream is heard.
 */
final class FakePulse implements PulseApi {
    final FakeClock clock;
    final long sinkLatencyNanos;
    final List<String> events = new ArrayList<>();
    FakeStream stream;
    String refuse; // openPlayback/probe throws with this message
    String failWritesWith; // writes throw with this message
    /**
     * Until the stream has run this long, its reported time moves in blocks of {@link #blockNanos} (held, then a
     * jump), as an idle null sink renders; 0: never.
     */
    long blockyForNanos;
    long blockNanos = 2_000_000_000L;
    /**
     * How far libpulse's interpolated time ({@link Stream#playedMicros()}) is off the truth: an offset and a rate
     * error from the stream's start, as its smoother keeps the error of its first points; the server's timing
     * reports ({@link Stream#timing()}) are exact.
     */
    long interpolationOffsetNanos;
    double interpolationPpm;
    /** Timing requests so far. */
    int timingRequests;

    FakePulse(FakeClock clock, long sinkLatencyNanos) {
        this.clock = clock;
        this.sinkLatencyNanos = sinkLatencyNanos;
    }

    @Override
    public synchronized Stream openPlayback(String name, int rate, int channels, int targetBytes, long timeoutMs) {
        if (refuse != null) {
            throw new PulseException(refuse);
        }
        events.add("open " + rate + "/" + channels + " tlength " + targetBytes);
        stream = new FakeStream(rate, channels * 2, targetBytes);
        return stream;
    }

    @Override
    public void probe(long timeoutMillis) {
        if (refuse != null) {
            throw new PulseException(refuse);
        }
    }

    /** The local instant at which frame {@code frame} of the stream is heard (before any flush). */
    synchronized double heardAt(long frame) {
        FakeStream s = stream;
        return s.startNanos + frame * 1e9 / s.rate + sinkLatencyNanos;
    }

    final class FakeStream implements Stream {
        final int rate;
        final int frameBytes;
        final int targetBytes;
        long writeIndex; // bytes
        long startNanos = Long.MIN_VALUE;
        boolean corked;
        boolean closed;
        int writes;
        PulseApi.Timing report; // the server's latest timing report

        FakeStream(int rate, int frameBytes, int targetBytes) {
            this.rate = rate;
            this.frameBytes = frameBytes;
            this.targetBytes = targetBytes;
        }

        /** Bytes read out of the buffer by now. */
        private long readIndex() {
            if (startNanos == Long.MIN_VALUE) {
                return 0;
            }
            return (clock.nanoTime() - startNanos) * rate / 1_000_000_000L * frameBytes;
        }

        @Override
        public int awaitWritable(long timeoutNanos) {
            synchronized (FakePulse.this) {
                if (failWritesWith != null) {
                    throw new PulseException(failWritesWith);
                }
                int room = (int) (targetBytes - (writeIndex - readIndex()));
                if (room > 0 && !corked) {
                    return room;
                }
            }
            clock.advance(Math.min(timeoutNanos, 1_000_000L)); // the server plays on meanwhile
            synchronized (FakePulse.this) {
                return corked ? 0 : (int) Math.max(0, targetBytes - (writeIndex - readIndex()));
            }
        }

        @Override
        public void write(byte[] pcm, int off, int len) {
            synchronized (FakePulse.this) {
                if (failWritesWith != null) {
                    throw new PulseException(failWritesWith);
                }
                if (len > targetBytes - (writeIndex - readIndex())) {
                    throw new AssertionError("wrote " + len + " bytes, more than the stream takes");
                }
                if (startNanos == Long.MIN_VALUE) {
                    startNanos = clock.nanoTime();
                }
                writeIndex += len;
                writes++;
            }
        }

        /** The stream time heard now, in ns, as the server knows it (in blocks while an idle null sink renders). */
        private long heardNanos() {
            long t = Math.max(0, clock.nanoTime() - startNanos - sinkLatencyNanos);
            if (clock.nanoTime() - startNanos < blockyForNanos) {
                t = t / blockNanos * blockNanos;
            }
            return t;
        }

        @Override
        public long playedMicros() {
            synchronized (FakePulse.this) {
                if (startNanos == Long.MIN_VALUE) {
                    return -1; // no timing report yet
                }
                long since = clock.nanoTime() - startNanos;
                long t = heardNanos() + interpolationOffsetNanos + Math.round(since * interpolationPpm * 1e-6);
                return Math.max(0, t) / 1000;
            }
        }

        @Override
        public void requestTiming() {
            synchronized (FakePulse.this) {
                timingRequests++;
                if (startNanos == Long.MIN_VALUE) {
                    return; // not playing yet: the server has nothing to report
                }
                // the server measures at once, stamped with its wall clock
                report = new PulseApi.Timing(clock.epochMicros(), heardNanos() / 1000, !corked);
            }
        }

        @Override
        public PulseApi.Timing timing() {
            synchronized (FakePulse.this) {
                return report;
            }
        }

        @Override
        public long latencyMicros() {
            synchronized (FakePulse.this) {
                long played = playedMicros();
                return played < 0 ? -1 : writeIndex / frameBytes * 1_000_000L / rate - played;
            }
        }

        @Override
        public long flush() {
            synchronized (FakePulse.this) {
                events.add("flush");
                report = null; // the read index is not valid until the next report
                writeIndex = readIndex(); // what the server had not read out is gone
                return writeIndex;
            }
        }

        @Override
        public void cork(boolean paused) {
            synchronized (FakePulse.this) {
                events.add(paused ? "cork" : "uncork");
                corked = paused;
            }
        }

        @Override
        public void wake() {
            // nothing waits for real here
        }

        @Override
        public String describe() {
            return "fake-sink";
        }

        @Override
        public void close() {
            synchronized (FakePulse.this) {
                events.add("close");
                closed = true;
            }
        }
    }
}
