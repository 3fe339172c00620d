package dev.thing.server.lobby;

import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.codec.EncodedLine;

/**
 * The lobby's view of a connection: somewhere to send lines and songs, and something to close. The lobby knows
 * nothing of sockets; the session core implements it (Outbox) over any transport.
 */
public interface Peer {
    /** Queues a line for the client. Lines wait behind a song transfer that is under way. */
    void send(ServerMessage message);

    /**
     * Queues a line already encoded for many connections (a broadcast), under the same rules as
     * {@link #send(ServerMessage)}: only its bytes are shared, not the decision whether and when it goes out.
     */
    default void send(EncodedLine line) {
        send(line.message());
    }

    /** Queues a song transfer (S->C SEND, chunks, OKAY), paced by what the socket has actually written. */
    void sendSong(OutgoingSong song);

    /** Sends the line, then closes the connection once everything queued before it is written. */
    void closeAfter(ServerMessage last, String logReason);

    /** The connection's owner was accepted into a lobby (or created it): time to start measuring its RTT. */
    default void accepted() {
    }

    /** Did the connection turn on EVENTS? Chat then goes to it as EVENT SAID instead of a NOTIFY. */
    default boolean wantsEvents() {
        return false;
    }

    /** Did the connection turn on SONGS (songs pushed at it to cache)? */
    default boolean wantsSongs() {
        return false;
    }

    /** Who this is, for logs. */
    String describe();
}
