package dev.thing.server.lobby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.ServerMessage.EntryEvent;
import dev.thing.protocol.ServerMessage.QueueEvent;
import dev.thing.server.party.PartyException;
import dev.thing.server.party.PartySettings;
import dev.thing.server.party.PartySong;
import dev.thing.server.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The queue pushed to programs (RFC 5.8, 6.16): each change is sent as EVENT ENTRY lines from the first position
 * that changed, then EVENT QUEUE with the length, so a program follows the queue without polling QUEUE.
 */
class LobbyQueueEventsTest {
    static final long T0 = 1_700_000_000_000_000L;

    ManualClock clock = new ManualClock(T0);
    StubCatalog catalog = new StubCatalog()
            .add(new PartySong(1, "Playing", 600_000))
            .add(new PartySong(2, "Song B", 20_000))
            .add(new PartySong(3, "Song C", 20_000))
            .add(new PartySong(4, "Song D", 20_000));
    LobbyRegistry registry;
    RecordingPeer alice = new RecordingPeer("alice").events(true);
    RecordingPeer bob = new RecordingPeer("bob").events(true);
    RecordingPeer person = new RecordingPeer("person");
    Member admin;
    Lobby lobby;

    @BeforeEach
    void setUp() {
        LobbySettings settings = new LobbySettings(10, 10, Duration.ofMinutes(5), PartySettings.DEFAULTS, 250, 3000);
        registry = new LobbyRegistry(settings, catalog, clock, clock, new SplittableRandom(1));
        admin = ((JoinResult.Created) registry.join("party", "alice", alice)).member();
        registry.join("party", "bob", bob);
        registry.accept(admin, "bob");
        registry.join("party", "person", person);
        registry.accept(admin, "person");
        lobby = admin.lobby();
        request("Playing", "alice"); // starts at once: the queue stays empty
        alice.clear();
        bob.clear();
        person.clear();
    }

    void request(String title, String who) {
        lobby.party((p, now, lead) -> p.request(title, who, now, lead));
    }

    /** The queue's event lines {@code peer} was sent. */
    static List<ServerMessage.Event> queueLines(RecordingPeer peer) {
        return peer.events().stream().filter(e -> e instanceof EntryEvent || e instanceof QueueEvent).toList();
    }

    @Test
    void aRequestAtTheEndIsOneEntryAndTheLengthForEveryProgramButNotForAPerson() {
        request("Song B", "bob");
        assertThat(queueLines(bob)).containsExactly(new EntryEvent(1, 2, "Song B", "bob"), new QueueEvent(1));
        assertThat(queueLines(alice)).isEqualTo(queueLines(bob));
        assertThat(person.events()).isEmpty();
        assertThat(person.lines()).containsExactly("NOTIFY bob queued \"Song B\"");

        bob.clear();
        request("Song C", "bob");
        assertThat(queueLines(bob)).containsExactly(new EntryEvent(2, 3, "Song C", "bob"), new QueueEvent(2));
    }

    @Test
    void aFairInsertResendsThePositionsFromItsPlaceOn() {
        request("Song B", "alice"); // alice's song plays, so her next one waits a round: B at 1
        request("Song C", "alice");
        bob.clear();
        request("Song D", "bob"); // bob's first goes before alice's second
        assertThat(queueLines(bob)).containsExactly(new EntryEvent(1, 4, "Song D", "bob"),
                new EntryEvent(2, 2, "Song B", "alice"), new EntryEvent(3, 3, "Song C", "alice"), new QueueEvent(3));
    }

    @Test
    void unqueueMoveAndTheHeadStartingEachSendWhatChanged() {
        request("Song B", "bob");
        request("Song C", "bob");
        request("Song D", "bob");
        bob.clear();

        lobby.party((p, now, lead) -> p.move(3, 1, "alice"));
        assertThat(queueLines(bob)).containsExactly(new EntryEvent(1, 4, "Song D", "bob"),
                new EntryEvent(2, 2, "Song B", "bob"), new EntryEvent(3, 3, "Song C", "bob"), new QueueEvent(3));
        bob.clear();

        lobby.party((p, now, lead) -> p.unqueue(3, "bob", false));
        assertThat(queueLines(bob)).as("the last one off: only the length").containsExactly(new QueueEvent(2));
        bob.clear();

        lobby.party((p, now, lead) -> p.skip(now, lead)); // Song D leaves the queue to play
        assertThat(queueLines(bob)).containsExactly(new EntryEvent(1, 2, "Song B", "bob"), new QueueEvent(1));
    }

    @Test
    void aDeletedSongAndARenameReachTheQueueFollowers() {
        request("Song B", "bob");
        request("Song C", "bob");
        bob.clear();

        lobby.peekParty(p -> {
            p.songRenamed(3, "Song C2");
            return null;
        });
        assertThat(queueLines(bob)).containsExactly(new EntryEvent(2, 3, "Song C2", "bob"), new QueueEvent(2));
        bob.clear();

        lobby.party((p, now, lead) -> p.songDeleted(2, now, lead));
        assertThat(queueLines(bob)).containsExactly(new EntryEvent(1, 3, "Song C2", "bob"), new QueueEvent(1));
    }

    @Test
    void nothingIsSentWhenTheQueueDidNotChange() {
        request("Song B", "bob");
        bob.clear();
        lobby.party((p, now, lead) -> p.pause(now));
        assertThatThrownBy(() -> request("Song B", "alice")).isInstanceOf(PartyException.class); // already queued
        lobby.peekParty(p -> p.queue());
        assertThat(queueLines(bob)).isEmpty();
    }

    @Test
    void aNewMemberIsSentTheWholeQueueAfterTheBoardThenEachChange() {
        request("Song B", "bob");
        request("Song C", "alice");
        RecordingPeer carol = new RecordingPeer("carol").events(true);
        registry.join("party", "carol", carol);
        registry.accept(admin, "carol");
        assertThat(queueLines(carol)).containsExactly(new EntryEvent(1, 2, "Song B", "bob"),
                new EntryEvent(2, 3, "Song C", "alice"), new QueueEvent(2));
        // After the board, as the RFC orders the welcome.
        List<ServerMessage.Event> events = carol.events();
        int lastBoard = 0;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof ServerMessage.BoardEvent) {
                lastBoard = i;
            }
        }
        assertThat(events.indexOf(new EntryEvent(1, 2, "Song B", "bob"))).isGreaterThan(lastBoard);

        RecordingPeer dave = new RecordingPeer("dave").events(true);
        registry.join("party", "dave", dave);
        registry.accept(admin, "dave");
        lobby.party((p, now, lead) -> p.unqueue(1, "alice", true));
        lobby.party((p, now, lead) -> p.unqueue(1, "alice", true));
        assertThat(queueLines(dave)).as("an empty queue is said too, and then each change")
                .containsExactly(new EntryEvent(1, 2, "Song B", "bob"), new EntryEvent(2, 3, "Song C", "alice"),
                        new QueueEvent(2), new EntryEvent(1, 3, "Song C", "alice"), new QueueEvent(1),
                        new QueueEvent(0));
    }

    @Test
    void anEmptyQueueIsSentToANewMemberAsLengthZero() {
        RecordingPeer carol = new RecordingPeer("carol").events(true);
        registry.join("party", "carol", carol);
        registry.accept(admin, "carol");
        assertThat(queueLines(carol)).containsExactly(new QueueEvent(0));
    }
}
