package dev.thing.server;

import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.Tokens;
import dev.thing.server.library.Library;
import dev.thing.server.library.LibraryException;
import dev.thing.server.library.Song;
import dev.thing.server.lobby.Lobby;
import dev.thing.server.lobby.LobbyListener;
import dev.thing.server.lobby.LobbyRegistry;
import dev.thing.server.lobby.Member;
import dev.thing.server.lobby.OutgoingSong;
import dev.thing.server.party.PartyException;
import dev.thing.server.party.PartySong;
import dev.thing.server.party.SongCatalog;
import dev.thing.server.party.WantedList;
import dev.thing.server.party.Wish;
import java.nio.file.Files;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Where the rooms meet: what happens across lobbies, library and wanted list when a song is added, changed or
 * deleted, or a member arrives. Each room stays ignorant of the others; only this class knows all three.
 */
public final class Jukebox implements SongCatalog, LobbyListener {
    private static final Logger LOG = LogManager.getLogger(Jukebox.class);

    private final Library library;
    private final WantedList wanted;
    private volatile LobbyRegistry lobbies;

    public Jukebox(Library library, WantedList wanted) {
        this.library = library;
        this.wanted = wanted;
    }

    public void lobbies(LobbyRegistry lobbies) {
        this.lobbies = lobbies;
    }

    // ---- SongCatalog, for the parties ----

    /**
     * Only NO_SUCH_SONG means "no such song". Any other failure of the library (INTERNAL: SQLite, disk) is a
     * {@link PartyException.Reason#STORAGE}: the command fails with ERROR INTERNAL, nothing is dropped from a queue
     * and nothing is filed as wanted.
     */
    @Override
    public Optional<PartySong> resolve(String ref) {
        try {
            return Optional.of(partySong(library.resolve(ref)));
        } catch (LibraryException e) {
            if (e.reason() == LibraryException.Reason.NO_SUCH_SONG) {
                return Optional.empty();
            }
            throw storage("looking up " + ref, e);
        }
    }

    @Override
    public Optional<PartySong> random(RandomGenerator rnd) {
        try {
            return library.random(rnd).map(Jukebox::partySong);
        } catch (LibraryException e) {
            throw storage("picking a random song", e);
        }
    }

    private static PartyException storage(String what, LibraryException e) {
        LOG.error("the library failed {}", what, e);
        return new PartyException(PartyException.Reason.STORAGE,
                "the server's library failed " + what + " (the cause is in the server log); nothing was changed", e);
    }

    public static PartySong partySong(Song song) {
        return new PartySong(song.id(), song.title(), song.durationMs());
    }

    public static OutgoingSong outgoing(Song song, boolean reply) {
        return new OutgoingSong(song.title(), song.artist(), song.tag1(), song.tag2(), song.sizeBytes(),
                () -> Files.newInputStream(song.file()), reply);
    }

    public static ServerMessage.Update update(Song song) {
        return new ServerMessage.Update(song.title(), song.artist(), song.tag1(), song.tag2());
    }

    // ---- song events ----

    /** A song was stored: UPDATE to everyone, the file to the uploader's lobby, and wishes fulfilled. */
    public void songAdded(Song song, Member uploader) {
        lobbies.broadcastAll(update(song));
        uploader.markHeld(song.id());
        for (Member m : uploader.lobby().members()) {
            if (m != uploader && m.peer().wantsSongs() && m.markHeld(song.id())) {
                m.peer().sendSong(outgoing(song, false));
            }
        }
        for (Wish wish : wanted.fulfil(song.title(), song.id(), song.title())) {
            deliverWish(wish, song);
        }
        // An idle lobby with autoplay on (a library that was empty when it was created) starts playing now.
        wakeAutoplay(uploader.lobby());
    }

    /** Starts an idle lobby's autoplay, if it is on. */
    public static void wakeAutoplay(Lobby lobby) {
        try {
            lobby.party(dev.thing.server.party.Party::wake);
        } catch (RuntimeException e) {
            LOG.warn("autoplay could not start in {}: {}", lobby.name(), e.toString());
        }
    }

    private void deliverWish(Wish wish, Song song) {
        Optional<Lobby> lobby = lobbies.lobby(wish.lobby());
        if (lobby.isEmpty() || lobby.get().isClosed()) {
            LOG.info("wanted song {} arrived; lobby {} is gone, so {} will be told on their next visit",
                    song.title(), wish.lobby(), wish.username());
            return;
        }
        boolean queued = queueWish(lobby.get(), wish, song);
        Optional<Member> requester = lobby.get().member(wish.username());
        if (requester.isPresent()) {
            requester.get().send(fulfilled(song, lobby.get(), queued));
            wanted.delivered(wish.id());
        }
    }

    /** RFC 10.6: "your request <title> is now in the library[ and queued in <lobby>]". */
    private static ServerMessage.Notify fulfilled(Song song, Lobby lobby, boolean queued) {
        return new ServerMessage.Notify("your request " + Tokens.quote(song.title()) + " is now in the library"
                + (queued ? " and queued in " + lobby.name() : ""));
    }

