package dev.thing.client.cache;

import dev.thing.client.audio.SongSource;

/**
 * A song still arriving: its stream blocks at the end of what has arrived until more comes, the download
 * completes, or it fails. Same shape as {@code dev.thing.client.audio.GrowingFileSource}.
 */
public interface GrowingSongSource extends SongSource {
    /** This many bytes of the file are now on disk. */
    void written(long totalBytes);

    /** Every byte is there. */
    void markComplete();

    /** The download broke: readers get an IOException. */
    void markFailed();
}
