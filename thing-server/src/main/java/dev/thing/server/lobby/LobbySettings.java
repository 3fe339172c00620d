package dev.thing.server.lobby;

import dev.thing.server.party.PartySettings;
import java.time.Duration;

/**
 * The limits and timings a lobby works with.
 *
 * @param rejoinGrace how long a member whose connection dropped keeps its place; zero: it leaves at once
 */
public record LobbySettings(int maxLobbies, int maxPending, Duration approvalTimeout, PartySettings party,
                            long leadFloorMs, long leadCapMs, Duration rejoinGrace) {

    /** Settings without a rejoin grace. */
    public LobbySettings(int maxLobbies, int maxPending, Duration approvalTimeout, PartySettings party,
                         long leadFloorMs, long leadCapMs) {
        this(maxLobbies, maxPending, approvalTimeout, party, leadFloorMs, leadCapMs, Duration.ZERO);
    }
}
