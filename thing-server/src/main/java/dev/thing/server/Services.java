package dev.thing.server;

import dev.thing.server.account.Accounts;
import dev.thing.server.account.LoginThrottle;
import dev.thing.server.account.SongOwners;
import dev.thing.server.library.Library;
import dev.thing.server.lobby.LobbyRegistry;
import dev.thing.server.party.WantedList;
import dev.thing.server.time.TimeSource;
import dev.thing.server.time.Timers;

/**
 * The rooms a command may use, wired once by {@link ThingServer}. {@code accounts} is null only in handler tests
 * that run without account storage.
 */
public record Services(ServerConfig config, LobbyRegistry lobbies, Library library, WantedList wanted,
                       TimeSource time, Timers timers, Accounts accounts, SongOwners owners, LoginThrottle throttle) {

    /** Without account storage: everyone is a guest (handler tests). */
    public Services(ServerConfig config, LobbyRegistry lobbies, Library library, WantedList wanted, TimeSource time,
                    Timers timers) {
        this(config, lobbies, library, wanted, time, timers, null, new SongOwners(null),
                new LoginThrottle(time::monotonicNanos));
    }

    /** The account store; a clear failure where a server runs without one. */
    public Accounts requireAccounts() {
        if (accounts == null) {
            throw new ThingException(dev.thing.protocol.ErrorCode.NOT_ALLOWED, "this server keeps no accounts");
        }
        return accounts;
    }
}
