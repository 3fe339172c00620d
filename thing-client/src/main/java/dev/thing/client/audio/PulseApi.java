package dev.thing.client.audio;

/**
 * The part of PulseAudio's client library (libpulse) that {@link PulseSink} uses: a connection to the sound server
 * and one playback stream on it. {@link JnaPulse} is the real one (libpulse's asynchronous API through JNA); tests
 * put a fake in its place, so the sink's position and latency mapping is checked without a sound server.
 */
public interface PulseApi {
    /**
     * Connects to the sound server (the default one, or {@code $PULSE_SERVER}; never spawns one) and opens a playback
     * stream of 16-bit signed little-endian PCM with the given rate and channels, asking for
     * {@code targetLengthBytes} of buffering in all (the server's own buffer included). Waits at most
     * {@code timeoutMillis} for the server to answer.
     *
     * @throws PulseException with a sentence saying why (no server, refused, the stream failed)
     */
    Stream openPlayback(String streamName, int rate, int channels, int targetLengthBytes, long timeoutMillis);

    /** Connects to the sound server and disconnects: whether one answers. Throws {@link PulseException} if not. */
    void probe(long timeoutMillis);

    /** One playback stream. Thread-safe: every call takes the library's main-loop lock. */
    interface Stream extends AutoCloseable {
        /**
         * Bytes the stream takes now; if none, waits up to {@code timeoutNanos} for the server to ask for more (or a
         * {@link #wake}) and returns what it takes then (possibly 0).
         *
         * @throws PulseException if the stream or the connection failed
         */
        int awaitWritable(long timeoutNanos) throws InterruptedException;

        /** Writes {@code len} bytes (at most what {@link #awaitWritable} said), appended at the write index. */
        void write(byte[] pcm, int off, int len);

        /**
         * {@code pa_stream_get_time}: how much of the stream has been played, in microseconds of its sample clock,
         * interpolated between the server's timing reports: what is heard now, the server's own buffer (the sink's
         * latency) already taken off. -1 while the server has not reported yet.
         */
        long playedMicros();

        /**
         * Asks the server for a fresh timing report ({@code pa_stream_update_timing_info}) without waiting for it;
         * {@link #timing()} has it once the answer is in.
         */
        void requestTiming();

        /**
         * The server's latest timing report as it came ({@code pa_stream_get_timing_info}), not interpolated: the
         * stream time heard at the instant the server measured it. Null while there is none, or while the read
         * index it holds is not valid (after a flush, until the next report).
         */
        Timing timing();

        /** {@code pa_stream_get_latency}: written and not yet heard, in microseconds; -1 while not known. */
        long latencyMicros();

        /**
         * Discards what is buffered and not yet played, waits until the server has done so and reported its timing
         * anew, and returns the stream's write index (in bytes) afterwards: where the next byte written goes.
         */
        long flush();

        /** Pauses ({@code true}) or resumes the stream. */
        void cork(boolean paused);

        /** Wakes a thread waiting in {@link #awaitWritable}. */
        void wake();

        /** For the status line: the server's sink the stream plays on. */
        String describe();

        @Override
        void close();
    }

    /**
     * One timing report of the server: at wall-clock instant {@code epochMicros} (the server's own
     * {@code gettimeofday} when it measured, or the middle of the round trip if the clocks seem not to agree), the
     * stream had been heard up to {@code heardMicros} of its sample clock (the read index, less the sink's latency);
     * {@code playing}: the server was playing the stream then.
     */
    record Timing(long epochMicros, long heardMicros, boolean playing) {
    }

    /** The sound server or the library said no. */
    final class PulseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PulseException(String message) {
            super(message);
        }

        public PulseException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
