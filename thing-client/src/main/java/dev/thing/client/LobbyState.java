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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the client knows of its lobby and the library, learnt from replies (LIST, USERS) and notifications: song
 * hashes for cache checks, {@code #id} to title, usernames and titles for completion, our own role.
 */
public final class LobbyState implements CompletionData {
    private static final Pattern ASKS = Pattern.compile("^(\\S+) asks to join (\\S+).*");
    private static final Pattern JOINED = Pattern.compile("^(\\S+) joined (\\S+)$");

    private final String lobby;
    private final String username;
    private final Map<String, ServerMessage.SongLine> songs = new LinkedHashMap<>();
    private final Map<String, Role> users = new LinkedHashMap<>();
    private boolean listed;

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
        } else if (reply.command() instanceof ClientMessage.Delete d) {
            song(d.song()).ifPresent(s -> songs.remove(Names.key(s.title())));
        } else if (reply.command() instanceof ClientMessage.Accept a) {
            users.put(a.username(), Role.USER);
        } else if (reply.command() instanceof ClientMessage.Reject r) {
            users.remove(r.username());
        } else if (reply.command() instanceof ClientMessage.Kick k) {
            users.remove(k.username());
        }
    }

    /**
     * Reads a NOTIFY for joiners; returns the username when it is a request to join (to show prominently).
     */
    public synchronized Optional<String> noteNotify(String text) {
        Matcher m = ASKS.matcher(text);
        if (m.matches()) {
            users.put(m.group(1), Role.PENDING);
            return Optional.of(m.group(1));
        }
        Matcher j = JOINED.matcher(text);
        if (j.matches()) {
            users.put(j.group(1), Role.USER);
        }
        return Optional.empty();
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

    @Override
    public synchronized Collection<String> titles() {
        List<String> out = new ArrayList<>();
        songs.values().forEach(s -> out.add(s.title()));
        return out;
    }
}
