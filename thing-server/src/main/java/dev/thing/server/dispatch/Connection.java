package dev.thing.server.dispatch;

import dev.thing.server.library.Upload;
import dev.thing.server.lobby.Member;
import dev.thing.server.time.Timers;
import org.apache.mina.core.session.IoSession;

/**
 * Everything the server keeps about one connection, under one session attribute. Its state is derived, never
 * stored twice: no member yet means CONNECTED, a pending member means PENDING, an accepted one MEMBER, and an
 * upload under way (or being thrown away) means RECEIVING.
 */
final class Connection {
    enum State { CONNECTED, PENDING, MEMBER, RECEIVING }

    record Held(Object frame, long dueNanos) {
    }

    final IoSession session;
    final SessionPeer peer;
    final RateLimiter rate;
    final PingTracker pings = new PingTracker();
    /** Frames that arrived past the rate limit, each with the time it may be handled. */
    final java.util.ArrayDeque<Held> backlog = new java.util.ArrayDeque<>();
    volatile Member member;
    int malformedJoinLines;
    Timers.Cancellable handshakeTimer;

    /** The upload being received; null when none. */
    Upload upload;
    /** True while the rest of a refused transfer is being read and thrown away. */
    boolean discarding;
    long uploadStartedNanos;

    Connection(IoSession session, SessionPeer peer, RateLimiter rate) {
        this.session = session;
        this.peer = peer;
        this.rate = rate;
    }

    State state() {
        if (upload != null || discarding) {
            return State.RECEIVING;
        }
        Member m = member;
        if (m == null) {
            return State.CONNECTED;
        }
        return m.isPending() ? State.PENDING : State.MEMBER;
    }

    boolean inTransfer() {
        return upload != null || discarding;
    }

    /** For log lines: lobby/user, or the remote address before the handshake. */
    String who() {
        Member m = member;
        return m == null ? String.valueOf(session.getRemoteAddress()) : m.lobby().name() + "/" + m.username();
    }
}
