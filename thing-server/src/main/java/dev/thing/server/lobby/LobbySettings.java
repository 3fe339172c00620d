package dev.thing.server.lobby;

import dev.thing.server.party.PartySettings;
import java.time.Duration;

/** The limits and timings a lobby works with. */
public record LobbySettings(int maxLobbies, int maxPending, Duration approvalTimeout, PartySettings party,
                            long leadFloorMs, long leadCapMs) {
}
