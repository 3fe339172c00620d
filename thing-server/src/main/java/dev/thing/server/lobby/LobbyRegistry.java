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
    private volatile LobbyStore store = LobbyStore.NONE;
    private volatile java.util.function.Function<String, Optional<Identity>> accounts = name -> Optional.empty();
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

    /** Where claimed lobbies are kept, and how a registered name is looked up (for bans of absent accounts). */
    public void store(LobbyStore store, java.util.function.Function<String, Optional<Identity>> accounts) {
        this.store = store;
        this.accounts = accounts;
    }

    public LobbySettings settings() {
        return settings;
    }

    /** Handles a join line of a guest (tests). */
    public JoinResult join(String lobbyName, String username, Peer peer) {
        return join(lobbyName, username, peer, Identity.guest(-1, null));
    }

    /**
     * Handles a join line: creates the lobby (or brings a claimed one back), or lets the joiner in, or makes it
     * wait for approval, or reports the name taken; NOT_ALLOWED for a banned name and for a claimed lobby whose
     * staff are all away. The registry's lock covers only the map (finding or creating the lobby); the lobby's
     * own lock covers the rest, so nothing is sent while the server-wide lock is held. A claim is read from the
     * store before either lock is taken.
     */
    public JoinResult join(String lobbyName, String username, Peer peer, Identity who) {
        return join(lobbyName, username, peer, who, null);
    }

    /**
     * Handles a join line that may come back to a kept place (RFC 3.15) with {@code token} (null: none given):
     * the right token, or the password of the place's account (checked already: {@code who}), returns the member
     * to its place without approval. A wrong or used token is as if none were given.
     */
    public JoinResult join(String lobbyName, String username, Peer peer, Identity who, String token) {
        String key = Names.key(lobbyName);
        Optional<Claim> kept = lobby(lobbyName).isPresent() ? Optional.empty() : store.claim(key);
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
                    String spelled = kept.map(Claim::name).orElse(lobbyName);
                    lobby = new Lobby(spelled, new Party(catalog, settings.party(), random), time, timers, settings,
                            () -> listener);
                    Role role = Role.ADMIN;
                    if (kept.isPresent()) {
                        lobby.restore(kept.get(), liveEntries(kept.get()));
                        refuseIfBanned(lobby, username, who);
                        role = lobby.directRole(username, who);
                        if (role == null) {
                            throw new ThingException(ErrorCode.NOT_ALLOWED, spelled + " is claimed by "
                                    + kept.get().owner() + " and none of its staff is here to let you in; try "
                                    + "again later");
                        }
                    }
                    Member admin = new Member(username, peer, arrivals.getAndIncrement(), role, lobby, who);
                    lobby.addAdmin(admin); // sends nothing
                    lobbies.put(key, lobby);
                    LOG.info("{} {} lobby {}", username, kept.isPresent() ? "brought back claimed" : "created",
                            spelled);
                    return new JoinResult.Created(admin);
                }
            }
            synchronized (lobby) {
                if (lobby.isClosed()) {
                    continue; // it emptied meanwhile: create it afresh
                }
                Member returning = lobby.returning(username, who, token);
                if (returning != null) {
                    refuseIfBanned(lobby, username, who);
                    return new JoinResult.Returned(lobby.comeBack(returning, peer, who), returning);
                }
                if (lobby.nameInUse(Names.key(username))) {
                    return new JoinResult.Taken(lobby.awayHolder(username).map(Member::awayUntilUs).orElse(0L));
                }
                refuseIfBanned(lobby, username, who);
                Role direct = lobby.directRole(username, who);
                if (direct != null) {
                    Member entering = new Member(username, peer, arrivals.getAndIncrement(), direct, lobby, who);
                    lobby.enter(entering);
                    return new JoinResult.Entered(entering);
                }
                if (lobby.claimed() && !lobby.staffPresent()) {
                    throw new ThingException(ErrorCode.NOT_ALLOWED, lobby.name() + " is claimed by "
                            + lobby.owner().orElse("?") + " and none of its staff is here to let you in; try again "
                            + "later");
                }
                if (lobby.pendingCount() >= settings.maxPending()) {
                    throw new ThingException(ErrorCode.LIMIT, lobby.name() + " already has "
                            + settings.maxPending() + " joiners waiting for approval; try again later");
                }
                Member joiner = new Member(username, peer, arrivals.getAndIncrement(), Role.PENDING, lobby, who);
                lobby.addPending(joiner);
                LOG.info("{} asks to join {}", username, lobby.name());
                return new JoinResult.Pending(joiner);
            }
        }
    }

    private static void refuseIfBanned(Lobby lobby, String username, Identity who) {
        if (lobby.banFor(username, who).isPresent()) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, username + " is banned from " + lobby.name());
        }
    }

    /** A kept queue without the songs deleted meanwhile. */
    private List<dev.thing.server.party.QueueEntry> liveEntries(Claim claim) {
        List<dev.thing.server.party.QueueEntry> live = new ArrayList<>();
        for (dev.thing.server.party.QueueEntry e : claim.queue()) {
            catalog.resolve("#" + e.songId()).ifPresent(song -> live.add(
                    new dev.thing.server.party.QueueEntry(song.id(), song.title(), e.requestedBy())));
        }
        return live;
    }

    // ---- claims and bans (the store is written outside every lock) ----

    public void claim(Member actor) {
        Lobby lobby = actor.lobby();
        Claim claim = lobby.claim(actor);
        try {
            store.claimed(Names.key(lobby.name()), claim);
        } catch (RuntimeException e) {
            synchronized (lobby) {
                lobby.unclaim(actor);
            }
            throw e;
        }
    }

    public void unclaim(Member actor) {
        Lobby lobby = actor.lobby();
        lobby.unclaim(actor);
        store.unclaimed(Names.key(lobby.name()));
    }

    /** Bars a name from the actor's lobby and removes its holder; kept while the lobby is claimed. */
    public Ban ban(Member actor, String username) {
        Lobby lobby = actor.lobby();
        Optional<Identity> account = accounts.apply(username);
        Lobby.Banned banned;
        boolean empty = false;
        synchronized (lobby) {
            banned = lobby.ban(actor, username, account, time.epochMicros());
            Member target = banned.removed();
            if (target != null && !target.isPending()) {
                empty = lobby.remove(target, "was banned from " + lobby.name() + " by " + actor.username(),
                        ServerMessage.Departure.KICKED);
            } else if (target != null) {
                lobby.remove(target, "was banned", ServerMessage.Departure.KICKED);
            }
            lobby.tellModerators(actor.username() + " banned " + banned.ban().username() + " from " + lobby.name());
        }
        if (empty) {
            forget(lobby);
        }
        if (banned.removed() != null) {
            if (!banned.removed().isPending()) {
                banned.removed().peer().send(new ServerMessage.GoneEvent(banned.removed().username(),
                        ServerMessage.Departure.KICKED));
            }
            banned.removed().peer().closeAfter(new ServerMessage.Notify("you were banned from " + lobby.name()
                    + " by " + actor.username()), "banned by " + actor.username());
        }
        if (lobby.claimed()) {
            String key = Names.key(lobby.name());
            store.banned(key, banned.ban());
            store.moderator(key, Names.key(banned.ban().username()), false);
        }
        return banned.ban();
    }

    public void unban(Member actor, String username) {
        Lobby lobby = actor.lobby();
        lobby.unban(actor, username);
        if (lobby.claimed()) {
            store.unbanned(Names.key(lobby.name()), Names.key(username));
        }
    }

    /** A member's account changed (REGISTER): what it is from now on. */
    public void loggedIn(Member member, Identity identity) {
        member.identity(identity);
    }

    /** A claimed lobby's autoplay setting changed. */
    public void autoplayChanged(Lobby lobby, boolean on) {
        if (lobby.claimed()) {
            store.autoplay(Names.key(lobby.name()), on);
        }
    }

    /** Saves every claimed lobby's queue (at shutdown). */
    public void keepClaimed() {
        for (Lobby lobby : lobbies()) {
            keep(lobby);
        }
    }

    private void keep(Lobby lobby) {
        if (lobby.claimed()) {
            try {
                store.queue(Names.key(lobby.name()), lobby.peekParty(p -> p.queue()));
            } catch (RuntimeException e) {
                LOG.error("saving the queue of claimed lobby {} failed", lobby.name(), e);
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
        Member target = actor.lobby().promote(actor, username);
        if (actor.lobby().claimed() && target.identity().registered()) {
            store.moderator(Names.key(actor.lobby().name()), Names.key(target.username()), true);
        }
    }

    public void demote(Member actor, String username) {
        Member target = actor.lobby().demote(actor, username);
        if (actor.lobby().claimed() && target.identity().registered()) {
            store.moderator(Names.key(actor.lobby().name()), Names.key(target.username()), false);
        }
    }

    /** Disconnects a member with a NOTIFY; the lobby is told. */
    public void kick(Member actor, String username) {
        kick(actor.lobby(), lobby -> lobby.kickTarget(actor, username), actor.username());
    }

    /**
     * The server's operator (its console) disconnects a member, as KICK does, in the name {@code by}; nobody is
     * above the console, so an operator or the ADMIN may be kicked too.
     *
     * @throws ThingException NO_SUCH_USER when nobody of that name is here, NOT_ALLOWED for a pending joiner
     */
    public Member kick(Lobby lobby, String username, String by) {
        return kick(lobby, l -> l.operatorKickTarget(username), by);
    }

    private Member kick(Lobby lobby, java.util.function.Function<Lobby, Member> pick, String by) {
        Member target;
        boolean empty;
        synchronized (lobby) {
            target = pick.apply(lobby);
            LOG.info("{} kicked {} from {}", by, target.username(), lobby.name());
            empty = lobby.remove(target, "was kicked from " + lobby.name() + " by " + by,
                    ServerMessage.Departure.KICKED);
        }
        if (empty) {
            forget(lobby);
        }
        target.peer().send(new ServerMessage.GoneEvent(target.username(), ServerMessage.Departure.KICKED));
        target.peer().closeAfter(new ServerMessage.Notify("you were kicked from " + lobby.name() + " by "
                + by), "kicked by " + by);
        return target;
    }

    /**
     * Ends a lobby's party at once (the server's operator's {@code stop}): every member here is told why and
     * disconnected (EVENT GONE KICKED for itself first, so that a client does not come back), away members' kept
     * places end, pending joiners are told the lobby closed, and the lobby is gone; a claimed lobby keeps its
     * claim and queue for its next join, as when it empties. Returns the members who were disconnected.
     */
    public List<Member> endParty(Lobby lobby, String by) {
        Lobby.Ended ended = lobby.end();
        forget(lobby);
        String text = "the party in " + lobby.name() + " was ended by " + by + "; closing";
        for (Member m : ended.here()) {
            m.peer().send(new ServerMessage.GoneEvent(m.username(), ServerMessage.Departure.KICKED));
            m.peer().closeAfter(new ServerMessage.Notify(text), "party ended by " + by);
        }
        for (Member m : ended.away()) {
            listener.placeGivenUp(m);
        }
        LOG.info("{} ended the party in {}: {} member(s) disconnected, {} kept place(s) ended", by, lobby.name(),
                ended.here().size(), ended.away().size());
        return ended.here();
    }

    /** A member or pending joiner is gone (QUIT, disconnect). Idempotent. */
    public void leave(Member member) {
        leave(member, ServerMessage.Departure.DISCONNECTED);
    }

    /** A member or pending joiner is gone, for this reason. Idempotent. */
    public void leave(Member member, ServerMessage.Departure why) {
        Lobby lobby = member.lobby();
        java.time.Duration grace = settings.rejoinGrace();
        if (why == ServerMessage.Departure.DISCONNECTED && !grace.isZero() && !member.isPending()
                && lobby.keepPlace(member, grace, () -> graceOver(member, grace))) {
            return;
        }
        if (lobby.remove(member, "left " + lobby.name(), why)) {
            forget(lobby);
        }
    }

    /** An away member did not come back in time: it leaves now (and the lobby goes when it was the last). */
    private void graceOver(Member member, java.time.Duration grace) {
        Lobby lobby = member.lobby();
        try {
            Lobby.GraceEnd end = lobby.graceOver(member, grace);
            if (end == Lobby.GraceEnd.EMPTIED) {
                forget(lobby);
            }
            if (end != Lobby.GraceEnd.NOT_KEPT) {
                listener.placeGivenUp(member);
            }
        } catch (RuntimeException e) {
            LOG.error("ending the grace of {} in {} failed", member.username(), lobby.name(), e);
        }
    }

    /**
     * Drops an emptied (closed) lobby from the map, unless a new lobby of that name has replaced it; a claimed
     * one's queue is kept first (it comes back at the next join).
     */
    private void forget(Lobby lobby) {
        keep(lobby);
        synchronized (this) {
            lobbies.remove(Names.key(lobby.name()), lobby);
        }
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

    /**
     * The identity of the place in {@code lobbyName} that {@code token} brings {@code username} back to, if the
     * token is good now (RFC 3.15): a token issued to an account's place logs its holder in as that account.
     */
    public Optional<Identity> tokenHolder(String lobbyName, String username, String token) {
        return lobby(lobbyName).flatMap(l -> l.tokenHolder(username, token));
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

    /** Sends a line to every accepted member of the server, encoded once for all of them. */
    public void broadcastAll(ServerMessage message) {
        dev.thing.protocol.codec.EncodedLine line = dev.thing.protocol.codec.EncodedLine.of(message);
        for (Member m : allMembers()) {
            m.send(line);
        }
    }
}
