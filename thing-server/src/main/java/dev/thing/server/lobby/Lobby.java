package dev.thing.server.lobby;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Names;
import dev.thing.protocol.Role;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.Tokens;
import dev.thing.protocol.codec.EncodedLine;
import dev.thing.server.ThingException;
import dev.thing.server.party.Party;
import dev.thing.server.party.PartyException;
import dev.thing.server.party.PartyOutcome;
import dev.thing.server.party.PlaybackEvent;
import dev.thing.server.party.StartLead;
import dev.thing.server.time.TimeSource;
import dev.thing.server.time.Timers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A named lobby: its members in order of arrival, its pending joiners, and its party. Every method locks the
 * lobby; membership changes come through {@link LobbyRegistry}, which never holds its own lock while a lobby
 * sends. Sends under the lobby's lock only queue lines for the connection (they never wait for the network), and
 * the party's library lookups under it are memory reads (the library's index is mirrored in memory).
 */
public final class Lobby {
    private static final Logger LOG = LogManager.getLogger(Lobby.class);

    /** What a party command does, given the party, the time now and the start lead. */
    @FunctionalInterface
    public interface PartyAction {
        PartyOutcome apply(Party party, long nowUs, long leadUs);
    }

    /** What a board command does, given the board, the time now and the start lead. */
    @FunctionalInterface
    public interface BoardAction {
        dev.thing.server.party.BoardOutcome apply(dev.thing.server.party.Board board, long nowUs, long leadUs);
    }

    private final String name;
    private final Party party;
    private final dev.thing.server.party.Board board = new dev.thing.server.party.Board();
    private final TimeSource time;
    private final Timers timers;
    private final LobbySettings settings;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Map<String, Member> pending = new LinkedHashMap<>();
    private final Map<String, Timers.Cancellable> approvalTimers = new LinkedHashMap<>();
    /** The last {@link #CHAT_HISTORY} chat lines, oldest first, for joiners. */
    private final java.util.ArrayDeque<ServerMessage.SaidEvent> chat = new java.util.ArrayDeque<>();
    private final java.util.function.Supplier<LobbyListener> listener;
    private Timers.Cancellable songEnd;
    /** The last song-end tick failed to read the library; the lobby has been told once. */
    private boolean storageFailing;
    private volatile boolean closed;
    /** The claim: the owner's account and name, or 0/null while the lobby is unclaimed. */
    private long ownerId;
    private String owner;
    /** Usernames (keys) of the accounts that are moderators of this claimed lobby. */
    private final java.util.Set<String> moderatorAccounts = new java.util.LinkedHashSet<>();
    /** Bans by username key, in the order they were made. */
    private final Map<String, Ban> bans = new LinkedHashMap<>();
    /** How soon a song-end tick that found the library failing is tried again. */
    static final long STORAGE_RETRY_MS = 1_000;
    /** How many chat lines a joiner is shown. */
    public static final int CHAT_HISTORY = 50;

    Lobby(String name, Party party, TimeSource time, Timers timers, LobbySettings settings) {
        this(name, party, time, timers, settings, () -> LobbyListener.NONE);
    }

    Lobby(String name, Party party, TimeSource time, Timers timers, LobbySettings settings,
          java.util.function.Supplier<LobbyListener> listener) {
        this.name = name;
        this.party = party;
        this.time = time;
        this.timers = timers;
        this.settings = settings;
        this.listener = listener;
    }

    public String name() {
        return name;
    }

    /** Lock-free (the registry asks while holding its own lock). */
    public boolean isClosed() {
        return closed;
    }

    /** Accepted members that are here (connected), in order of arrival. */
    public synchronized List<Member> members() {
        List<Member> here = new ArrayList<>();
        for (Member m : members.values()) {
            if (!m.isAway()) {
                here.add(m);
            }
        }
        return here;
    }

    /** Every accepted member, those away (their place kept, RFC 3.15) included, in order of arrival. */
    public synchronized List<Member> everyone() {
        return new ArrayList<>(members.values());
    }

    /** Pending joiners in order of arrival. */
    public synchronized List<Member> pendingJoiners() {
        return new ArrayList<>(pending.values());
    }

    /** How many members are here (the away ones not counted). */
    public synchronized int memberCount() {
        return presentCount();
    }

    private int presentCount() {
        int n = 0;
        for (Member m : members.values()) {
            if (!m.isAway()) {
                n++;
            }
        }
        return n;
    }

    public synchronized int pendingCount() {
        return pending.size();
    }

    /** The member of that name if it is here (not away). */
    public synchronized Optional<Member> member(String username) {
        return Optional.ofNullable(members.get(Names.key(username))).filter(m -> !m.isAway());
    }

    /** Sends a line to every accepted member; it is encoded once, and every connection sends the same bytes. */
    public synchronized void broadcast(ServerMessage message) {
        EncodedLine line = EncodedLine.of(message);
        for (Member m : members.values()) {
            m.send(line);
        }
    }

    /** Sends a NOTIFY to every accepted member. */
    public void tell(String text) {
        broadcast(new ServerMessage.Notify(text));
    }

    /** Sends a NOTIFY to the ADMIN and the MODERATORs. */
    public synchronized void tellModerators(String text) {
        toModerators(new ServerMessage.Notify(text));
    }

    private void toModerators(ServerMessage message) {
        EncodedLine line = EncodedLine.of(message);
        for (Member m : members.values()) {
            if (m.role().canModerate()) {
                m.send(line);
            }
        }
    }

