package dev.thing.client.audio;

import javax.sound.sampled.AudioFormat;

/**
 * Where decoded PCM goes: a sound card line, or a stand-in that keeps time without one. Shaped like a
 * {@link javax.sound.sampled.SourceDataLine}: {@link #write} blocks while the sink's buffer is full, so a writer is
 * paced to real time. A sink serves one song (the player opens it, writes, and closes it), or, if it {@link #keepsRunning()}, every
 * song of one format, with silence between them.
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

    /**
     * The sink's play position: frames played since {@link #open} (after a {@link #flush}, the frames discarded
     * count as played, so that the next frame written is always frame {@link #writtenFrames()}). A real device's
     * report is noisy; the player filters it (see {@link PositionFilter}).
     */
    default long playedFrames() {
        return writtenFrames() - bufferedFrames();
    }

    /**
     * False while the sink cannot tell its play position yet (a sound server that has not started the stream, or
     * whose clock has not yet moved past 0): reports then are not fed to the {@link PositionFilter}, since a position
     * held at 0 before the start is not on the line the device then plays along.
     */
    default boolean positionKnown() {
        return true;
    }

    /** A play position the device stamped itself: {@code frames} had been played at local instant {@code nanos}. */
    record TimedPosition(long nanos, long frames) {
    }

    /**
     * True for a sink whose device stamps its own position reports ({@link #nextTimedPosition()}): the player then
     * feeds only those to its {@link PositionFilter}, not {@link #playedFrames()} stamped with the moment it was read.
     */
    default boolean stampsItsReports() {
        return false;
    }

    /** The newest stamped report not handed out yet, or null (none new since the last call, or none at all). */
    default TimedPosition nextTimedPosition() {
        return null;
    }

    /** How far the filter trusts this sink's position reports (see {@link PositionFilter.Settings}). */
    default PositionFilter.Settings positionSettings() {
        return PositionFilter.Settings.NOISY;
    }

    /**
     * True for a device that should be kept running (fed silence) between songs, so that its delay can be measured
     * and a song's first sample placed in a stream already flowing: a real sound server cuts or delays the start
     * of a stream started empty. False for stand-ins that start exactly when told.
     */
    default boolean keepsRunning() {
        return false;
    }

    /** For the status line: what really plays the sound. */
    String name();

    @Override
    void close();
}
