package dev.thing.client.audio;

import javax.sound.sampled.AudioFormat;

/**
 * Where decoded PCM goes: a sound card line, or a stand-in that keeps time without one. Shaped like a
 * {@link javax.sound.sampled.SourceDataLine}: {@link #write} blocks while the sink's buffer is full, so a writer is
 * paced to real time. One sink serves one song; the player opens it, writes, and closes it.
 */
public interface AudioSink extends AutoCloseable {
    /** Prepares the sink for 16-bit signed little-endian PCM in {@code fmt}. */
    void open(AudioFormat fmt);

    /**
     * Hands over {@code len} bytes (whole frames) of PCM, blocking while the buffer is full. Returns the bytes taken:
     * all of them, unless the sink was stopped, flushed or closed, or the writing thread interrupted, meanwhile
     * (the interrupt status is then kept set).
     */
    int write(byte[] pcm, int off, int len);

    /** Starts (or resumes) playing what is and will be written. */
    void start();

    /** Stops playing at once; what is buffered stays buffered. */
    void stop();

    /** Discards what is buffered and not yet played. */
    void flush();

    /** Frames handed over and taken by {@link #write} since {@link #open}. */
    long writtenFrames();

    /**
     * Frames taken but not yet played (the buffer's fill), so that {@code writtenFrames() - bufferedFrames()} is
     * the sink's play position. 0 for a sink that cannot tell.
     */
    default long bufferedFrames() {
        return 0;
    }

    /** For the status line: what really plays the sound. */
    String name();

    @Override
    void close();
}
