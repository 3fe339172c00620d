package dev.thing.server.session;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.OptionalLong;

/**
 * Outstanding PINGs of one connection. A PING's clock starts when MINA reports it written to the socket, not
 * when it was queued, so time spent behind other output does not count as network delay.
 */
final class PingTracker {
    /** Old unanswered pings are forgotten: a telnet user never answers, and that is fine. */
    private static final int MAX_OUTSTANDING = 16;

    private static final class Outstanding {
        final String token;
        long sentNanos = -1;

        Outstanding(String token) {
            this.token = token;
        }
    }

    /** Mostly one PING outstanding (the burst at accept is the exception): room for two, grown when needed. */
    private final ArrayDeque<Outstanding> outstanding = new ArrayDeque<>(2);
    private long next = 1;

    synchronized String nextToken() {
        String token = Long.toString(next++);
        outstanding.addLast(new Outstanding(token));
        while (outstanding.size() > MAX_OUTSTANDING) {
            outstanding.removeFirst();
        }
        return token;
    }

    synchronized void written(String token, long nanos) {
        for (Outstanding o : outstanding) {
            if (o.token.equals(token)) {
                o.sentNanos = nanos;
                return;
            }
        }
    }

    /**
     * An OKAY arrived: with a token it answers that PING; without one (a person typing OKAY) the oldest written
     * PING. Returns the round trip in nanoseconds, or empty when it answers nothing we know.
     */
    synchronized OptionalLong answered(String token, long nanos) {
        Iterator<Outstanding> it = outstanding.iterator();
        while (it.hasNext()) {
            Outstanding o = it.next();
            if ((token == null || o.token.equals(token)) && o.sentNanos >= 0) {
                it.remove();
                return OptionalLong.of(nanos - o.sentNanos);
            }
        }
        return OptionalLong.empty();
    }
}
