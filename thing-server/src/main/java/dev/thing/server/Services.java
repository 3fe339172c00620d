package dev.thing.server;

import dev.thing.server.library.Library;
import dev.thing.server.lobby.LobbyRegistry;
import dev.thing.server.party.WantedList;
import dev.thing.server.time.TimeSource;
import dev.thing.server.time.Timers;

/** The rooms a command may use, wired once by {@link ThingServer}. */
public record Services(ServerConfig config, LobbyRegistry lobbies, Library library, WantedList wanted,
                       TimeSource time, Timers timers) {
}
