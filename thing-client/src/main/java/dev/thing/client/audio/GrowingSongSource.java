package dev.thing.client.audio;


/**
 * A song still arriving: its stream blocks at the end of what has arrived until more comes, the download
 * completes, or it fails. {@link GrowingFileSource} is the one implementation.
 */
public interface GrowingSongSource extends SongSource {
    /** This many bytes of the file are now on disk. */
    void written(long totalBytes);

    /** Every byte is there. */
    void markComplete();

    /** The download broke: readers get an IOException. */
    void markFailed();
}