    /**
     * Brings a member who just got in up to date, in event lines (which reach only connections that asked for
     * them): their own approval, everyone present with their role, for staff who is waiting, and the whole board.
     */
    public synchronized void welcome(Member member, ServerMessage.Approval how) {
        member.send(new ServerMessage.ApprovalEvent(name, how));
        issueToken(member);
        for (Member m : members.values()) {
            member.send(new ServerMessage.MemberEvent(m.username(), m.role()));
            if (m.isAway()) {
                long left = Math.max(0, (m.awayUntilUs() - time.epochMicros()) / 1_000_000);
                member.send(new ServerMessage.AwayEvent(m.username(), left));
            }
        }
        showWaiting(member);
        for (ServerMessage.BoardEvent event : board.snapshot()) {
            member.send(event);
        }
        if (member.peer().wantsEvents()) {
            followQueue();
            for (ServerMessage.Event event : queueChange(queueSent, 0)) {
                member.send(event);
            }
        }
    }

    // ---- the queue, followed by events (RFC 6.16) ----

    /** The queue as the members reading events were last told it. */
    private List<dev.thing.server.party.QueueEntry> queueSent = List.of();

    /**
     * Tells every member that reads events what changed in the queue since it was last told: the entries from the
     * first position that differs, then the length. Called after every party change (a request, a song starting,
     * UNQUEUE, MOVE, a deletion, a rename); when nothing changed it costs one comparison of at most the queue limit.
     */
    private void followQueue() {
        List<dev.thing.server.party.QueueEntry> now = party.queue();
        if (now.equals(queueSent)) {
            return;
        }
        int first = 0;
        while (first < now.size() && first < queueSent.size() && now.get(first).equals(queueSent.get(first))) {
            first++;
        }
        List<EncodedLine> change = queueChange(now, first).stream().map(EncodedLine::of).toList();
        queueSent = now;
        for (Member m : members.values()) {
            if (m.peer().wantsEvents()) {
                for (EncodedLine event : change) {
                    m.send(event);
                }
            }
        }
    }

    /** EVENT ENTRY for each position of {@code queue} from {@code from} (0-based), then EVENT QUEUE. */
    private static List<ServerMessage.Event> queueChange(List<dev.thing.server.party.QueueEntry> queue, int from) {
        List<ServerMessage.Event> lines = new ArrayList<>(queue.size() - from + 1);
        for (int i = from; i < queue.size(); i++) {
            dev.thing.server.party.QueueEntry e = queue.get(i);
            lines.add(new ServerMessage.EntryEvent(i + 1, e.songId(), e.title(), e.requestedBy()));
        }
        lines.add(new ServerMessage.QueueEvent(queue.size()));
        return lines;
    }

    /**
     * Member just made staff (promoted, or a user handed the admin role): the same NOTIFY for each joiner already
     * waiting that staff got when the joiner asked, so that a person (telnet reads no events) knows whom to answer.
     */
    private void askAboutWaiting(Member member) {
        for (Member joiner : pending.values()) {
            member.send(new ServerMessage.Notify(joinRequest(joiner.username())));
        }
    }

    /** The NOTIFY staff get for a joiner: who asks, and the two answers. */
    private String joinRequest(String joiner) {
        return dev.thing.protocol.JoinWords.asksToJoin(joiner, name);
    }

    private void showWaiting(Member member) {
        if (member.role().canModerate()) {
            for (Member joiner : pending.values()) {
                member.send(new ServerMessage.WaitingEvent(joiner.username()));
            }
        }
    }

    // ---- chat ----

