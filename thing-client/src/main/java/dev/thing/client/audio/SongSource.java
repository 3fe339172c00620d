package dev.thing.client.audio;

import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of a song for the player. A song still downloading is a source whose stream blocks until more bytes
 * arrive (or the download ends), so playback can start before the whole file is here.
 */
public interface SongSource {
    String title();

    /** A fresh stream over the song's bytes from the start. */
    InputStream open() throws IOException;
}
