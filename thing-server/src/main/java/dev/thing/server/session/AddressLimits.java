package dev.thing.server.session;

import dev.thing.server.time.TimeSource;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Limits per network address, as ergo keeps them: connections open at once, and join lines in any one minute.
 * IPv6 addresses are grouped by their /64 prefix (one host, or one home network, usually holds a whole /64, so
 * counting single addresses would bound nothing). Loopback addresses are exempt unless told otherwise, so that local
 * tests and benchmarks with thousands of clients keep working. An address the transport cannot tell (null) is
 * not limited.
 *
 * <p>Memory stays bounded by the connections that are open: an address's entry lives while it has a connection or
 * a join line in the last minute, and entries of the second kind are swept once a minute.
 */
public final class AddressLimits {
    static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int maxConnections;
    private final int maxJoinsPerMinute;
    private final boolean limitLoopback;
    private final TimeSource time;
    private final Map<String, Entry> entries = new HashMap<>();
    private long lastSweepNanos;

    /** One address (or /64): its open connections and the instants of its recent join lines, oldest first. */
    private static final class Entry {
        int connections;
        final ArrayDeque<Long> joins = new ArrayDeque<>();
    }

    public AddressLimits(int maxConnections, int maxJoinsPerMinute, boolean limitLoopback, TimeSource time) {
        this.maxConnections = maxConnections;
        this.maxJoinsPerMinute = maxJoinsPerMinute;
        this.limitLoopback = limitLoopback;
        this.time = time;
        this.lastSweepNanos = time.monotonicNanos();
    }

    /**
     * The key an address is counted under: an IPv4 address itself, an IPv6 address's /64 prefix
     * ({@code 2001:db8:1:2::/64}). IPv4-mapped IPv6 addresses are IPv4 (the JDK already gives them as such).
     */
    public static String key(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                s.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
            }
            return s.append(":/64").toString().toLowerCase(Locale.ROOT);
        }
        return address.getHostAddress();
    }

    private boolean exempt(InetAddress address) {
        return address == null || (address.isLoopbackAddress() && !limitLoopback);
    }

    /**
     * A new connection from {@code address}: counted (until {@link #disconnected}), and the reason it must be
     * refused when it is one too many.
     */
    public synchronized Optional<String> connected(InetAddress address) {
        if (exempt(address)) {
            return Optional.empty();
        }
        sweepIfDue();
        Entry e = entries.computeIfAbsent(key(address), k -> new Entry());
        e.connections++;
        if (e.connections > maxConnections) {
            return Optional.of("too many connections from your address (" + maxConnections
                    + " at once is the limit); closing");
        }
        return Optional.empty();
    }

    /** A connection counted by {@link #connected} is gone. */
    public synchronized void disconnected(InetAddress address) {
        if (exempt(address)) {
            return;
        }
        String key = key(address);
        Entry e = entries.get(key);
        if (e == null) {
            return;
        }
        e.connections = Math.max(0, e.connections - 1);
        if (e.connections == 0 && e.joins.isEmpty()) {
            entries.remove(key);
        }
    }

    /**
     * A join line from {@code address}: counted, and the reason the connection must be closed when it is past the
     * limit of join lines in any 60 seconds. A refused attempt counts too, so that hammering keeps it refused.
     */
    public synchronized Optional<String> joinAttempt(InetAddress address) {
        if (exempt(address)) {
            return Optional.empty();
        }
        long now = time.monotonicNanos();
        Entry e = entries.computeIfAbsent(key(address), k -> new Entry());
        forget(e, now);
        e.joins.addLast(now);
        if (e.joins.size() > maxJoinsPerMinute) {
            // Only the last maxJoinsPerMinute matter to the window; keep the memory bounded.
            while (e.joins.size() > maxJoinsPerMinute) {
                e.joins.removeFirst();
            }
            return Optional.of("too many join attempts from your address (" + maxJoinsPerMinute
                    + " a minute is the limit); try again in a minute");
        }
        return Optional.empty();
    }

    /** Addresses being tracked: for tests and the log. */
    public synchronized int tracked() {
        return entries.size();
    }

    private static void forget(Entry e, long now) {
        while (!e.joins.isEmpty() && now - e.joins.peekFirst() >= WINDOW_NANOS) {
            e.joins.removeFirst();
        }
    }

    private void sweepIfDue() {
        long now = time.monotonicNanos();
        if (now - lastSweepNanos < WINDOW_NANOS) {
            return;
        }
        lastSweepNanos = now;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            forget(e, now);
            if (e.connections == 0 && e.joins.isEmpty()) {
                it.remove();
            }
        }
    }
}
