package dev.thing.server.lobby;

import java.io.IOException;
import java.io.InputStream;

/**
 * A song to send to a client. {@code reply} is true when the transfer answers a GET (its closing OKAY is the
 * command's final reply); pushed copies after an upload are not replies.
 */
public record OutgoingSong(String title, String artist, String tag1, String tag2, long sizeBytes,
                           Opener opener, boolean reply) {
    /** Opens the song's bytes; called when the transfer's turn comes, on a worker thread. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }
}
