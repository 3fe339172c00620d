package dev.thing.server.party;

import dev.thing.protocol.Names;
import dev.thing.protocol.Tokens;
import dev.thing.server.party.PartyException.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A lobby's queue of requested songs, fair between requesters: songs are played one per person in turn (round
 * robin), each song at most once, at most {@link #limit()} songs and at most {@link #perRequesterLimit()} per
 * requester. Not thread-safe (the lobby locks).
 *
 * <h2>Where a new request goes</h2>
 * A requester's k-th song in the queue (counting from 0) belongs to round k, and the song playing counts as its
 * requester's round-0 song. A new request joins the end of its round: it goes after the last entry whose round is
 * not later than its own. So with ann's A1 A2 A3 queued, bob's B1 goes after A1 (A1 B1 A2 A3), cy's C1 after B1,
 * bob's B2 after A2. Staff may reorder with {@link #move}; later requests are placed by the same rule, counted in
 * the order the queue has then.
 */
public final class PartyQueue {
    private final int limit;
    private final int perRequesterLimit;
    private final List<QueueEntry> entries = new ArrayList<>();

    public PartyQueue(int limit) {
        this(limit, limit);
    }

    public PartyQueue(int limit, int perRequesterLimit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit < 1: " + limit);
        }
        if (perRequesterLimit < 1) {
            throw new IllegalArgumentException("perRequesterLimit < 1: " + perRequesterLimit);
        }
        this.limit = limit;
        this.perRequesterLimit = perRequesterLimit;
    }

    public int limit() {
        return limit;
    }

    public int perRequesterLimit() {
        return perRequesterLimit;
    }

    /** Adds an entry at its fair place, nobody's song playing. See {@link #add(QueueEntry, String)}. */
    public void add(QueueEntry entry) {
        add(entry, null);
    }

    /**
     * Adds an entry at its fair place (see the class comment) and returns its position (1 is next).
     *
     * @param playingRequester who asked for the song playing now (null: nobody, or staff played it by hand)
     * @throws PartyException DUPLICATE if that song is already queued; LIMIT if the queue is full or the requester
     *                        has as many songs queued as one person may
     */
    public int add(QueueEntry entry, String playingRequester) {
        Objects.requireNonNull(entry, "entry");
        if (contains(entry.songId())) {
            throw new PartyException(Reason.DUPLICATE, entry.title() + " is already in the queue");
        }
        if (entries.size() >= limit) {
            throw new PartyException(Reason.LIMIT, "the queue is full (" + limit + " songs)");
        }
        String key = Names.key(entry.requestedBy());
        int mine = countBy(entry.requestedBy());
        if (mine >= perRequesterLimit) {
            throw new PartyException(Reason.LIMIT, entry.requestedBy() + " has " + mine + " songs in the queue, "
                    + "the most one person may queue; more can be added as they play");
        }
        String playing = playingRequester == null ? null : Names.key(playingRequester);
        int round = mine + (key.equals(playing) ? 1 : 0);
        Map<String, Integer> seen = new HashMap<>();
        if (playing != null) {
            seen.put(playing, 1);
        }
        int at = 0;
        for (int i = 0; i < entries.size(); i++) {
            String k = Names.key(entries.get(i).requestedBy());
            int r = seen.merge(k, 1, Integer::sum) - 1;
            if (r <= round) {
                at = i + 1;
            }
        }
        entries.add(at, entry);
        return at + 1;
    }

    /** The first entry, left on the queue; empty when the queue is empty. */
    public Optional<QueueEntry> peek() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(0));
    }

    /** Takes the first entry off the queue; empty when the queue is empty. */
    public Optional<QueueEntry> poll() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.remove(0));
    }

    /** Drops that song from the queue (it was deleted from the library); true if it was queued. */
    public boolean remove(long songId) {
        return entries.removeIf(e -> e.songId() == songId);
    }

    /** The entry at {@code position} (1 is next). @throws PartyException NO_SUCH_ENTRY */
    public QueueEntry at(int position) {
        if (position < 1 || position > entries.size()) {
            throw new PartyException(Reason.NO_SUCH_ENTRY, entries.isEmpty() ? "the queue is empty"
                    : "the queue has no position " + position + "; it holds " + entries.size()
                    + (entries.size() == 1 ? " song" : " songs") + " (QUEUE lists them)");
        }
        return entries.get(position - 1);
    }

    /** Takes the entry at {@code position} off the queue and returns it. @throws PartyException NO_SUCH_ENTRY */
    public QueueEntry removeAt(int position) {
        QueueEntry entry = at(position);
        entries.remove(position - 1);
        return entry;
    }

    /**
     * Moves the entry at {@code position} to {@code newPosition} (both 1-based, in the queue as it is now).
     *
     * @throws PartyException NO_SUCH_ENTRY for a position outside the queue
     */
    public QueueEntry move(int position, int newPosition) {
        QueueEntry entry = at(position);
        if (newPosition < 1 || newPosition > entries.size()) {
            throw new PartyException(Reason.NO_SUCH_ENTRY, "a song can move to positions 1 to " + entries.size()
                    + ", not " + newPosition);
        }
        entries.remove(position - 1);
        entries.add(newPosition - 1, entry);
        return entry;
    }

    /** The song has a new title: its entry follows. True if it was queued. */
    public boolean retitle(long songId, String newTitle) {
        for (int i = 0; i < entries.size(); i++) {
            QueueEntry e = entries.get(i);
            if (e.songId() == songId) {
                entries.set(i, new QueueEntry(e.songId(), newTitle, e.requestedBy()));
                return true;
            }
        }
        return false;
    }

    /** How many songs {@code requester} has in the queue. */
    public int countBy(String requester) {
        String key = Names.key(requester);
        int n = 0;
        for (QueueEntry e : entries) {
            if (Names.key(e.requestedBy()).equals(key)) {
                n++;
            }
        }
        return n;
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

    /** For notices: {@code "Title"} quoted as on the wire. */
    static String quoted(QueueEntry e) {
        return Tokens.quote(e.title());
    }
}