    /**
     * {@code SAY}: the line goes to every member (a program as {@code EVENT SAID}, a person as
     * {@code NOTIFY <speaker> text}) and into the history joiners are shown.
     *
     * @throws ThingException LIMIT when the speaker is past the chat rate
     */
    public synchronized void say(Member speaker, String text) {
        if (members.get(Names.key(speaker.username())) != speaker) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, "you are not a member of " + name);
        }
        long wait = speaker.chatRate().take(time.monotonicNanos());
        if (wait > 0) {
            throw new ThingException(ErrorCode.LIMIT, "you are chatting too fast (" + ChatRate.BURST
                    + " lines at once, then one every " + ChatRate.INTERVAL_SECONDS + " s); wait "
                    + Math.max(1, (wait + 999_999_999L) / 1_000_000_000L) + " s and say it again");
        }
        ServerMessage.SaidEvent said = new ServerMessage.SaidEvent(speaker.username(), text);
        chat.addLast(said);
        while (chat.size() > CHAT_HISTORY) {
            chat.removeFirst();
        }
        for (Member m : members.values()) {
            deliver(m, said);
        }
    }

    private static void deliver(Member to, ServerMessage.SaidEvent said) {
        if (to.peer().wantsEvents()) {
            to.send(said);
        } else {
            to.send(new ServerMessage.Notify(chatLine(said)));
        }
    }

    /** A chat line as people read it: {@code <alice> hello}. */
    public static String chatLine(ServerMessage.SaidEvent said) {
        return "<" + said.username() + "> " + said.text();
    }

    /** The chat history, oldest first (a copy). */
    public synchronized List<ServerMessage.SaidEvent> chatHistory() {
        return new ArrayList<>(chat);
    }

    private void showChat(Member member) {
        if (chat.isEmpty()) {
            return;
        }
        member.send(new ServerMessage.Notify("the last " + (chat.size() == 1 ? "chat line" : chat.size()
                + " chat lines") + " in " + name + ":"));
        for (ServerMessage.SaidEvent said : chat) {
            deliver(member, said);
        }
    }

    // ---- the next song, ready in advance ----

    /**
     * Sends the queue's next song to every member that asked for songs (CAP SONGS) and has not had it on this
     * connection, so that its PLAY finds it in their cache. The transfers start outside this lock (the listener
     * hands them to a worker: opening the file is disk work).
     */
    private void pushNext() {
        java.util.Optional<dev.thing.server.party.QueueEntry> next = party.next();
        if (next.isEmpty() || closed) {
            return;
        }
        long id = next.get().songId();
        List<Member> to = new ArrayList<>();
        for (Member m : members.values()) {
            if (!m.isAway() && m.peer().wantsSongs() && m.markHeld(id)) {
                to.add(m);
            }
        }
        if (!to.isEmpty()) {
            LOG.debug("{}: the next song #{} goes to {} member(s) ahead of its turn", name, id, to.size());
            listener.get().pushSong(id, to);
        }
    }

    /** How long after a joiner arrives in a playing lobby the next song is sent to it (behind its GET). */
    static final long JOINER_PUSH_DELAY_MS = 5_000;

    private synchronized void pushNextLater() {
        if (!closed) {
            pushNext();
        }
    }

    // ---- membership (called by LobbyRegistry) ----

    synchronized boolean nameInUse(String key) {
        return members.containsKey(key) || pending.containsKey(key);
    }

    synchronized void addAdmin(Member admin) {
        members.put(Names.key(admin.username()), admin);
    }

    // ---- claims and bans ----

    public synchronized boolean claimed() {
        return owner != null;
    }

    /** The owner's username while claimed. */
    public synchronized Optional<String> owner() {
        return Optional.ofNullable(owner);
    }

    /** Brings back a claimed lobby's kept state (before anyone is in it). */
    synchronized void restore(Claim claim, List<dev.thing.server.party.QueueEntry> queue) {
        ownerId = claim.ownerId();
        owner = claim.owner();
        moderatorAccounts.clear();
        moderatorAccounts.addAll(claim.moderators());
        for (Ban ban : claim.bans()) {
            bans.put(Names.key(ban.username()), ban);
        }
        party.setAutoplay(claim.autoplay());
        party.restoreQueue(queue);
        queueSent = party.queue(); // nobody is here to tell; its first member is sent it on arrival
    }

    /** The ban that keeps this joiner out, if any. */
    synchronized Optional<Ban> banFor(String username, Identity who) {
        Ban ban = bans.get(Names.key(username));
        return ban != null && ban.bars(username, who) ? Optional.of(ban) : Optional.empty();
    }

    /**
     * The role a joiner gets without waiting for approval, or null when it must wait: a claimed lobby's owner is
     * its admin; its moderators by account, and operators anywhere, come straight in (as admin while nobody
     * holds that role).
     */
    synchronized Role directRole(String username, Identity who) {
        String key = Names.key(username);
        boolean hasAdmin = members.values().stream().anyMatch(m -> m.role() == Role.ADMIN);
        if (owner != null && who.registered() && who.accountId() == ownerId) {
            return Role.ADMIN;
        }
        if (who.operator() || (owner != null && who.registered() && moderatorAccounts.contains(key))) {
            return hasAdmin ? Role.MODERATOR : Role.ADMIN;
        }
        return null;
    }

    /** Is someone here who may let a joiner in? */
    synchronized boolean staffPresent() {
        return members.values().stream().anyMatch(m -> !m.isAway() && m.actingRole().canModerate());
    }

    /**
     * Lets in a member who needs no approval (an owner, a moderator by account, an operator) with its role set.
     * An owner arriving takes the admin role back; whoever held it meanwhile is a moderator again.
     */
    synchronized void enter(Member joiner) {
        String key = Names.key(joiner.username());
        if (joiner.role() == Role.ADMIN) {
            for (Member m : members.values()) {
                if (m.role() == Role.ADMIN) {
                    m.role(Role.MODERATOR);
                    broadcast(new ServerMessage.MemberEvent(m.username(), Role.MODERATOR));
                    tell(m.username() + " is a moderator again: " + joiner.username() + " is the admin of " + name);
                }
            }
        }
        members.put(key, joiner);
        // Words for a person (RFC 3.6): in without a wait, and in which role.
        joiner.send(new dev.thing.protocol.Message.Okay("you are in " + name + " as its " + joiner.role().name()));
        EncodedLine arrived = EncodedLine.of(new ServerMessage.MemberEvent(joiner.username(), joiner.role()));
        for (Member m : members.values()) {
            if (m != joiner) {
                m.send(arrived);
            }
        }
        welcome(joiner, ServerMessage.Approval.ACCEPTED);
        tell(joiner.username() + " joined " + name + " as its " + joiner.role().name().toLowerCase(java.util.Locale.ROOT));
        party.current(time.epochMicros()).ifPresent(event -> joiner.send(toWire(event)));
        LOG.info("{} came into {} as {} without approval", joiner.username(), name, joiner.role());
    }

    /** Claims the lobby for {@code actor}'s account; returns what is to be kept. */
    synchronized Claim claim(Member actor) {
        if (owner != null) {
            throw new ThingException(ErrorCode.DUPLICATE, name + " is claimed by " + owner + " already");
        }
        ownerId = actor.identity().accountId();
        owner = actor.username();
        moderatorAccounts.clear();
        for (Member m : members.values()) {
            if (m.role() == Role.MODERATOR && m.identity().registered()) {
                moderatorAccounts.add(Names.key(m.username()));
            }
        }
        tell(actor.username() + " claimed " + name + ": it stays theirs, across empty periods and restarts");
        return snapshot();
    }

    synchronized void unclaim(Member actor) {
        if (owner == null) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, name + " is not claimed");
        }
        if (actor.identity().accountId() != ownerId && !actor.isOperator()) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, name + " is claimed by " + owner
                    + "; only " + owner + " or an operator may give the claim up");
        }
        tell(actor.username() + " gave up the claim on " + name + (Names.key(owner).equals(
                Names.key(actor.username())) ? "" : " (it was " + owner + "'s)")
                + "; it is removed when its last member leaves");
        owner = null;
        ownerId = 0;
        moderatorAccounts.clear();
    }

    /** The state a claimed lobby keeps. */
    synchronized Claim snapshot() {
        return new Claim(name, ownerId, owner, party.autoplay(), java.util.Set.copyOf(moderatorAccounts),
                party.queue(), List.copyOf(bans.values()));
    }

    /** What came of a BAN: the ban made, and who was removed (null when the name was not here). */
    record Banned(Ban ban, Member removed) {
    }

    /**
     * Bars a name: the account if it is registered (present or not), else the present guest's name and address.
     * The person is removed (a pending joiner refused). A moderator may ban users only.
     */
    synchronized Banned ban(Member actor, String username, Optional<Identity> account, long nowUs) {
        String key = Names.key(username);
        if (bans.containsKey(key)) {
            throw new ThingException(ErrorCode.DUPLICATE, username + " is banned from " + name + " already");
        }
        Member target = members.get(key);
        if (target == null) {
            target = pending.get(key);
        }
        if (target == actor) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, "you cannot ban yourself; use QUIT to leave");
        }
        Identity who = target != null ? target.identity() : account.orElse(null);
        if (who == null) {
            throw new ThingException(ErrorCode.NO_SUCH_USER, "nobody called " + username + " is in " + name
                    + ", and it is not a registered name; a guest's name can be banned only while they are here");
        }
        if (who.operator()) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, username + " is an operator and cannot be banned");
        }
        if (owner != null && who.registered() && who.accountId() == ownerId) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, username + " owns " + name + " and cannot be banned");
        }
        Role rank = target != null ? target.role()
                : moderatorAccounts.contains(key) ? Role.MODERATOR : Role.USER;
        if (actor.actingRole() == Role.MODERATOR && rank != Role.USER && rank != Role.PENDING) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, "a moderator may only ban users, and " + username
                    + " is " + rank.name().toLowerCase(java.util.Locale.ROOT));
        }
        String spelled = target != null ? target.username() : username;
        Ban ban = who.registered() ? new Ban(spelled, who.accountId(), null, actor.username(), nowUs)
                : new Ban(spelled, 0, who.address(), actor.username(), nowUs);
        bans.put(key, ban);
        moderatorAccounts.remove(key);
        LOG.info("{} banned {} from {} ({})", actor.username(), spelled, name, who.registered() ? "account"
                : "name and address");
        return new Banned(ban, target);
    }

    synchronized Ban unban(Member actor, String username) {
        Ban ban = bans.remove(Names.key(username));
        if (ban == null) {
            throw new ThingException(ErrorCode.NO_SUCH_USER, username + " is not banned from " + name);
        }
        tellModerators(actor.username() + " lifted the ban on " + ban.username());
        LOG.info("{} lifted the ban on {} in {}", actor.username(), ban.username(), name);
        return ban;
    }

    public synchronized List<Ban> bans() {
        return new ArrayList<>(bans.values());
    }

    synchronized void addPending(Member joiner) {
        String key = Names.key(joiner.username());
        pending.put(key, joiner);
        long timeoutNanos = settings.approvalTimeout().toNanos();
        approvalTimers.put(key, timers.schedule(() -> approvalTimedOut(joiner), timeoutNanos));
        joiner.send(new ServerMessage.Notify("waiting for approval to join " + name));
        joiner.send(new ServerMessage.ApprovalEvent(name, ServerMessage.Approval.WAITING));
        toModerators(new ServerMessage.WaitingEvent(joiner.username()));
        tellModerators(joinRequest(joiner.username()));
    }

    private void approvalTimedOut(Member joiner) {
        synchronized (this) {
            String key = Names.key(joiner.username());
            if (pending.get(key) != joiner) {
                return;
            }
            pending.remove(key);
            approvalTimers.remove(key);
        }
        LOG.info("{} waited {} for approval in {}; disconnecting", joiner.username(),
                settings.approvalTimeout(), name);
        joiner.send(new ServerMessage.ApprovalEvent(name, ServerMessage.Approval.TIMEOUT));
        synchronized (this) {
            toModerators(new ServerMessage.DecidedEvent(joiner.username(), ServerMessage.Decision.TIMEOUT));
        }
        joiner.peer().closeAfter(new ServerMessage.Notify("nobody accepted you into " + name + " within "
                + human(settings.approvalTimeout()) + "; closing"), "approval timeout");
        tellModerators(joiner.username() + " was turned away: nobody answered within "
                + human(settings.approvalTimeout()));
    }

    /** Admits a pending joiner. */
    synchronized Member accept(Member actor, String username) {
        String key = Names.key(username);
        Member joiner = pending.get(key);
        if (joiner == null) {
            throw new ThingException(ErrorCode.NO_SUCH_USER,
                    members.containsKey(key) ? username + " is already a member of " + name
                            : "nobody called " + username + " is waiting to join " + name);
        }
        pending.remove(key);
        Timers.Cancellable timer = approvalTimers.remove(key);
        if (timer != null) {
            timer.cancel();
        }
        joiner.role(Role.USER);
        members.put(key, joiner);
        joiner.send(new dev.thing.protocol.Message.Okay(actor.username() + " let you into " + name + " as a USER"));
        toModerators(new ServerMessage.DecidedEvent(joiner.username(), ServerMessage.Decision.ACCEPTED));
        EncodedLine arrived = EncodedLine.of(new ServerMessage.MemberEvent(joiner.username(), Role.USER));
        for (Member m : members.values()) {
            if (m != joiner) {
                m.send(arrived);
            }
        }
        welcome(joiner, ServerMessage.Approval.ACCEPTED);
        tell(joiner.username() + " joined " + name);
        showChat(joiner);
        java.util.Optional<PlaybackEvent> now = party.current(time.epochMicros());
        now.ifPresent(event -> joiner.send(toWire(event)));
        if (now.isEmpty()) {
            pushNext();
        } else {
            // The joiner fetches the song playing first (its GET answers the PLAY it was just sent); the next song
            // must not get in front of it on the wire, so it follows a little later, behind that transfer.
            timers.schedule(this::pushNextLater, JOINER_PUSH_DELAY_MS * 1_000_000L);
        }
        LOG.info("{} accepted {} into {}", actor.username(), joiner.username(), name);
        return joiner;
    }

    /** Refuses a pending joiner, who is told and disconnected. */
    synchronized Member reject(Member actor, String username) {
        String key = Names.key(username);
        Member joiner = pending.remove(key);
        if (joiner == null) {
            throw new ThingException(ErrorCode.NO_SUCH_USER,
                    "nobody called " + username + " is waiting to join " + name);
        }
        Timers.Cancellable timer = approvalTimers.remove(key);
        if (timer != null) {
            timer.cancel();
        }
        joiner.send(new ServerMessage.ApprovalEvent(name, ServerMessage.Approval.REFUSED));
        toModerators(new ServerMessage.DecidedEvent(joiner.username(), ServerMessage.Decision.REFUSED));
        joiner.peer().closeAfter(new ServerMessage.Notify("your request to join " + name + " was refused by "
                + actor.username()), "rejected by " + actor.username());
        tellModerators(actor.username() + " refused " + joiner.username());
        LOG.info("{} refused {} in {}", actor.username(), joiner.username(), name);
        return joiner;
    }

    synchronized Member promote(Member actor, String username) {
        Member target = requireMember(username);
        if (target.role() == Role.ADMIN) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, target.username() + " is the admin already");
        }
        if (target.role() == Role.MODERATOR) {
            throw new ThingException(ErrorCode.DUPLICATE, target.username() + " is a moderator already");
        }
        target.role(Role.MODERATOR);
        if (owner != null && target.identity().registered()) {
            moderatorAccounts.add(Names.key(target.username()));
        }
        broadcast(new ServerMessage.MemberEvent(target.username(), Role.MODERATOR));
        tell(target.username() + " is now a moderator of " + name);
        showWaiting(target);
        askAboutWaiting(target);
        return target;
    }

    synchronized Member demote(Member actor, String username) {
        Member target = requireMember(username);
        if (target.role() == Role.ADMIN) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, target.username() + " is the admin and cannot be "
                    + "demoted; the admin role passes on when the admin leaves");
        }
        if (target.role() != Role.MODERATOR) {
            throw new ThingException(ErrorCode.DUPLICATE, target.username() + " is not a moderator");
        }
        target.role(Role.USER);
        moderatorAccounts.remove(Names.key(target.username()));
        broadcast(new ServerMessage.MemberEvent(target.username(), Role.USER));
        tell(target.username() + " is no longer a moderator of " + name);
        return target;
    }

    /** Checks that {@code actor} may kick {@code username}, and returns the target. */
    synchronized Member kickTarget(Member actor, String username) {
        Member target = requireMember(username);
        if (target == actor) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, "you cannot kick yourself; use QUIT to leave");
        }
        if (target.isOperator() && !actor.isOperator()) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, target.username() + " is an operator and cannot be kicked");
        }
        if (actor.actingRole() == Role.MODERATOR && target.role() != Role.USER) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, "a moderator may only kick users, and "
                    + target.username() + " is " + target.role().name().toLowerCase(java.util.Locale.ROOT));
        }
        return target;
    }

    /** The member the server's operator kicks: anyone here or away, but not a pending joiner. */
    synchronized Member operatorKickTarget(String username) {
        return requireMember(username);
    }

    private Member requireMember(String username) {
        Member target = members.get(Names.key(username));
        if (target == null && pending.containsKey(Names.key(username))) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, username + " is waiting for approval; "
                    + "ACCEPT or REJECT them first");
        }
        if (target == null) {
            throw new ThingException(ErrorCode.NO_SUCH_USER, "no member called " + username + " in " + name);
        }
        return target;
    }

    /**
     * Removes a member or pending joiner. Hands the admin role on when the admin leaves. Returns true when the
     * lobby is now empty (and closed): the registry then forgets it.
     */
    synchronized boolean remove(Member member, String why, ServerMessage.Departure departure) {
        String key = Names.key(member.username());
        if (pending.get(key) == member) {
            pending.remove(key);
            Timers.Cancellable timer = approvalTimers.remove(key);
            if (timer != null) {
                timer.cancel();
            }
            toModerators(new ServerMessage.DecidedEvent(member.username(), ServerMessage.Decision.CANCELLED));
            tellModerators(member.username() + " stopped waiting to join");
            return false;
        }
        if (members.get(key) != member) {
            return false;
        }
        members.remove(key);
        member.cancelGrace();
        broadcast(new ServerMessage.GoneEvent(member.username(), departure));
        tell(member.username() + " " + why);
        if (members.isEmpty()) {
            close();
            return true;
        }
        deliver(board.memberLeft(member.username()));
        try {
            // A leaver's skip vote goes with them, and with one member fewer the votes cast may now be enough.
            party((p, now, lead) -> p.memberLeft(member.username(), presentCount(), now, lead));
        } catch (RuntimeException e) {
            LOG.warn("{}: recounting skip votes after {} left failed: {}", name, member.username(), e.toString());
        }
        if (member.role() == Role.ADMIN) {
            Member heir = heir();
            if (heir == null) {
                tell(name + " has no admin until " + owner + " or one of its moderators comes back");
                LOG.info("{} left claimed lobby {}; it has no admin now", member.username(), name);
                return false;
            }
            boolean wasStaff = heir.role().canModerate();
            heir.role(Role.ADMIN);
            broadcast(new ServerMessage.MemberEvent(heir.username(), Role.ADMIN));
            if (!wasStaff) {
                showWaiting(heir);
            }
            tell(heir.username() + " is now the admin of " + name);
            if (!wasStaff) {
                askAboutWaiting(heir);
            }
            LOG.info("{} left {}; {} is the admin now", member.username(), name, heir.username());
        }
        return false;
    }

    /**
     * Who takes the admin role over: the longest-present moderator, else (unless the lobby is claimed: its users
     * wait for the owner or its staff) the longest-present user; members who are here before those who are away.
     */
    private Member heir() {
        for (boolean away : new boolean[] {false, true}) {
            for (Member m : members.values()) {
                if (m.isAway() == away && m.role() == Role.MODERATOR) {
                    return m;
                }
            }
            if (owner == null) {
                for (Member m : members.values()) {
                    if (m.isAway() == away) {
                        return m;
                    }
                }
            }
        }
        return null;
    }

    // ---- coming back (RFC 3.15) ----

    private static final java.security.SecureRandom TOKENS = new java.security.SecureRandom();

    /**
     * Gives a connection that reads events a fresh rejoin token (128 random bits, base64url), replacing any earlier
     * one, when the server keeps places at all.
     */
    private void issueToken(Member member) {
        if (settings.rejoinGrace().isZero() || !member.peer().wantsEvents()) {
            return;
        }
        byte[] bits = new byte[16];
        TOKENS.nextBytes(bits);
        String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        member.rejoinToken(token);
        member.send(new ServerMessage.TokenEvent(name, token));
    }

    /**
     * The member a join line comes back as, or null: the holder of the token the place's last connection was given
     * (compared in constant time), or the place's account (its password checked already). Either comes back
     * whether the place is away or its old connection still looks open: after a network drop the server often
     * learns that the old connection is dead only at its next PING, and the person should not wait for that.
     */
    synchronized Member returning(String username, Identity who, String token) {
        Member kept = members.get(Names.key(username));
        if (kept == null || closed) {
            return null;
        }
        if (token != null) {
            return tokenMatches(kept, token) ? kept : null;
        }
        return who.registered() && kept.identity().accountId() == who.accountId() ? kept : null;
    }

    /**
     * Who holds the place a token names (RFC 3.15), without using the token up: lets a connection that comes back
     * with the token of an account's place log in as that account, as that place's connection had done with the
     * password.
     */
    synchronized Optional<Identity> tokenHolder(String username, String token) {
        Member kept = members.get(Names.key(username));
        return kept == null || closed || !tokenMatches(kept, token) ? Optional.empty() : Optional.of(kept.identity());
    }

    private static boolean tokenMatches(Member kept, String token) {
        String expected = kept.rejoinToken();
        return expected != null && token != null && java.security.MessageDigest.isEqual(
                expected.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                token.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * A member's connection dropped: its place (role, arrival, queue entries) is kept for {@code grace}, after
     * which {@code graceOver} runs (on a timer thread); the lobby is told. False when it is not a member here
     * (nothing kept).
     */
    synchronized boolean keepPlace(Member member, java.time.Duration grace, Runnable graceOver) {
        String key = Names.key(member.username());
        if (closed || members.get(key) != member || member.isAway()) {
            return false;
        }
        member.away(time.epochMicros() + grace.toNanos() / 1_000);
        // Armed before anyone is told, so that the grace counts from the moment the place is kept.
        member.graceTimer(timers.schedule(graceOver, grace.toNanos()));
        broadcast(new ServerMessage.AwayEvent(member.username(), grace.toSeconds()));
        tell(member.username() + " lost the connection; their place is kept for " + minutes(grace));
        try {
            // An away member's skip vote is withdrawn, and the votes needed count those here.
            party((p, now, lead) -> p.memberLeft(member.username(), presentCount(), now, lead));
        } catch (RuntimeException e) {
            LOG.warn("{}: recounting skip votes after {} went away failed: {}", name, member.username(), e.toString());
        }
        LOG.info("{} lost the connection to {}; the place is kept for {}", member.username(), name, grace);
        return true;
    }

    /** What came of a grace running out. */
    enum GraceEnd { NOT_KEPT, LEFT, EMPTIED }

    /** The grace ran out: the member leaves as after any disconnect (EMPTIED: the lobby is now closed). */
    synchronized GraceEnd graceOver(Member member, java.time.Duration grace) {
        if (members.get(Names.key(member.username())) != member || !member.isAway()) {
            return GraceEnd.NOT_KEPT;
        }
        LOG.info("{} did not come back to {} within {}", member.username(), name, grace);
        return remove(member, "did not come back within " + minutes(grace) + " and left " + name,
                ServerMessage.Departure.DISCONNECTED) ? GraceEnd.EMPTIED : GraceEnd.LEFT;
    }

    /**
     * A member comes back on a new connection, without approval, to the place it had. An old connection still
     * open (the server had not noticed the drop yet) is closed. The returning member is sent OKAY, the lobby's
     * members and state, as an accepted joiner is; everyone else is told it is back.
     */
    synchronized Member comeBack(Member kept, Peer peer, Identity who) {
        String key = Names.key(kept.username());
        boolean wasAway = kept.isAway();
        Member back = new Member(kept, peer, who);
        kept.cancelGrace();
        kept.rejoinToken(null);
        members.put(key, back); // the same key: its place in the order of arrival stays
        if (!wasAway) {
            // Told with an event too, so that its program does not take this for a drop and come back in turn.
            kept.peer().send(new ServerMessage.GoneEvent(kept.username(), ServerMessage.Departure.REPLACED));
            kept.peer().closeAfter(new ServerMessage.Notify("you came back to " + name
                    + " on another connection; closing this one"), "replaced by a new connection");
        }
        back.send(new dev.thing.protocol.Message.Okay("welcome back to " + name + " as "
                + back.role().name()));
        EncodedLine isBack = EncodedLine.of(new ServerMessage.BackEvent(back.username()));
        for (Member m : members.values()) {
            if (m != back) {
                m.send(isBack);
            }
        }
        welcome(back, ServerMessage.Approval.ACCEPTED);
        tell(back.username() + " is back");
        showChat(back);
        java.util.Optional<PlaybackEvent> now = party.current(time.epochMicros());
        now.ifPresent(event -> back.send(toWire(event)));
        if (now.isEmpty()) {
            pushNext();
        } else {
            timers.schedule(this::pushNextLater, JOINER_PUSH_DELAY_MS * 1_000_000L);
        }
        LOG.info("{} came back to {} as {}{}", back.username(), name, back.role(),
                wasAway ? "" : " (its old connection was still open)");
        return back;
    }

    /** A duration as people read a short wait: {@code 2:00}, {@code 0:45}. */
    static String minutes(java.time.Duration d) {
        long s = d.toSeconds();
        return (s / 60) + ":" + String.format(java.util.Locale.ROOT, "%02d", s % 60);
    }

    /** The away member who holds this name, if any (for the refusal of a join line that does not come back). */
    synchronized Optional<Member> awayHolder(String username) {
        return Optional.ofNullable(members.get(Names.key(username))).filter(Member::isAway);
    }

    /** Who a lobby ended by {@link #end} held: the members here, and those away (their place kept). */
    record Ended(List<Member> here, List<Member> away) {
    }

    /**
     * Closes the lobby with its members still in it (the operator's {@code stop}): its pending joiners are told
     * as when it empties, and the members are returned for the registry to tell and disconnect. Nobody is sent
     * a "left" line: everyone goes at once.
     */
    synchronized Ended end() {
        if (closed) {
            return new Ended(List.of(), List.of());
        }
        List<Member> here = new ArrayList<>();
        List<Member> away = new ArrayList<>();
        for (Member m : members.values()) {
            (m.isAway() ? away : here).add(m);
            m.cancelGrace();
        }
        LOG.info("lobby {} is ended with {} member(s)", name, here.size() + away.size());
        members.clear();
        close();
        return new Ended(here, away);
    }

    private void close() {
        closed = true;
        for (Member m : members.values()) {
            m.cancelGrace();
        }
        if (songEnd != null) {
            songEnd.cancel();
            songEnd = null;
        }
        for (Member joiner : pending.values()) {
            joiner.send(new ServerMessage.ApprovalEvent(name, ServerMessage.Approval.CLOSED));
            joiner.peer().closeAfter(new ServerMessage.Notify("lobby " + name + " closed"),
                    "lobby closed");
        }
        for (Timers.Cancellable timer : approvalTimers.values()) {
            timer.cancel();
        }
        pending.clear();
        approvalTimers.clear();
        LOG.info("lobby {} is empty and was removed", name);
    }

    // ---- the board ----

    /**
     * Runs a board command under the lobby's lock, with the same start lead as PLAY: the change reaches every
     * member, a program (CAP EVENTS) as its event lines, a person as one NOTIFY.
     */
    public synchronized dev.thing.server.party.BoardOutcome board(BoardAction action) {
        if (closed) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, "lobby " + name + " is closed");
        }
        dev.thing.server.party.BoardOutcome outcome = action.apply(board, time.epochMicros(), leadMicros());
        deliver(outcome);
        return outcome;
    }

    /** Reads the board without changing it. */
    public synchronized <T> T peekBoard(java.util.function.Function<dev.thing.server.party.Board, T> reader) {
        return reader.apply(board);
    }

    private void deliver(dev.thing.server.party.BoardOutcome outcome) {
        if (!outcome.changed()) {
            return;
        }
        List<EncodedLine> events = outcome.events().stream().map(EncodedLine::of).toList();
        EncodedLine notice = null;
        for (Member m : members.values()) {
            if (m.peer().wantsEvents()) {
                for (EncodedLine event : events) {
                    m.send(event);
                }
            } else {
                if (notice == null) {
                    notice = EncodedLine.of(new ServerMessage.Notify(outcome.notice()));
                }
                m.send(notice);
            }
        }
    }

    // ---- the party ----

    /**
     * Runs a party command under the lobby's lock: computes the start lead from the members' RTTs, broadcasts
     * the resulting events and notices, and re-arms the song-end timer.
     */
    public synchronized PartyOutcome party(PartyAction action) {
        return party(null, null, action);
    }

    /**
     * A member's playback command ({@code actor} did {@code act}): as {@link #party(PartyAction)}, and the lobby is
     * told who acted (RFC 10.1): a program (CAP EVENTS) by an EVENT BY before the playback line, a person by a NOTIFY
     * after it ("alice paused Long Sweep at 0:53"). A command that changes nothing tells nobody.
     */
    public synchronized PartyOutcome party(String actor, ServerMessage.PlaybackAction act, PartyAction action) {
        if (closed) {
            throw new ThingException(ErrorCode.NOT_ALLOWED, "lobby " + name + " is closed");
        }
        String before = party.nowPlaying().map(s -> Tokens.quote(s.title())).orElse(null);
        long now = time.epochMicros();
        PartyOutcome outcome;
        try {
            outcome = action.apply(party, now, leadMicros());
        } catch (RuntimeException e) {
            followQueue(); // a refusal changes nothing, but a library failing mid-way may have passed songs over
            throw e;
        }
        boolean told = actor != null && !outcome.events().isEmpty();
        if (told) {
            broadcast(new ServerMessage.ByEvent(actor, act));
        }
        for (PlaybackEvent event : outcome.events()) {
            broadcast(toWire(event));
        }
        if (told) {
            PlaybackEvent last = outcome.events().get(outcome.events().size() - 1);
            String text = last instanceof PlaybackEvent.Playing p
                    ? dev.thing.protocol.PlaybackWords.describe(actor, act, Tokens.quote(p.title()), p.positionMs(), before)
                    : last instanceof PlaybackEvent.Paused p
                    ? dev.thing.protocol.PlaybackWords.describe(actor, act, Tokens.quote(p.title()), p.positionMs(), before)
                    : dev.thing.protocol.PlaybackWords.describe(actor, act, null, 0, before);
            EncodedLine notice = EncodedLine.of(new ServerMessage.Notify(text));
            for (Member m : members.values()) {
                if (!m.peer().wantsEvents()) {
                    m.send(notice);
                }
            }
        }
        for (String notice : outcome.lobbyNotices()) {
            tell(notice);
        }
        for (ServerMessage.Event fact : outcome.facts()) {
            broadcast(fact);
        }
        armSongEnd();
        pushNext();
        followQueue();
        return outcome;
    }

    /**
     * Reads the party, or changes it without playback events (autoplay, a rename); a change of the queue still
     * reaches those who follow it.
     */
    public synchronized <T> T peekParty(java.util.function.Function<Party, T> reader) {
        try {
            return reader.apply(party);
        } finally {
            followQueue();
        }
    }

    /** The start lead for this lobby now, from its members' smoothed RTTs. */
    public synchronized long leadMicros() {
        List<OptionalLong> rtts = new ArrayList<>();
        for (Member m : members.values()) {
            if (!m.isAway()) {
                rtts.add(m.rtt().smoothedMicros());
            }
        }
        return StartLead.leadMicros(rtts, settings.leadFloorMs(), settings.leadCapMs());
    }

    private void armSongEnd() {
        if (songEnd != null) {
            songEnd.cancel();
            songEnd = null;
        }
        OptionalLong deadline = party.nextDeadlineUs();
        if (deadline.isPresent() && !closed) {
            long delayNanos = (deadline.getAsLong() - time.epochMicros()) * 1_000L;
            songEnd = timers.schedule(this::songEnded, delayNanos);
        }
    }

    private void songEnded() {
        try {
            synchronized (this) {
                if (!closed) {
                    party((p, now, lead) -> p.tick(now, lead));
                    storageFailing = false;
                }
            }
        } catch (PartyException e) {
            if (e.reason() != PartyException.Reason.STORAGE) {
                LOG.error("advancing the party of {} failed", name, e);
                return;
            }
            // The library could not be read: the queue is intact; try again shortly rather than stop for good.
            synchronized (this) {
                if (closed) {
                    return;
                }
                LOG.warn("{}: the library failed at the end of a song; trying again in {} ms", name, STORAGE_RETRY_MS);
                if (!storageFailing) {
                    storageFailing = true;
                    tell("the server's library failed; the next song starts as soon as it recovers");
                }
                if (songEnd != null) {
                    songEnd.cancel();
                }
                songEnd = timers.schedule(this::songEnded, STORAGE_RETRY_MS * 1_000_000L);
            }
        } catch (RuntimeException e) {
            LOG.error("advancing the party of {} failed", name, e);
        }
    }

    public static ServerMessage toWire(PlaybackEvent event) {
        if (event instanceof PlaybackEvent.Playing p) {
            return new ServerMessage.PlayEvent(p.title(), p.startUs(), p.positionMs());
        }
        if (event instanceof PlaybackEvent.Paused p) {
            return new ServerMessage.PauseEvent(p.title(), p.positionMs());
        }
        return new ServerMessage.StopEvent();
    }

    static String human(java.time.Duration d) {
        long s = d.toSeconds();
        if (s % 60 == 0 && s >= 60) {
            return (s / 60) + " min";
        }
        return s + " s";
    }

    @Override
    public String toString() {
        return "Lobby[" + name + "]";
    }
}
