package dev.thing.server.lobby;

/** Told of arrivals, outside every lock, so other rooms (the wanted list) can greet a member. */
public interface LobbyListener {
    /** {@code member} has just been accepted into its lobby, or has created it. */
    void memberAccepted(Member member);

    LobbyListener NONE = member -> { };
}
