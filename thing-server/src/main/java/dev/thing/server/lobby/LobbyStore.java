package dev.thing.server.lobby;

import dev.thing.server.party.QueueEntry;
import java.util.List;
import java.util.Optional;

/**
 * Where claimed lobbies are kept (the account database). The registry calls it outside every lock, on worker
 * threads only: each call may wait for SQLite.
 */
public interface LobbyStore {
    /** The claim on the lobby with this key (see {@link dev.thing.protocol.Names#key}), if any. */
    Optional<Claim> claim(String lobbyKey);

    /** Records a new claim with the lobby's present state. */
    void claimed(String lobbyKey, Claim claim);

    void unclaimed(String lobbyKey);

    /** A registered member became (or stopped being) a moderator of a claimed lobby. */
    void moderator(String lobbyKey, String usernameKey, boolean moderator);

    void autoplay(String lobbyKey, boolean on);

    void queue(String lobbyKey, List<QueueEntry> queue);

    void banned(String lobbyKey, Ban ban);

    void unbanned(String lobbyKey, String usernameKey);

    /** No persistence: every lobby lives only while it has members (unit tests). */
    LobbyStore NONE = new LobbyStore() {
        @Override
        public Optional<Claim> claim(String lobbyKey) {
            return Optional.empty();
        }

        @Override
        public void claimed(String lobbyKey, Claim claim) {
        }

        @Override
        public void unclaimed(String lobbyKey) {
        }

        @Override
        public void moderator(String lobbyKey, String usernameKey, boolean moderator) {
        }

        @Override
        public void autoplay(String lobbyKey, boolean on) {
        }

        @Override
        public void queue(String lobbyKey, List<QueueEntry> queue) {
        }

        @Override
        public void banned(String lobbyKey, Ban ban) {
        }

        @Override
        public void unbanned(String lobbyKey, String usernameKey) {
        }
    };
}
