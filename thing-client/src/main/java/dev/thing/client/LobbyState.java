package dev.thing.client;

import dev.thing.client.console.CompletionData;
import dev.thing.client.net.Reply;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Names;
import dev.thing.protocol.Role;
import dev.thing.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the client knows of its lobby and the library, learnt from replies (LIST, USERS) and EVENT lines (never
 * from NOTIFY text, which is for people): song
 * hashes for cache checks, {@code #id} to title, usernames and titles for completion, our own role.
 */
public final class LobbyState implements CompletionData {

    private final String lobby;
    private final String username;
    private final Map<String, ServerMessage.SongLine> songs = new LinkedHashMap<>();
    private final Map<String, Role> users = new LinkedHashMap<>();
    private boolean listed;
    /** The queue as the EVENT ENTRY / EVENT QUEUE lines left it, or null before the first EVENT QUEUE. */
    private List<ServerMessage.EntryLine> queue;
    /** EVENT ENTRY lines of a change whose EVENT QUEUE has not come yet, by position. */
    private final Map<Integer, ServerMessage.EntryLine> queueChange = new java.util.HashMap<>();

    public LobbyState(String lobby, String username) {
        this.lobby = lobby;
        this.username = username;
    }

    public String lobby() {
        return lobby;
    }

    public String username() {
        return username;
    }

    /** Takes what a reply teaches: the library from LIST, the members from USERS. */
    public synchronized void absorb(Reply reply) {
        if (!reply.ok()) {
            return;
        }
        if (reply.isFor(ClientMessage.ListSongs.class)) {
            songs.clear();
            for (ServerMessage.SongLine s : reply.data(ServerMessage.SongLine.class)) {
                songs.put(Names.key(s.title()), s);
            }
            listed = true;
        } else if (reply.isFor(ClientMessage.Users.class)) {
            users.clear();
            for (ServerMessage.UserLine u : reply.data(ServerMessage.UserLine.class)) {
                users.put(u.username(), u.role());
            }
        }
    }

    /**
     * Takes an EVENT line. Returns the username when someone starts waiting for approval (to show prominently).
     */
    public synchronized Optional<String> absorb(ServerMessage.Event event) {
        if (event instanceof ServerMessage.MemberEvent m) {
            users.put(m.username(), m.role());
        } else if (event instanceof ServerMessage.GoneEvent g) {
            users.remove(g.username());
        } else if (event instanceof ServerMessage.WaitingEvent w) {
            users.put(w.username(), Role.PENDING);
            return Optional.of(w.username());
        } else if (event instanceof ServerMessage.DecidedEvent d) {
            if (d.decision() != ServerMessage.Decision.ACCEPTED && users.get(d.username()) == Role.PENDING) {
                users.remove(d.username());
            }
        } else if (event instanceof ServerMessage.EntryEvent e) {
            queueChange.put(e.position(), new ServerMessage.EntryLine(e.position(), e.songId(), e.title(),
                    e.requestedBy()));
        } else if (event instanceof ServerMessage.QueueEvent q) {
            // The change is whole now: the positions it named are new, the others as before, none past the length.
            List<ServerMessage.EntryLine> now = new ArrayList<>(q.length());
            for (int n = 1; n <= q.length(); n++) {
                ServerMessage.EntryLine e = queueChange.get(n);
                if (e == null && queue != null && n <= queue.size()) {
                    e = queue.get(n - 1);
                }
                if (e != null) {
                    now.add(e);
                }
            }
            queueChange.clear();
            queue = List.copyOf(now);
        } else if (event instanceof ServerMessage.DeletedEvent d) {
            songs.remove(Names.key(d.title()));
        } else if (event instanceof ServerMessage.RenamedEvent r) {
            ServerMessage.SongLine s = songs.remove(Names.key(r.title()));
            if (s != null) {
                songs.put(Names.key(r.newTitle()), new ServerMessage.SongLine(s.id(), r.newTitle(), s.artist(),
                        s.tag1(), s.tag2(), s.durationMs(), s.sizeBytes(), s.audioHash()));
            }
        }
        return Optional.empty();
    }

    /**
     * The lobby's queue as the server last pushed it (RFC 6.16: EVENT ENTRY, EVENT QUEUE), with no QUEUE asked;
     * empty before the first push (no EVENTS, or not joined yet).
     */
    public synchronized Optional<List<ServerMessage.EntryLine>> queue() {
        return Optional.ofNullable(queue);
    }

    /** Who is waiting for approval, as the events said. */
    public synchronized List<String> waiting() {
        List<String> out = new ArrayList<>();
        users.forEach((name, role) -> {
            if (role == Role.PENDING) {
                out.add(name);
            }
        });
        return out;
    }

    /** An UPDATE: new metadata for a known song. Returns false when the title is new to us (LIST again). */
    public synchronized boolean applyUpdate(ServerMessage.Update u) {
        ServerMessage.SongLine s = songs.get(Names.key(u.title()));
        if (s == null) {
            return false;
        }
        songs.put(Names.key(u.title()), new ServerMessage.SongLine(s.id(), s.title(), u.artist(), u.tag1(), u.tag2(),
                s.durationMs(), s.sizeBytes(), s.audioHash()));
        return true;
    }

    /** A song by title (case-insensitive) or {@code #id}. */
    public synchronized Optional<ServerMessage.SongLine> song(String ref) {
        if (Names.SONG_ID.matcher(ref).matches()) {
            long id = Long.parseLong(ref.substring(1));
            return songs.values().stream().filter(s -> s.id() == id).findFirst();
        }
        return Optional.ofNullable(songs.get(Names.key(ref)));
    }

    public Optional<String> titleOfRef(String ref) {
        return song(ref).map(ServerMessage.SongLine::title);
    }

    public synchronized boolean listed() {
        return listed;
    }

    public synchronized Optional<Role> myRole() {
        for (Map.Entry<String, Role> e : users.entrySet()) {
            if (Names.key(e.getKey()).equals(Names.key(username))) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized Collection<String> usernames() {
        return new ArrayList<>(users.keySet());
    }

    /**
     * Whom a command about a person may name, as completion offers them: accept and reject the waiting joiners;
     * promote the users, demote the moderators; kick and ban the members besides yourself and the admin (the server
     * refuses those), and a moderator only the users. Others: every name known.
     */
    @Override
    public synchronized Collection<String> usernamesFor(String command) {
        List<String> out = new ArrayList<>();
        boolean moderator = users.entrySet().stream().anyMatch(e -> Names.key(e.getKey()).equals(Names.key(username))
                && e.getValue() == Role.MODERATOR);
        users.forEach((name, role) -> {
            boolean me = Names.key(name).equals(Names.key(username));
            boolean offered = switch (command) {
                case "accept", "reject" -> role == Role.PENDING;
                case "promote" -> role == Role.USER && !me;
                case "demote" -> role == Role.MODERATOR && !me;
                case "kick", "ban" -> moderator ? role == Role.USER
                        : role != Role.PENDING && role != Role.ADMIN && !me;
                default -> true;
            };
            if (offered) {
                out.add(name);
            }
        });
        return out;
    }

    @Override
    public synchronized Collection<String> titles() {
        List<String> out = new ArrayList<>();
        songs.values().forEach(s -> out.add(s.title()));
        return out;
    }
}
