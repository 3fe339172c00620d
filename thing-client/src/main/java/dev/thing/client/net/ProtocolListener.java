package dev.thing.client.net;

import dev.thing.protocol.ServerMessage;

/**
 * The unsolicited side of the connection: everything the server says that is not part of a reply. Called on the
 * connection's event thread; implementations must not block for long (hand slow work to another thread).
 */
public interface ProtocolListener {
    /** A NOTIFY (including the ones during the handshake). */
    default void onNotify(String text) {
    }

    /** Waiting for an ADMIN or MODERATOR of {@code lobby} to accept us (the server's APPROVAL event). */
    default void onPending(String lobby) {
    }

    /** An EVENT line: members, joiners, our own approval, deleted songs. The lobby view is built from these. */
    default void onEvent(ServerMessage.Event event) {
    }

    default void onUpdate(ServerMessage.Update update) {
    }

    default void onPlay(ServerMessage.PlayEvent play) {
    }

    default void onPause(ServerMessage.PauseEvent pause) {
    }

    default void onStop() {
    }

    /** A line from the server that could not be understood, or broke the protocol. */
    default void onProtocolProblem(String text) {
    }

    /** The connection is gone; {@code reason} is the last NOTIFY before it, or a plain description. */
    default void onClosed(String reason) {
    }
}
