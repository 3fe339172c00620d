package dev.thing.server.lobby;

/** Told of arrivals, outside every lock, so other rooms (the wanted list) can greet a member. */
public interface LobbyListener {
    /** {@code member} has just been accepted into its lobby, or has created it. */
    void memberAccepted(Member member);

    /**
     * Send song {@code songId} to these members ahead of its turn (CAP SONGS). Called under the lobby's lock: the
     * transfers must start elsewhere.
     */
    default void pushSong(long songId, java.util.List<Member> to) {
    }

    /**
     * An away member's grace ran out (RFC 3.15): its old connection is gone for good now. Called outside every
     * lobby lock.
     */
    default void placeGivenUp(Member member) {
    }

    LobbyListener NONE = member -> { };
}
