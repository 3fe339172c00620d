package dev.thing.server.account;

import dev.thing.server.lobby.Identity;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who uploaded each song: an account (kept in the database), or a guest's connection (kept in memory while that
 * connection lasts; after it the song is ownerless). {@code accounts} may be null for a server without account
 * storage (handler tests): then only guests' uploads are tracked.
 */
public final class SongOwners {
    /** Who may change a song besides operators. */
    public sealed interface Owner {
        /** Uploaded by this account. */
        record ByAccount(long accountId, String username) implements Owner {
        }

        /** Uploaded by a guest on this connection, still open. */
        record ByGuest(long connection, String username) implements Owner {
        }

        /** Uploaded before ownership was recorded, or by a guest who has left. */
        record Nobody() implements Owner {
        }
    }

    private record GuestUpload(long connection, String username) {
    }

    private final Accounts accounts;
    private final Map<Long, GuestUpload> guests = new ConcurrentHashMap<>();

    public SongOwners(Accounts accounts) {
        this.accounts = accounts;
    }

    public void uploaded(long songId, String username, Identity who) {
        if (who.registered() && accounts != null) {
            accounts.setOwner(songId, who.accountId());
        } else {
            guests.put(songId, new GuestUpload(who.connection(), username));
        }
    }

    public Owner of(long songId) {
        GuestUpload guest = guests.get(songId);
        if (guest != null) {
            return new Owner.ByGuest(guest.connection(), guest.username());
        }
        Optional<Account> account = accounts == null ? Optional.empty() : accounts.owner(songId);
        return account.<Owner>map(a -> new Owner.ByAccount(a.id(), a.username())).orElse(new Owner.Nobody());
    }

    public void deleted(long songId) {
        guests.remove(songId);
        if (accounts != null) {
            accounts.forgetSong(songId);
        }
    }

    /** A guest registered: the songs it uploaded on this connection are its account's now. */
    public void registered(long connection, long accountId) {
        guests.entrySet().removeIf(e -> {
            if (e.getValue().connection() != connection) {
                return false;
            }
            if (accounts != null) {
                accounts.setOwner(e.getKey(), accountId);
            }
            return true;
        });
    }

    /** A guest came back to its place on a new connection (RFC 3.15): its uploads go with it. */
    public void moved(long fromConnection, long toConnection) {
        guests.replaceAll((song, g) -> g.connection() == fromConnection ? new GuestUpload(toConnection, g.username())
                : g);
    }

    /** A connection closed: its guest uploads have no owner from now on. */
    public void connectionClosed(long connection) {
        guests.values().removeIf(g -> g.connection() == connection);
    }
}
