package dev.thing.server.party;

import dev.thing.server.party.PartyException.Reason;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A lobby's queue of requested songs: first in, first played; each song at most once; bounded.
 * Not thread-safe (the lobby locks).
 */
public final class PartyQueue {
    private final int limit;
    private final ArrayDeque<QueueEntry> entries = new ArrayDeque<>();

    public PartyQueue(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit < 1: " + limit);
        }
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }

    /**
     * Appends an entry.
     *
     * @throws PartyException DUPLICATE if that song is already queued; LIMIT if the queue is full
     */
    public void add(QueueEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (contains(entry.songId())) {
            throw new PartyException(Reason.DUPLICATE, entry.title() + " is already in the queue");
        }
        if (entries.size() >= limit) {
            throw new PartyException(Reason.LIMIT, "the queue is full (" + limit + " songs)");
        }
        entries.addLast(entry);
    }

    /** The first entry, left on the queue; empty when the queue is empty. */
    public Optional<QueueEntry> peek() {
        return Optional.ofNullable(entries.peekFirst());
    }

    /** Takes the first entry off the queue; empty when the queue is empty. */
    public Optional<QueueEntry> poll() {
        return Optional.ofNullable(entries.pollFirst());
    }

    /** Drops that song from the queue (it was deleted from the library); true if it was queued. */
    public boolean remove(long songId) {
        return entries.removeIf(e -> e.songId() == songId);
    }

    public boolean contains(long songId) {
        for (QueueEntry e : entries) {
            if (e.songId() == songId) {
                return true;
            }
        }
        return false;
    }

    /** The entries in play order (a copy). */
    public List<QueueEntry> entries() {
        return List.copyOf(entries);
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
