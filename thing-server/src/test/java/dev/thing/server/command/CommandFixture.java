package dev.thing.server.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.MessageWriter;
import dev.thing.server.Jukebox;
import dev.thing.server.ServerConfig;
import dev.thing.server.Services;
import dev.thing.server.dispatch.ErrorReplies;
import dev.thing.server.library.Library;
import dev.thing.server.library.LibraryException;
import dev.thing.server.library.Song;
import dev.thing.server.lobby.JoinResult;
import dev.thing.server.lobby.LobbyRegistry;
import dev.thing.server.lobby.LobbySettings;
import dev.thing.server.lobby.Member;
import dev.thing.server.lobby.RecordingPeer;
import dev.thing.server.party.PartySettings;
import dev.thing.server.party.WantedList;
import dev.thing.server.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real lobbies, wanted list (SQLite in a temp folder), Jukebox and clock; a mocked library holding a few songs.
 * Lobby "one": alice (ADMIN), bob (USER), and carol waiting. Lobby "two": zoe (ADMIN).
 */
abstract class CommandFixture {
    static final long T0 = 1_700_000_000_000_000L;

    @TempDir
    Path dir;

    ManualClock clock = new ManualClock(T0);
    Library library = mock(Library.class);
    Map<Long, Song> songs = new LinkedHashMap<>();
    WantedList wanted;
    Jukebox jukebox;
    LobbyRegistry registry;
    Services services;
    CommandTable commands;

    RecordingPeer alicePeer = new RecordingPeer("alice");
    RecordingPeer bobPeer = new RecordingPeer("bob");
    RecordingPeer carolPeer = new RecordingPeer("carol");
    RecordingPeer zoePeer = new RecordingPeer("zoe");
    Member alice;
    Member bob;
    Member carol;
    Member zoe;

    Song songA;
    Song songB;

    @BeforeEach
    void wire() throws Exception {
        songA = addSong(new Song(1, "Song A", "Artist A", "rock", "first", 10_000, 5_000, "aa".repeat(32),
                dir.resolve("a.mp3")));
        songB = addSong(new Song(2, "Song B", "Artist B", "jazz", "", 20_000, 7_000, "bb".repeat(32),
                dir.resolve("b.mp3")));
        when(library.resolve(anyString())).thenAnswer(inv -> lookup(inv.getArgument(0))
                .orElseThrow(() -> new LibraryException(LibraryException.Reason.NO_SUCH_SONG,
                        "no song " + inv.getArgument(0))));
        when(library.findById(anyLong())).thenAnswer(inv -> Optional.ofNullable(songs.get((Long) inv.getArgument(0))));
        when(library.list()).thenAnswer(inv -> new ArrayList<>(songs.values()));
        when(library.random(org.mockito.ArgumentMatchers.any())).thenReturn(Optional.empty());

        wanted = WantedList.open(dir.resolve("wanted.db"), 1000);
        jukebox = new Jukebox(library, wanted);
        LobbySettings settings = new LobbySettings(1000, 100, Duration.ofMinutes(5), PartySettings.DEFAULTS, 250,
                3000);
        registry = new LobbyRegistry(settings, jukebox, clock, clock, new SplittableRandom(5));
        jukebox.lobbies(registry);
        registry.listener(jukebox);
        services = new Services(ServerConfig.defaults(), registry, library, wanted, clock, clock);
        commands = new CommandTable(jukebox);

        alice = ((JoinResult.Created) registry.join("one", "alice", alicePeer)).member();
        registry.join("one", "bob", bobPeer);
        bob = registry.accept(alice, "bob");
        carol = ((JoinResult.Pending) registry.join("one", "carol", carolPeer)).member();
        zoe = ((JoinResult.Created) registry.join("two", "zoe", zoePeer)).member();
        // alice uploaded the fixture's songs on her connection (a guest's upload): she may change them.
        services.owners().uploaded(songA.id(), "alice", alice.identity());
        services.owners().uploaded(songB.id(), "alice", alice.identity());
        clearPeers();
    }

    @AfterEach
    void closeWanted() {
        wanted.close();
    }

    Song addSong(Song s) {
        songs.put(s.id(), s);
        return s;
    }

    Optional<Song> lookup(String ref) {
        if (ref.matches("#[0-9]+")) {
            return Optional.ofNullable(songs.get(Long.parseLong(ref.substring(1))));
        }
        return songs.values().stream()
                .filter(s -> s.title().toLowerCase(Locale.ROOT).equals(ref.toLowerCase(Locale.ROOT))).findFirst();
    }

    void clearPeers() {
        for (RecordingPeer p : List.of(alicePeer, bobPeer, carolPeer, zoePeer)) {
            p.clear();
        }
    }

    /** What handlers asked of their session: capabilities turned on, PINGs answered, uploads begun, a QUIT. */
    final class RecordingSession implements SessionControl {
        final java.util.EnumSet<dev.thing.protocol.Capability> capabilities =
                java.util.EnumSet.noneOf(dev.thing.protocol.Capability.class);
        final List<String> pingsAnswered = new ArrayList<>();
        final List<dev.thing.server.library.Upload> uploads = new ArrayList<>();
        boolean quitting;

        @Override
        public java.util.Set<dev.thing.protocol.Capability> capabilities() {
            return capabilities;
        }

        @Override
        public void enable(java.util.Collection<dev.thing.protocol.Capability> names) {
            capabilities.addAll(names);
        }

        @Override
        public void pingAnswered(String token) {
            pingsAnswered.add(token);
        }

        @Override
        public void receive(dev.thing.server.library.Upload upload) {
            uploads.add(upload);
        }

        @Override
        public void quitting() {
            quitting = true;
        }
    }

    RecordingSession session = new RecordingSession();

    CommandContext ctx(Member member) {
        return new CommandContext(member, services, member == null ? null : member.peer(), session);
    }

    /** Runs a command as the session core would after its access check: the handler from the table. */
    Reply run(Member member, ClientMessage message) throws Exception {
        dev.thing.protocol.Command<?> command = dev.thing.protocol.Commands.of(message.getClass()).orElseThrow();
        if (member != null) {
            assertThat(command.access().allows(member.role()))
                    .as("%s may use %s", member.role(), command.verb()).isTrue();
        }
        return commands.run(command, message, ctx(member));
    }

    /** The reply's lines as the client reads them: data lines, then the final line. */
    static List<String> wire(Reply reply) {
        List<String> out = new ArrayList<>();
        reply.lines().forEach(l -> out.add(MessageWriter.line(l)));
        if (reply.last() != null) {
            out.add(MessageWriter.line(reply.last()));
        }
        return out;
    }

    /** The ERROR line the client would get for what the command threw. */
    static String errorLine(ThrowableAssert.ThrowingCallable call) {
        try {
            call.call();
        } catch (Throwable t) {
            return MessageWriter.line(ErrorReplies.of(t));
        }
        throw new AssertionError("expected the command to fail");
    }

    static ErrorCode errorCode(ThrowableAssert.ThrowingCallable call) {
        try {
            call.call();
        } catch (Throwable t) {
            return ErrorReplies.of(t).code();
        }
        throw new AssertionError("expected the command to fail");
    }
}
