package dev.thing.server.command;

import dev.thing.protocol.ErrorCode;
import dev.thing.server.Services;
import dev.thing.server.ThingException;
import dev.thing.server.lobby.Lobby;
import dev.thing.server.lobby.Member;
import dev.thing.server.lobby.Peer;

/**
 * What a handler may use: who is asking (null before the handshake), the server's rooms, and the caller's peer
 * and session (for the few commands that act on the connection itself: CAP, OKAY, SEND, QUIT).
 */
public record CommandContext(Member member, Services services, Peer peer, SessionControl session) {

    /** A context for handlers that do not touch the session (tests of library, lobby and party commands). */
    public CommandContext(Member member, Services services, Peer peer) {
        this(member, services, peer, null);
    }

    /** The caller as a member; the session core has already checked access, so this holds for member commands. */
    public Member requireMember() {
        if (member == null) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, "join a lobby first: send <lobby> <username>");
        }
        return member;
    }

    public Lobby lobby() {
        return requireMember().lobby();
    }
}
