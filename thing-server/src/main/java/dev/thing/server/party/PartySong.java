package dev.thing.server.party;

import java.util.Objects;

/**
 * What the party needs to know of a library song.
 *
 * @param id         the song's library id (the {@code <id>} of {@code LIST} and {@code #<id>})
 * @param title      the title as stored in the library
 * @param durationMs the playing time in milliseconds
 */
public record PartySong(long id, String title, long durationMs) {
    public PartySong {
        Objects.requireNonNull(title, "title");
        if (durationMs < 0) {
            throw new IllegalArgumentException("durationMs < 0: " + durationMs);
        }
    }
}
