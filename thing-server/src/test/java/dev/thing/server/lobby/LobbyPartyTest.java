package dev.thing.server.lobby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.ThingException;
import dev.thing.server.party.PartyException;
import dev.thing.server.party.PartySettings;
import dev.thing.server.party.PartySong;
import dev.thing.server.time.ManualClock;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LobbyPartyTest {
    static final long T0 = 1_700_000_000_000_000L;

    ManualClock clock = new ManualClock(T0);
    StubCatalog catalog = new StubCatalog()
            .add(new PartySong(1, "Song A", 10_000))
            .add(new PartySong(2, "Song B", 20_000));
    LobbyRegistry registry;
    RecordingPeer alice = new RecordingPeer("alice");
    RecordingPeer bob = new RecordingPeer("bob");
    RecordingPeer carol = new RecordingPeer("carol");
    Member admin;
    Member bobM;
    Lobby lobby;

    @BeforeEach
    void setUp() {
        LobbySettings settings = new LobbySettings(10, 10, Duration.ofMinutes(5), PartySettings.DEFAULTS, 250, 3000);
        registry = new LobbyRegistry(settings, catalog, clock, clock, new SplittableRandom(1));
        admin = ((JoinResult.Created) registry.join("party", "alice", alice)).member();
        registry.join("party", "bob", bob);
        bobM = registry.accept(admin, "bob");
        registry.join("party", "carol", carol); // stays pending
        lobby = admin.lobby();
        alice.clear();
        bob.clear();
        carol.clear();
    }

    @Test
    void playbackEventsGoToEveryMemberButNotToPendingJoiners() {
        lobby.party((p, now, lead) -> p.play("Song A", 0, now, lead));

        ServerMessage play = new ServerMessage.PlayEvent("Song A", T0 + 250_000, 0);
        assertThat(alice.sent()).containsExactly(play);
        assertThat(bob.sent()).containsExactly(play);
        assertThat(carol.sent()).isEmpty();
    }

    @Test
    void pauseAndStopAreBroadcastAsWireEvents() {
        lobby.party((p, now, lead) -> p.play("Song A", 2_000, now, lead));
        clock.advanceMillis(1_250);
        lobby.party((p, now, lead) -> p.pause(now));
        lobby.party((p, now, lead) -> p.stop());

        assertThat(bob.lines()).containsExactly("PLAY \"Song A\" " + (T0 + 250_000) + " 2000",
                "PAUSE \"Song A\" 3000", "STOP");
    }

    @Test
    void partyNoticesFollowTheEvents() {
        lobby.party((p, now, lead) -> p.request("Song A", "bob", now, lead));

        assertThat(alice.lines()).containsExactly("PLAY \"Song A\" " + (T0 + 250_000) + " 0",
                "NOTIFY bob queued \"Song A\"");
    }

    @Test
    void aFailedPartyCommandSendsNothing() {
        assertThatThrownBy(() -> lobby.party((p, now, lead) -> p.pause(now)))
                .isInstanceOf(PartyException.class);

        assertThat(alice.sent()).isEmpty();
        assertThat(bob.sent()).isEmpty();
    }

    @Test
    void whenASongEndsTheNextQueuedSongStartsOneLeadLater() {
        lobby.party((p, now, lead) -> p.request("Song A", "alice", now, lead));
        lobby.party((p, now, lead) -> p.request("Song B", "bob", now, lead));
        long startA = T0 + 250_000;
        long endA = startA + 10_000_000;
        bob.clear();

        clock.advanceMillis(250 + 10_000 - 1);
        assertThat(bob.sent()).as("not before the song's end").isEmpty();

        clock.advanceMillis(1);
        assertThat(bob.sent()).containsExactly(new ServerMessage.PlayEvent("Song B", endA + 250_000, 0));
        assertThat(lobby.<java.util.List<dev.thing.server.party.QueueEntry>>peekParty(p -> p.queue())).isEmpty();
    }

    @Test
    void whenTheLastSongEndsWithAutoplayOffTheLobbyHearsStop() {
        lobby.party((p, now, lead) -> p.request("Song A", "alice", now, lead));
        bob.clear();

        clock.advanceMillis(250 + 10_000);

        assertThat(bob.lines()).containsExactly("STOP");
        clock.advanceMillis(60_000);
        assertThat(bob.lines()).as("nothing more happens once stopped").containsExactly("STOP");
    }

    @Test
    void aSongPausedBeforeItsEndDoesNotAdvance() {
        lobby.party((p, now, lead) -> p.request("Song A", "alice", now, lead));
        lobby.party((p, now, lead) -> p.request("Song B", "alice", now, lead));
        clock.advanceMillis(5_000);
        lobby.party((p, now, lead) -> p.pause(now));
        bob.clear();

        clock.advanceMillis(60_000);

        assertThat(bob.sent()).isEmpty();
        assertThat(lobby.<java.util.List<dev.thing.server.party.QueueEntry>>peekParty(p -> p.queue())).hasSize(1);
    }

    @Test
    void aSeekMovesTheSongEnd() {
        lobby.party((p, now, lead) -> p.request("Song A", "alice", now, lead));
        lobby.party((p, now, lead) -> p.request("Song B", "alice", now, lead));
        clock.advanceMillis(1_000);
        // at T0+1s, Song A is at 9000 ms at T0+1.25s: it now ends at T0+2.25s instead of T0+10.25s
        lobby.party((p, now, lead) -> p.seek(9_000, now, lead));
        bob.clear();

        clock.advanceMillis(1_250);

        assertThat(bob.sent()).containsExactly(new ServerMessage.PlayEvent("Song B", T0 + 2_250_000 + 250_000, 0));
    }

    @Test
    void theLeadIsTheFloorWhileNoRttIsKnown() {
        assertThat(lobby.leadMicros()).isEqualTo(250_000);
    }

    @Test
    void theLeadIsTwiceTheLargestSmoothedRttPlus100ms() {
        admin.rtt().sample(50_000);
        bobM.rtt().sample(400_000);

        assertThat(lobby.leadMicros()).isEqualTo(2 * 400_000 + 100_000);

        lobby.party((p, now, lead) -> p.play("Song A", 0, now, lead));
        assertThat(bob.sent()).containsExactly(new ServerMessage.PlayEvent("Song A", T0 + 900_000, 0));
    }

    @Test
    void theLeadIsCappedAt3s() {
        bobM.rtt().sample(5_000_000);

        assertThat(lobby.leadMicros()).isEqualTo(3_000_000);
    }

    @Test
    void pendingJoinersRttsDoNotCount() {
        Member carolM = lobby.pendingJoiners().get(0);
        carolM.rtt().sample(2_000_000);

        assertThat(lobby.leadMicros()).isEqualTo(250_000);
    }

    @Test
    void aClosedLobbyRefusesPartyCommandsAndItsSongEndTimerIsCancelled() {
        lobby.party((p, now, lead) -> p.play("Song A", 0, now, lead));
        registry.leave(bobM);
        alice.clear();
        registry.leave(admin);

        assertThatThrownBy(() -> lobby.party((p, now, lead) -> p.stop()))
                .isInstanceOf(ThingException.class)
                .satisfies(e -> assertThat(((ThingException) e).code()).isEqualTo(ErrorCode.NOT_ALLOWED));
        clock.advanceMillis(60_000);
        assertThat(alice.sent()).isEmpty();
    }

    @Test
    void tellModeratorsReachesOnlyTheAdminAndModerators() {
        lobby.tellModerators("psst");

        assertThat(alice.lines()).containsExactly("NOTIFY psst");
        assertThat(bob.lines()).isEmpty();
        assertThat(carol.lines()).isEmpty();
    }
}
