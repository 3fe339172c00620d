package dev.thing.server.lobby;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Names;
import dev.thing.protocol.Role;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.ThingException;
import dev.thing.server.party.Party;
import dev.thing.server.party.SongCatalog;
import dev.thing.server.time.TimeSource;
import dev.thing.server.time.Timers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The door to the lobbies: every arrival, departure and role change goes through here. The registry's lock
 * guards only its map of lobbies and is never held while anything is sent; a lobby's lock guards its members and
 * party. Lock order where both are taken: this registry, then a lobby (only {@link #join} does, to check that a
 * lobby found in the map is still open).
 */
public final class LobbyRegistry {
    private static final Logger LOG = LogManager.getLogger(LobbyRegistry.class);

    private final Map<String, Lobby> lobbies = new LinkedHashMap<>();
    private final LobbySettings settings;
    private final SongCatalog catalog;
    private final TimeSource time;
    private final Timers timers;
    private final RandomGenerator random;
    private volatile LobbyListener listener = LobbyListener.NONE;
    private final java.util.concurrent.atomic.AtomicLong arrivals = new java.util.concurrent.atomic.AtomicLong();

    public LobbyRegistry(LobbySettings settings, SongCatalog catalog, TimeSource time, Timers timers,
                         RandomGenerator random) {
        this.settings = settings;
        this.catalog = catalog;
        this.time = time;
        this.timers = timers;
        this.random = random;
    }

    public void listener(LobbyListener listener) {
        this.listener = listener;
    }

    public LobbySettings settings() {
        return settings;
    }

    /**
     * Handles a join line: creates the lobby, or asks to join it, or reports the name taken. The registry's lock
     * covers only the map (finding or creating the lobby); the lobby's own lock covers the rest, so nothing is
     * sent while the server-wide lock is held.
     */
    public JoinResult join(String lobbyName, String username, Peer peer) {
        String key = Names.key(lobbyName);
        while (true) {
            Lobby lobby;
            synchronized (this) {
                lobby = lobbies.get(key);
                if (lobby == null || lobby.isClosed()) {
                    if (lobby != null) {
                        lobbies.remove(key, lobby); // emptied; its last member's leave() has not forgotten it yet
                    }
                    if (lobbies.size() >= settings.maxLobbies()) {
                        throw new ThingException(ErrorCode.LIMIT, "the server has " + settings.maxLobbies()
                                + " lobbies, its limit; join an existing one (LOBBIES lists them)");
                    }
                    lobby = new Lobby(lobbyName, new Party(catalog, settings.party(), random), time, timers, settings,
                            () -> listener);
                    Member admin = new Member(username, peer, arrivals.getAndIncrement(), Role.ADMIN, lobby);
                    lobby.addAdmin(admin); // sends nothing
                    lobbies.put(key, lobby);
                    LOG.info("{} created lobby {}", username, lobbyName);
                    return new JoinResult.Created(admin);
                }
            }
            synchronized (lobby) {
                if (lobby.isClosed()) {
                    continue; // it emptied meanwhile: create it afresh
                }
                if (lobby.nameInUse(Names.key(username))) {
                    return new JoinResult.Taken();
                }
                if (lobby.pendingCount() >= settings.maxPending()) {
                    throw new ThingException(ErrorCode.LIMIT, lobby.name() + " already has "
                            + settings.maxPending() + " joiners waiting for approval; try again later");
                }
                Member joiner = new Member(username, peer, arrivals.getAndIncrement(), Role.PENDING, lobby);
                lobby.addPending(joiner);
                LOG.info("{} asks to join {}", username, lobby.name());
                return new JoinResult.Pending(joiner);
            }
        }
    }

    /**
     * Called once the creator of a lobby has been told OKAY: starts its PINGs and lets the other rooms greet it.
     */
    public void arrived(Member member) {
        member.peer().accepted();
        listener.memberAccepted(member);
    }

    public Member accept(Member actor, String username) {
        Member joiner = actor.lobby().accept(actor, username);
        arrived(joiner);
        return joiner;
    }

    public void reject(Member actor, String username) {
        actor.lobby().reject(actor, username);
    }

    public void promote(Member actor, String username) {
        actor.lobby().promote(actor, username);
    }

    public void demote(Member actor, String username) {
        actor.lobby().demote(actor, username);
    }

    /** Disconnects a member with a NOTIFY; the lobby is told. */
    public void kick(Member actor, String username) {
        Lobby lobby = actor.lobby();
        Member target;
        boolean empty;
        synchronized (lobby) {
            target = lobby.kickTarget(actor, username);
            LOG.info("{} kicked {} from {}", actor.username(), target.username(), lobby.name());
            empty = lobby.remove(target, "was kicked from " + lobby.name() + " by " + actor.username(),
                    ServerMessage.Departure.KICKED);
        }
        if (empty) {
            forget(lobby);
        }
        target.peer().closeAfter(new ServerMessage.Notify("you were kicked from " + lobby.name() + " by "
                + actor.username()), "kicked by " + actor.username());
    }

    /** A member or pending joiner is gone (QUIT, disconnect). Idempotent. */
    public void leave(Member member) {
        leave(member, ServerMessage.Departure.DISCONNECTED);
    }

    /** A member or pending joiner is gone, for this reason. Idempotent. */
    public void leave(Member member, ServerMessage.Departure why) {
        Lobby lobby = member.lobby();
        if (lobby.remove(member, "left " + lobby.name(), why)) {
            forget(lobby);
        }
    }

    /** Drops an emptied (closed) lobby from the map, unless a new lobby of that name has replaced it. */
    private synchronized void forget(Lobby lobby) {
        lobbies.remove(Names.key(lobby.name()), lobby);
    }

    /** The open lobbies, in order of creation. */
    public synchronized List<Lobby> lobbies() {
        List<Lobby> open = new ArrayList<>();
        for (Lobby l : lobbies.values()) {
            if (!l.isClosed()) {
                open.add(l);
            }
        }
        return open;
    }

    public synchronized Optional<Lobby> lobby(String name) {
        return Optional.ofNullable(lobbies.get(Names.key(name))).filter(l -> !l.isClosed());
    }

    /** Every accepted member of every lobby (for server-wide UPDATEs). */
    public List<Member> allMembers() {
        List<Member> all = new ArrayList<>();
        for (Lobby lobby : lobbies()) {
            all.addAll(lobby.members());
        }
        return all;
    }

    /** Sends a line to every accepted member of the server. */
    public void broadcastAll(ServerMessage message) {
        for (Member m : allMembers()) {
            m.send(message);
        }
    }
}