    /** Queues a fulfilled wish; false when it could not be queued. */
    private boolean queueWish(Lobby lobby, Wish wish, Song song) {
        try {
            lobby.party((party, now, lead) -> party.enqueueFulfilledWish(partySong(song), wish.username(), now,
                    lead));
            wanted.markQueued(wish.id());
            return true;
        } catch (RuntimeException e) {
            LOG.info("could not queue wanted song {} in {}: {}", song.title(), lobby.name(), e.getMessage());
            lobby.tell("the wanted song " + Tokens.quote(song.title())
                    + " is in the library now, but could not be queued: " + e.getMessage());
            // Not marked queued: the requester's next visit tries again.
            return false;
        }
    }

    /** A song's metadata changed: everyone hears of it. */
    public void songChanged(Song song) {
        lobbies.broadcastAll(update(song));
    }

    /**
     * A song has a new title: every lobby's queue and playing song follow, everyone is told (EVENT RENAMED for
     * programs, a NOTIFY for people, then the UPDATE under the new title), and a wish for the new title is
     * fulfilled as an upload of it would be.
     */
    public void songRenamed(String oldTitle, Song song, Member by) {
        for (Lobby lobby : lobbies.lobbies()) {
            try {
                lobby.peekParty(party -> {
                    party.songRenamed(song.id(), song.title());
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.warn("renaming {} in the party of {} failed", song.title(), lobby.name(), e);
            }
        }
        lobbies.broadcastAll(new ServerMessage.RenamedEvent(oldTitle, song.title()));
        lobbies.broadcastAll(new ServerMessage.Notify(by.username() + " renamed " + Tokens.quote(oldTitle) + " to "
                + Tokens.quote(song.title())));
        lobbies.broadcastAll(update(song));
        for (Wish wish : wanted.fulfil(song.title(), song.id(), song.title())) {
            deliverWish(wish, song);
        }
    }

    /**
     * A song left the library: EVENT DELETED to everyone, out of every queue and off every lobby's speakers, and
     * the Deleted NOTIFY naming {@code by} (a member's name, or the server's operator).
     */
    public void songDeleted(Song song, String by) {
        lobbies.broadcastAll(new ServerMessage.DeletedEvent(song.title()));
        wanted.forgetSong(song.id());
        for (Lobby lobby : lobbies.lobbies()) {
            try {
                lobby.party((party, now, lead) -> party.songDeleted(song.id(), now, lead));
            } catch (RuntimeException e) {
                LOG.warn("removing {} from the party of {} failed", song.title(), lobby.name(), e);
            }
        }
        lobbies.broadcastAll(new ServerMessage.Notify("song " + Tokens.quote(song.title()) + " was deleted from the library by "
                + by));
    }

    /**
     * A rescan of the folder changed the library: a song found is announced as an upload is (UPDATE to everyone,
     * wishes for it fulfilled, idle autoplay woken; no lobby is its uploader's, so none is pushed the file), and a
     * song whose file is gone is deleted as by DELETE, in the operator's name.
     */
    public void songsRescanned(dev.thing.server.library.RescanReport report, String by) {
        for (Song gone : report.removed()) {
            songDeleted(gone, by);
        }
        for (Song song : report.added()) {
            lobbies.broadcastAll(update(song));
            for (Wish wish : wanted.fulfil(song.title(), song.id(), song.title())) {
                deliverWish(wish, song);
            }
        }
        if (!report.added().isEmpty()) {
            for (Lobby lobby : lobbies.lobbies()) {
                wakeAutoplay(lobby);
            }
        }
    }

    // ---- the next song, ahead of its turn ----

    /** Where pushed songs start: opening a file is disk work, and the lobby asks under its lock. */
    private volatile java.util.concurrent.Executor pushes = Runnable::run;

    public void pushExecutor(java.util.concurrent.Executor executor) {
        this.pushes = executor;
    }

    @Override
    public void pushSong(long songId, java.util.List<Member> to) {
        pushes.execute(() -> {
            Optional<Song> song;
            try {
                song = library.findById(songId);
            } catch (LibraryException e) {
                LOG.warn("looking up the next song #{} to send ahead failed: {}", songId, e.getMessage());
                return;
            }
            song.ifPresent(s -> to.forEach(m -> m.peer().sendSong(outgoing(s, false))));
        });
    }

    // ---- arrivals ----

    /** Someone was accepted: tell them of wanted songs that arrived while they were away. */
    @Override
    public void memberAccepted(Member member) {
        for (Wish wish : wanted.pendingFor(member.lobby().name(), member.username())) {
            Optional<Song> song;
            try {
                song = wish.fulfilledSongId().isPresent()
                        ? library.findById(wish.fulfilledSongId().getAsLong()) : Optional.empty();
            } catch (LibraryException e) {
                LOG.warn("looking up the wanted song {} for {} failed: {}", wish.title(), member, e.getMessage());
                continue;
            }
            if (song.isEmpty()) {
                wanted.delivered(wish.id());
                continue;
            }
            boolean queued = wish.queued() || queueWish(member.lobby(), wish, song.get());
            member.send(fulfilled(song.get(), member.lobby(), queued));
            wanted.delivered(wish.id());
        }
    }
}
