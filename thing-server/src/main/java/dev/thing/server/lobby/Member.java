package dev.thing.server.lobby;

import dev.thing.protocol.Role;

/** Someone in a lobby: an accepted member (ADMIN, MODERATOR, USER) or a joiner waiting for approval (PENDING). */
public final class Member {
    private final String username;
    private final Peer peer;
    private final long arrival;
    private final RttStats rtt = new RttStats();
    private volatile Role role;
    private volatile Lobby lobby;
    private volatile Identity identity;
    private final ChatRate chatRate = new ChatRate();
    /** Songs this connection has been sent or has sent (ids), so that none is pushed at it twice. */
    private final java.util.Set<Long> held = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Member(String username, Peer peer, long arrival, Role role, Lobby lobby) {
        this(username, peer, arrival, role, lobby, Identity.guest(-arrival - 1, null));
    }

    /** When the member's grace runs out (server time, us), or 0 while it is connected (RFC 3.15). */
    private volatile long awayUntilUs;
    private volatile dev.thing.server.time.Timers.Cancellable graceTimer;
    /** The token this connection was given to come back with, or null (none given). */
    private volatile String rejoinToken;

    /** A member coming back on a new connection: the same name, place (arrival), role and lobby. */
    Member(Member kept, Peer peer, Identity identity) {
        this(kept.username, peer, kept.arrival, kept.role, kept.lobby, identity);
    }

    Member(String username, Peer peer, long arrival, Role role, Lobby lobby, Identity identity) {
        this.identity = identity;
        this.username = username;
        this.peer = peer;
        this.arrival = arrival;
        this.role = role;
        this.lobby = lobby;
    }

    public String username() {
        return username;
    }

    public Peer peer() {
        return peer;
    }

    public Role role() {
        return role;
    }

    void role(Role role) {
        this.role = role;
    }

    public Lobby lobby() {
        return lobby;
    }

    /** Order of arrival, server-wide; the smallest present number has been here longest. */
    public long arrival() {
        return arrival;
    }

    public RttStats rtt() {
        return rtt;
    }

    /** The connection and account behind this member. */
    public Identity identity() {
        return identity;
    }

    void identity(Identity identity) {
        this.identity = identity;
    }

    public dev.thing.protocol.Standing standing() {
        return identity.standing();
    }

    public boolean isOperator() {
        return identity.operator();
    }

    /** The role its permissions are checked as: an operator acts as the admin anywhere. */
    public Role actingRole() {
        return identity.operator() && role != Role.PENDING ? Role.ADMIN : role;
    }

    ChatRate chatRate() {
        return chatRate;
    }

    /** Notes that this connection has (or is being sent) the song; false if it had it already. */
    public boolean markHeld(long songId) {
        return held.add(songId);
    }

    /** Is the member's connection gone, its place kept for its return? */
    public boolean isAway() {
        return awayUntilUs != 0;
    }

    /** When the kept place is given up (server time, us); 0 while the member is connected. */
    public long awayUntilUs() {
        return awayUntilUs;
    }

    void away(long untilUs) {
        this.awayUntilUs = untilUs;
    }

    /** The timer that ends the grace period; cancelled when the member comes back or is removed. */
    void graceTimer(dev.thing.server.time.Timers.Cancellable timer) {
        this.graceTimer = timer;
    }

    void cancelGrace() {
        dev.thing.server.time.Timers.Cancellable t = graceTimer;
        graceTimer = null;
        if (t != null) {
            t.cancel();
        }
    }

    String rejoinToken() {
        return rejoinToken;
    }

    void rejoinToken(String token) {
        this.rejoinToken = token;
    }

    public boolean isPending() {
        return role == Role.PENDING;
    }

    /** Sends a line to the member's connection; nothing while it is away (the connection is gone). */
    public void send(dev.thing.protocol.ServerMessage message) {
        if (awayUntilUs == 0) {
            peer.send(message);
        }
    }

    /** The same for a line encoded once for many members (a broadcast). */
    public void send(dev.thing.protocol.codec.EncodedLine line) {
        if (awayUntilUs == 0) {
            peer.send(line);
        }
    }

    @Override
    public String toString() {
        return username + "@" + lobby.name() + "(" + role + ")";
    }
}
