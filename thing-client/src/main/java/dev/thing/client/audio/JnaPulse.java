package dev.thing.client.audio;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@link PulseApi} on libpulse itself, PulseAudio's client library, called through JNA (no JNI code of our own):
 * its asynchronous API on a threaded main loop. The playback stream is opened with
 * {@code INTERPOLATE_TIMING | NOT_MONOTONIC | AUTO_TIMING_UPDATE | ADJUST_LATENCY}: the server reports the stream's
 * timing by itself, the library interpolates between reports, and the buffer asked for is the latency of the whole
 * path (the sink's own buffer included). {@link Stream#timing()} hands out the server's latest timing report as it
 * came ({@code pa_stream_get_timing_info}: read index, sink latency, the server's timestamp), which is exact;
 * {@code pa_stream_get_time}, the library's interpolation, runs a smoother that keeps the error of its first
 * reports for many seconds (tens of ms at first, a few ms after 10 s, measured). It does not pre-buffer
 * ({@code prebuf} 0): a stream that runs dry plays silence and its time goes on, so a frame is always heard at the
 * time its index says (a late write is dropped, not played late), and an underrun cannot put a client off the
 * lobby's timeline.
 *
 * <p>Every call into the library holds the main loop's lock; waits are done on a Java monitor with a timeout (the
 * library's callbacks notify it), so a thread waiting here can be interrupted and no wait lasts for ever.
 */
public final class JnaPulse implements PulseApi {
    private static final Logger LOG = LogManager.getLogger(JnaPulse.class);

    // enum values from <pulse/def.h> and <pulse/sample.h>
    static final int PA_SAMPLE_S16LE = 3;
    static final int PA_CONTEXT_NOAUTOSPAWN = 1;
    static final int PA_CONTEXT_READY = 4;
    static final int PA_CONTEXT_FAILED = 5;
    static final int PA_CONTEXT_TERMINATED = 6;
    static final int PA_STREAM_READY = 2;
    static final int PA_STREAM_FAILED = 3;
    static final int PA_STREAM_TERMINATED = 4;
    static final int PA_STREAM_INTERPOLATE_TIMING = 0x0002;
    static final int PA_STREAM_NOT_MONOTONIC = 0x0004;
    static final int PA_STREAM_AUTO_TIMING_UPDATE = 0x0008;
    static final int PA_STREAM_ADJUST_LATENCY = 0x2000;
    static final int PA_OPERATION_RUNNING = 0;
    static final int PA_SEEK_RELATIVE = 0;

    /** The libpulse functions used, mapped by JNA. */
    @SuppressWarnings({"checkstyle:MethodName", "unused"})
    public interface Lib extends Library {
        Pointer pa_threaded_mainloop_new();

        int pa_threaded_mainloop_start(Pointer m);

        void pa_threaded_mainloop_stop(Pointer m);

        void pa_threaded_mainloop_free(Pointer m);

        void pa_threaded_mainloop_lock(Pointer m);

        void pa_threaded_mainloop_unlock(Pointer m);

        Pointer pa_threaded_mainloop_get_api(Pointer m);

        Pointer pa_context_new(Pointer api, String name);

        int pa_context_connect(Pointer c, String server, int flags, Pointer spawnApi);

        void pa_context_disconnect(Pointer c);

        void pa_context_unref(Pointer c);

        int pa_context_get_state(Pointer c);

        int pa_context_errno(Pointer c);

        void pa_context_set_state_callback(Pointer c, NotifyCallback cb, Pointer userdata);

        String pa_strerror(int error);

        String pa_get_library_version();

        Pointer pa_stream_new(Pointer c, String name, SampleSpec ss, Pointer channelMap);

        void pa_stream_set_state_callback(Pointer s, NotifyCallback cb, Pointer userdata);

        void pa_stream_set_write_callback(Pointer s, RequestCallback cb, Pointer userdata);

        int pa_stream_connect_playback(Pointer s, String dev, BufferAttr attr, int flags, Pointer volume,
                Pointer syncStream);

        int pa_stream_get_state(Pointer s);

        NativeLong pa_stream_writable_size(Pointer s);

        int pa_stream_write(Pointer s, Pointer data, NativeLong nbytes, Pointer freeCb, long offset, int seek);

        int pa_stream_get_time(Pointer s, LongByReference usec);

        int pa_stream_get_latency(Pointer s, LongByReference usec, IntByReference negative);

        Pointer pa_stream_flush(Pointer s, SuccessCallback cb, Pointer userdata);

        Pointer pa_stream_cork(Pointer s, int b, SuccessCallback cb, Pointer userdata);

        Pointer pa_stream_update_timing_info(Pointer s, SuccessCallback cb, Pointer userdata);

        Pointer pa_stream_get_timing_info(Pointer s);

        String pa_stream_get_device_name(Pointer s);

        int pa_stream_disconnect(Pointer s);

        void pa_stream_unref(Pointer s);

        int pa_operation_get_state(Pointer o);

        void pa_operation_unref(Pointer o);
    }

    /** {@code pa_context_notify_cb_t} and {@code pa_stream_notify_cb_t}. */
    public interface NotifyCallback extends Callback {
        void invoke(Pointer object, Pointer userdata);
    }

    /** {@code pa_stream_request_cb_t}. */
    public interface RequestCallback extends Callback {
        void invoke(Pointer stream, NativeLong nbytes, Pointer userdata);
    }

    /** {@code pa_stream_success_cb_t}. */
    public interface SuccessCallback extends Callback {
        void invoke(Pointer stream, int success, Pointer userdata);
    }

    /** {@code pa_sample_spec}. */
    @Structure.FieldOrder({"format", "rate", "channels"})
    public static final class SampleSpec extends Structure {
        public int format;
        public int rate;
        public byte channels;
    }

    /** {@code pa_buffer_attr}; -1 is "the server's default". */
    @Structure.FieldOrder({"maxlength", "tlength", "prebuf", "minreq", "fragsize"})
    public static final class BufferAttr extends Structure {
        public int maxlength = -1;
        public int tlength = -1;
        public int prebuf = -1;
        public int minreq = -1;
        public int fragsize = -1;
    }

    /** {@code pa_timing_info} (the timestamp, the sink's latency, playing, and the two indexes are read). */
    @Structure.FieldOrder({"tvSec", "tvUsec", "synchronizedClocks", "sinkUsec", "sourceUsec", "transportUsec",
            "playing", "writeIndexCorrupt", "writeIndex", "readIndexCorrupt", "readIndex", "configuredSinkUsec",
            "configuredSourceUsec", "sinceUnderrun"})
    public static final class TimingInfo extends Structure {
        public NativeLong tvSec;
        public NativeLong tvUsec;
        public int synchronizedClocks;
        public long sinkUsec;
        public long sourceUsec;
        public long transportUsec;
        public int playing;
        public int writeIndexCorrupt;
        public long writeIndex;
        public int readIndexCorrupt;
        public long readIndex;
        public long configuredSinkUsec;
        public long configuredSourceUsec;
        public long sinceUnderrun;

        public TimingInfo(Pointer p) {
            super(p);
            read();
        }
    }

    private final Lib lib;
    private final String appName;

    private JnaPulse(Lib lib, String appName) {
        this.lib = lib;
        this.appName = appName;
    }

    /**
     * Loads libpulse ({@code libpulse.so}, else {@code libpulse.so.0}, the name the runtime package installs).
     *
     * @throws PulseException if it cannot be loaded (not installed, or JNA's own native part cannot run here)
     */
    public static JnaPulse load(String appName) {
        return load(appName, "pulse", "libpulse.so.0");
    }

    /** Loads the first of {@code names} that loads. */
    static JnaPulse load(String appName, String... names) {
        Throwable first = null;
        for (String name : names) {
            try {
                Lib lib = Native.load(name, Lib.class);
                LOG.debug("loaded libpulse {}", lib.pa_get_library_version());
                return new JnaPulse(lib, appName);
            } catch (LinkageError | RuntimeException e) { // NOPMD: no library, or no JNA native part: both mean "no"
                if (first == null) {
                    first = e;
                }
            }
        }
        throw new PulseException("cannot load libpulse, PulseAudio's client library (install libpulse0): "
                + (first == null ? "not found" : first.getMessage()), first);
    }

    @Override
    public void probe(long timeoutMillis) {
        new Connection(timeoutMillis).close();
    }

    @Override
    public Stream openPlayback(String streamName, int rate, int channels, int targetLengthBytes, long timeoutMillis) {
        Connection c = new Connection(timeoutMillis);
        try {
            return c.open(streamName, rate, channels, targetLengthBytes, timeoutMillis);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** A threaded main loop and a context on it; with at most one stream. */
    private final class Connection implements Stream {
        private final Object monitor = new Object();
        private final AtomicLong events = new AtomicLong();
        private final Pointer loop;
        private final Pointer context;
        private Pointer stream;
        private Memory buffer = new Memory(16 * 1024);
        private boolean closed;
        private String device = "?";
        private boolean started;
        private long bytesPerSecond;
        // Kept referenced for as long as the library may call them.
        private final NotifyCallback onState = (o, u) -> signal();
        private final RequestCallback onWritable = (s, n, u) -> signal();
        private final SuccessCallback onDone = (s, ok, u) -> signal();

        Connection(long timeoutMillis) {
            loop = lib.pa_threaded_mainloop_new();
            if (loop == null) {
                throw new PulseException("libpulse could not make a main loop");
            }
            context = lib.pa_context_new(lib.pa_threaded_mainloop_get_api(loop), appName);
            if (context == null) {
                lib.pa_threaded_mainloop_free(loop);
                throw new PulseException("libpulse could not make a context");
            }
            lib.pa_context_set_state_callback(context, onState, null);
            if (lib.pa_context_connect(context, null, PA_CONTEXT_NOAUTOSPAWN, null) < 0) {
                String why = lib.pa_strerror(lib.pa_context_errno(context));
                lib.pa_context_unref(context);
                lib.pa_threaded_mainloop_free(loop);
                throw new PulseException("no PulseAudio server: " + why);
            }
            if (lib.pa_threaded_mainloop_start(loop) < 0) {
                lib.pa_context_unref(context);
                lib.pa_threaded_mainloop_free(loop);
                throw new PulseException("libpulse could not start its main loop thread");
            }
            try {
                awaitState(true, timeoutMillis);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        private void signal() {
            events.incrementAndGet();
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }

        /** Waits (up to the timeout) for the context (or the stream) to be ready; throws if it failed. */
        private void awaitState(boolean ofContext, long timeoutMillis) {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (true) {
                long seen = events.get();
                int state;
                int err;
                lib.pa_threaded_mainloop_lock(loop);
                try {
                    state = ofContext ? lib.pa_context_get_state(context) : lib.pa_stream_get_state(stream);
                    err = lib.pa_context_errno(context);
                } finally {
                    lib.pa_threaded_mainloop_unlock(loop);
                }
                if (ofContext && state == PA_CONTEXT_READY || !ofContext && state == PA_STREAM_READY) {
                    return;
                }
                if (ofContext && (state == PA_CONTEXT_FAILED || state == PA_CONTEXT_TERMINATED)) {
                    throw new PulseException("no PulseAudio server answered: " + lib.pa_strerror(err));
                }
                if (!ofContext && (state == PA_STREAM_FAILED || state == PA_STREAM_TERMINATED)) {
                    throw new PulseException("PulseAudio refused the playback stream: " + lib.pa_strerror(err));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new PulseException("the PulseAudio server did not answer within " + timeoutMillis + " ms");
                }
                waitForEvent(seen, left);
            }
        }

        /** Waits up to {@code nanos} for a callback after event {@code seen}. */
        private void waitForEvent(long seen, long nanos) {
            long deadline = System.nanoTime() + nanos;
            synchronized (monitor) {
                long left;
                while (events.get() == seen && (left = deadline - System.nanoTime()) > 0) {
                    try {
                        monitor.wait(Math.max(1, left / 1_000_000L));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        Stream open(String name, int rate, int channels, int targetLengthBytes, long timeoutMillis) {
            SampleSpec ss = new SampleSpec();
            ss.format = PA_SAMPLE_S16LE;
            ss.rate = rate;
            ss.channels = (byte) channels;
            bytesPerSecond = (long) rate * channels * 2;
            BufferAttr attr = new BufferAttr();
            attr.tlength = targetLengthBytes;
            // No pre-buffering: the stream never stops for want of data. An underrun plays silence and the read
            // index moves on, so frame n of the stream is always heard at stream time n / rate: what is written late
            // is dropped by the server, and the stream stays on the lobby's timeline (and a flush does not stall it).
            attr.prebuf = 0;
            int flags = PA_STREAM_INTERPOLATE_TIMING | PA_STREAM_NOT_MONOTONIC | PA_STREAM_AUTO_TIMING_UPDATE
                    | PA_STREAM_ADJUST_LATENCY;
            lib.pa_threaded_mainloop_lock(loop);
            try {
                stream = lib.pa_stream_new(context, name, ss, null);
                if (stream == null) {
                    throw new PulseException("PulseAudio refused the stream: "
                            + lib.pa_strerror(lib.pa_context_errno(context)));
                }
                lib.pa_stream_set_state_callback(stream, onState, null);
                lib.pa_stream_set_write_callback(stream, onWritable, null);
                // dev null: the default sink, or $PULSE_SINK
                if (lib.pa_stream_connect_playback(stream, null, attr, flags, null, null) < 0) {
                    throw new PulseException("PulseAudio refused the playback stream: "
                            + lib.pa_strerror(lib.pa_context_errno(context)));
                }
            } finally {
                lib.pa_threaded_mainloop_unlock(loop);
            }
            awaitState(false, timeoutMillis);
            lib.pa_threaded_mainloop_lock(loop);
            try {
                String d = lib.pa_stream_get_device_name(stream);
                device = d == null ? "?" : d;
            } finally {
                lib.pa_threaded_mainloop_unlock(loop);
            }
            return this;
        }

        private void checkStream() {
            int state = lib.pa_stream_get_state(stream);
            if (state != PA_STREAM_READY) {
                throw new PulseException("the PulseAudio stream failed: "
                        + lib.pa_strerror(lib.pa_context_errno(context)));
            }
        }

        @Override
        public int awaitWritable(long timeoutNanos) throws InterruptedException {
            long seen = events.get();
            int n = writable();
            if (n > 0) {
                return n;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            waitForEvent(seen, timeoutNanos);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return writable();
        }

        private int writable() {
            lib.pa_threaded_mainloop_lock(loop);
            try {
                if (closed) {
                    return 0;
                }
                checkStream();
                long n = lib.pa_stream_writable_size(stream).longValue();
                return n < 0 ? 0 : (int) Math.min(n, Integer.MAX_VALUE);
            } finally {
                lib.pa_threaded_mainloop_unlock(loop);
            }
        }

        @Override
        public void write(byte[] pcm, int off, int len) {
            lib.pa_threaded_mainloop_lock(loop);
            try {
                if (closed) {
                    return;
                }
                if (buffer.size() < len) {
                    buffer = new Memory(Math.max(len, buffer.size() * 2));
                }
                buffer.write(0, pcm, off, len);
                // No free callback: the library copies the data before returning.
                if (lib.pa_stream_write(stream, buffer, new NativeLong(len), null, 0, PA_SEEK_RELATIVE) < 0) {
                    throw new PulseException("writing to PulseAudio failed: "
                            + lib.pa_strerror(lib.pa_context_errno(context)));
                }
            } finally {
                lib.pa_threaded_mainloop_unlock(loop);
            }
        }

        @Override
        public long playedMicros() {
            LongByReference usec = new LongByReference();
            lib.pa_threaded_mainloop_lock(loop);
            try {
                if (closed || lib.pa_stream_get_time(stream, usec) < 0) {
                    return -1;
                }
                Pointer p = lib.pa_stream_get_timing_info(stream);
                if (p == null || new TimingInfo(p).playing == 0 && !started) {
                    return -1; // before the stream first plays, the library's time is not yet the sink's
                }
                started = true;
            } finally {
                lib.pa_threaded_mainloop_unlock(loop);
            }
            return usec.getValue();
        }

        @Override
        public void requestTiming() {
            lib.pa_threaded_mainloop_lock(loop);
            try {
                if (closed || lib.pa_stream_get_state(stream) != PA_STREAM_READY) {
                    return;
                }
                Pointer op = lib.pa_stream_update_timing_info(stream, null, null);
                if (op != null) {
                    lib.pa_operation_unref(op); // the answer updates the stream's timing info by itself
                }
            } finally {
                lib.pa_threaded_mainloop_unlock(loop);
            }
        }

        @Override
        public PulseApi.Timing timing() {
            lib.pa_threaded_mainloop_lock(loop);
            try {
                if (closed || bytesPerSecond <= 0) {
                    return null;
                }
                Pointer p = lib.pa_stream_get_timing_info(stream);
                if (p == null) {
                    return null;
                }
                TimingInfo t = new TimingInfo(p);
                if (t.readIndexCorrupt != 0 || t.readIndex < 0) {
                    return null;
                }
                long epochMicros = t.tvSec.longValue() * 1_000_000L + t.tvUsec.longValue();
                long readMicros = Math.floorDiv(t.readIndex * 1_000_000L, bytesPerSecond);
                return new PulseApi.Timing(epochMicros, readMicros - t.sinkUsec, t.playing != 0);
            } finally {
                lib.pa_threaded_mainloop_unlock(loop);
            }
        }

        @Override
        public long latencyMicros() {
            LongByReference usec = new LongByReference();
            IntByReference negative = new IntByReference();
            lib.pa_threaded_mainloop_lock(loop);
            try {
                if (closed || lib.pa_stream_get_latency(stream, usec, negative) < 0) {
                    return -1;
                }
            } finally {
                lib.pa_threaded_mainloop_unlock(loop);
            }
            return negative.getValue() != 0 ? 0 : usec.getValue();
        }

        @Override
        public long flush() {
            Pointer op;
            lib.pa_threaded_mainloop_lock(loop);
            try {
                if (closed) {
                    return 0;
                }
                checkStream();
                op = lib.pa_stream_flush(stream, onDone, null);
            } finally {
                lib.pa_threaded_mainloop_unlock(loop);
            }
            await(op, "flush");
            lib.pa_threaded_mainloop_lock(loop);
            try {
                op = lib.pa_stream_update_timing_info(stream, onDone, null);
            } finally {
                lib.pa_threaded_mainloop_unlock(loop);
            }
            await(op, "timing update");
            lib.pa_threaded_mainloop_lock(loop);
            try {
                Pointer p = lib.pa_stream_get_timing_info(stream);
                if (p == null) {
                    throw new PulseException("PulseAudio gave no timing after a flush");
                }
                TimingInfo t = new TimingInfo(p);
                if (t.writeIndexCorrupt != 0) {
                    throw new PulseException("PulseAudio's write index is unknown after a flush");
                }
                return t.writeIndex;
            } finally {
                lib.pa_threaded_mainloop_unlock(loop);
            }
        }

        /** Waits (up to 2 s) for an operation to finish, then lets it go. */
        private void await(Pointer op, String what) {
            if (op == null) {
                throw new PulseException("PulseAudio refused the " + what + ": "
                        + lib.pa_strerror(lib.pa_context_errno(context)));
            }
            long deadline = System.nanoTime() + 2_000_000_000L;
            try {
                while (true) {
                    long seen = events.get();
                    int state;
                    lib.pa_threaded_mainloop_lock(loop);
                    try {
                        state = lib.pa_operation_get_state(op);
                    } finally {
                        lib.pa_threaded_mainloop_unlock(loop);
                    }
                    if (state != PA_OPERATION_RUNNING) {
                        return;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new PulseException("PulseAudio did not finish the " + what + " within 2 s");
                    }
                    waitForEvent(seen, Math.min(left, 50_000_000L));
                }
            } finally {
                lib.pa_threaded_mainloop_lock(loop);
                try {
                    lib.pa_operation_unref(op);
                } finally {
                    lib.pa_threaded_mainloop_unlock(loop);
                }
            }
        }

        @Override
        public void cork(boolean paused) {
            Pointer op;
            lib.pa_threaded_mainloop_lock(loop);
            try {
                if (closed) {
                    return;
                }
                checkStream();
                op = lib.pa_stream_cork(stream, paused ? 1 : 0, onDone, null);
            } finally {
                lib.pa_threaded_mainloop_unlock(loop);
            }
            await(op, paused ? "pause" : "resume");
        }

        @Override
        public void wake() {
            signal();
        }

        @Override
        public String describe() {
            return device;
        }

        @Override
        public void close() {
            lib.pa_threaded_mainloop_lock(loop);
            try {
                if (closed) {
                    return;
                }
                closed = true;
                if (stream != null) {
                    lib.pa_stream_set_state_callback(stream, null, null);
                    lib.pa_stream_set_write_callback(stream, null, null);
                    lib.pa_stream_disconnect(stream);
                }
                lib.pa_context_set_state_callback(context, null, null);
                lib.pa_context_disconnect(context);
            } finally {
                lib.pa_threaded_mainloop_unlock(loop);
            }
            lib.pa_threaded_mainloop_stop(loop);
            if (stream != null) {
                lib.pa_stream_unref(stream);
            }
            lib.pa_context_unref(context);
            lib.pa_threaded_mainloop_free(loop);
            signal();
        }
    }
}
