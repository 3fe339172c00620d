package dev.thing.server.party;

import java.util.Objects;

/**
 * One song in a lobby's queue ({@code ENTRY <n> <id> <title> <requested-by>}).
 *
 * @param songId      the library id
 * @param title       the title as stored in the library
 * @param requestedBy the username who asked for it
 */
public record QueueEntry(long songId, String title, String requestedBy) {
    public QueueEntry {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(requestedBy, "requestedBy");
    }
}
