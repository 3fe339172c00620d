package dev.thing.server.session;

import dev.thing.server.Jukebox;
import dev.thing.server.Services;
import dev.thing.server.command.CommandTable;
import dev.thing.server.ServerConfig;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every open connection, whatever its transport: the door through which a transport opens a session, and
 * through which the server pings, counts and stops them all.
 */
public final class Sessions {
    private final Services services;
    private final CommandTable commands;
    private final Jukebox jukebox;
    private final Executor executor;
    private final Map<Long, SessionCore> open = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AddressLimits perAddress;
    private volatile boolean shuttingDown;

    /** {@code executor} runs held commands when their turn comes and callbacks from other connections. */
    public Sessions(Services services, Jukebox jukebox, Executor executor) {
        this.services = services;
        this.jukebox = jukebox;
        this.executor = executor;
        this.commands = new CommandTable(jukebox);
        ServerConfig c = services.config();
        this.perAddress = new AddressLimits(c.maxConnectionsPerAddress(), c.maxJoinsPerMinute(), c.limitLoopback(),
                services.time());
    }

    /**
     * A transport has a new connection: the core greets it, or refuses it (a NOTIFY saying why, then the close) when
     * the server is full or stopping, or its address has too many connections open. Every connection opened here is
     * counted until the core reports it closed.
     */
    public SessionCore open(Wire wire) {
        SessionCore core = new SessionCore(ids.incrementAndGet(), wire, services, commands, jukebox, executor, this);
        open.put(core.id(), core);
        Optional<String> tooMany = perAddress.connected(wire.address());
        int max = services.config().maxConnections();
        String refusal = shuttingDown ? "server is shutting down"
                : open.size() > max ? "server full (" + max + " connections); try later"
                : tooMany.orElse(null);
        core.start(refusal);
        return core;
    }

    void remove(SessionCore core) {
        if (open.remove(core.id()) != null) {
            perAddress.disconnected(core.address());
        }
    }

    /** A join line from {@code address}: why it must be refused (and the connection closed), or empty. */
    Optional<String> joinAttempt(java.net.InetAddress address) {
        return perAddress.joinAttempt(address);
    }

    public int count() {
        return open.size();
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    /**
     * PINGs one slice of the connections: slice {@code slot} of {@code slots}. The server calls this
     * {@code slots} times per ping interval, so that 10,000 PINGs do not all leave (and come back) in one burst.
     */
    public void pingSlice(int slot, int slots) {
        for (SessionCore core : open.values()) {
            if (Math.floorMod(core.id(), slots) == slot) {
                core.ping(true);
            }
        }
    }

    /** Tells everyone the server is stopping and closes every connection. */
    public void closeAll(String text) {
        // From here on nobody "leaves": departures would reach the others before their shutdown notice.
        shuttingDown = true;
        for (SessionCore core : open.values()) {
            core.closeForShutdown(text);
        }
    }

    /** Abandons uploads under way (at shutdown), so that no temporary file outlives the server. */
    public void abortUploads() {
        for (SessionCore core : open.values()) {
            core.abortUpload();
        }
    }
}
