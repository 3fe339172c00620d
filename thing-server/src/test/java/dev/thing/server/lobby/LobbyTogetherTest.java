package dev.thing.server.lobby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.ThingException;
import dev.thing.server.party.PartySettings;
import dev.thing.server.party.PartySong;
import dev.thing.server.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Chat, skip votes as members come and go, and the next song sent ahead (issue #16), at the lobby. */
class LobbyTogetherTest {
    static final long T0 = 1_700_000_000_000_000L;

    ManualClock clock = new ManualClock(T0);
    StubCatalog catalog = new StubCatalog()
            .add(new PartySong(1, "Song A", 10_000))
            .add(new PartySong(2, "Song B", 20_000))
            .add(new PartySong(3, "Song C", 20_000));
    LobbyRegistry registry;
    RecordingPeer alice = new RecordingPeer("alice");
    RecordingPeer bob = new RecordingPeer("bob").events(true);
    Member admin;
    Member bobM;
    Lobby lobby;
    final List<String> pushed = new ArrayList<>();

    @BeforeEach
    void setUp() {
        LobbySettings settings = new LobbySettings(10, 10, Duration.ofMinutes(5), PartySettings.DEFAULTS, 250, 3000);
        registry = new LobbyRegistry(settings, catalog, clock, clock, new SplittableRandom(1));
        registry.listener(new LobbyListener() {
            @Override
            public void memberAccepted(Member member) {
            }

            @Override
            public void pushSong(long songId, List<Member> to) {
                to.forEach(m -> pushed.add(m.username() + ":" + songId));
            }
        });
        admin = ((JoinResult.Created) registry.join("party", "alice", alice)).member();
        registry.join("party", "bob", bob);
        bobM = registry.accept(admin, "bob");
        lobby = admin.lobby();
        alice.clear();
        bob.clear();
    }

    @Test
    void chatReachesPeopleAsANoticeAndProgramsAsAnEvent() {
        lobby.say(admin, "hello \"world\"");

        assertThat(alice.lines()).containsExactly("NOTIFY <alice> hello \"world\"");
        assertThat(bob.sent()).isEmpty();
        assertThat(bob.events()).containsExactly(new ServerMessage.SaidEvent("alice", "hello \"world\""));
    }

    @Test
    void aJoinerIsShownTheLastFiftyLines() {
        for (int i = 1; i <= 60; i++) {
            lobby.say(i % 2 == 0 ? admin : bobM, "line " + i);
            clock.advanceMillis(1_000);
        }
        RecordingPeer carol = new RecordingPeer("carol");
        registry.join("party", "carol", carol);
        registry.accept(admin, "carol");

        List<String> lines = carol.lines();
        int header = lines.indexOf("NOTIFY the last 50 chat lines in party:");
        assertThat(header).isPositive();
        assertThat(lines.subList(header + 1, header + 51)).startsWith("NOTIFY <bob> line 11")
                .endsWith("NOTIFY <alice> line 60").doesNotContain("NOTIFY <alice> line 10");
        assertThat(lobby.chatHistory()).hasSize(Lobby.CHAT_HISTORY);
    }

    @Test
    void aJoinerOfAQuietLobbyIsToldNothingAboutChat() {
        RecordingPeer carol = new RecordingPeer("carol");
        registry.join("party", "carol", carol);
        registry.accept(admin, "carol");
        assertThat(carol.lines()).noneMatch(l -> l.contains("chat line"));
    }

    @Test
    void chatPastTheBurstIsRefusedWithLimitUntilTimePasses() {
        for (int i = 0; i < 5; i++) {
            lobby.say(bobM, "quick " + i);
        }
        assertThatThrownBy(() -> lobby.say(bobM, "one too many"))
                .isInstanceOfSatisfying(ThingException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT);
                    assertThat(e.getMessage()).isEqualTo("you are chatting too fast (5 lines at once, then one "
                            + "every 1 s); wait 1 s and say it again");
                });
        assertThat(lobby.chatHistory()).hasSize(5);
        // Another member's allowance is their own.
        lobby.say(admin, "me too");
        clock.advanceMillis(1_000);
        lobby.say(bobM, "again");
        assertThat(lobby.chatHistory()).extracting(ServerMessage.SaidEvent::text).endsWith("me too", "again");
    }

    @Test
    void aMemberWhoLeavesTakesTheirVoteAndTheRestMaySkip() {
        RecordingPeer carol = new RecordingPeer("carol");
        registry.join("party", "carol", carol);
        Member carolM = registry.accept(admin, "carol");
        lobby.party((p, now, lead) -> p.play("Song A", 0, now, lead));
        lobby.party((p, now, lead) -> p.voteSkip("alice", lobby.memberCount(), now, lead)); // 1 of 2 needed
        lobby.party((p, now, lead) -> p.voteSkip("carol", lobby.memberCount(), now, lead)); // 2 of 2: skipped
        assertThat(alice.lines()).contains("NOTIFY the lobby voted to skip \"Song A\" (2 of 3 members)", "STOP");

        lobby.party((p, now, lead) -> p.play("Song B", 0, now, lead));
        lobby.party((p, now, lead) -> p.voteSkip("alice", lobby.memberCount(), now, lead));
        lobby.party((p, now, lead) -> p.voteSkip("carol", lobby.memberCount(), now, lead));
        alice.clear();
        // Song B was skipped the same way. For Song C carol votes, then bob and carol leave:
        lobby.party((p, now, lead) -> p.play("Song C", 0, now, lead));
        lobby.party((p, now, lead) -> p.voteSkip("carol", lobby.memberCount(), now, lead));
        alice.clear();
        registry.leave(bobM);
        registry.leave(carolM); // alice alone: her 0 votes of 1 do not skip

        assertThat(alice.lines()).doesNotContain("STOP");
        int votesLeft = lobby.peekParty(p -> p.skipVotes());
        assertThat(votesLeft).isZero();
        lobby.party((p, now, lead) -> p.voteSkip("alice", lobby.memberCount(), now, lead));
        assertThat(alice.lines()).contains("NOTIFY the lobby voted to skip \"Song C\" (1 of 1 member)");
    }

    @Test
    void theNextQueuedSongGoesAheadOnceToEachSongsMember() {
        lobby.party((p, now, lead) -> p.request("Song A", "bob", now, lead)); // plays at once; queue empty
        assertThat(pushed).isEmpty();
        lobby.party((p, now, lead) -> p.request("Song B", "bob", now, lead)); // next: both have it sent
        assertThat(pushed).containsExactlyInAnyOrder("alice:2", "bob:2");
        lobby.party((p, now, lead) -> p.request("Song C", "bob", now, lead)); // still B next: nothing more
        lobby.party((p, now, lead) -> p.seek(1_000, now, lead));
        assertThat(pushed).hasSize(2);
        lobby.party((p, now, lead) -> p.skip(now, lead)); // B plays, C is next
        assertThat(pushed).containsExactlyInAnyOrder("alice:2", "bob:2", "alice:3", "bob:3");
    }

    @Test
    void noSongGoesAheadToAMemberWithoutSongsOrOneThatHasIt() {
        alice.songs(false);
        bobM.markHeld(2); // bob uploaded or fetched it on this connection
        lobby.party((p, now, lead) -> p.request("Song A", "bob", now, lead));
        lobby.party((p, now, lead) -> p.request("Song B", "bob", now, lead));
        assertThat(pushed).isEmpty();
    }

    @Test
    void aJoinerIsSentTheNextSongToo() {
        lobby.party((p, now, lead) -> p.request("Song A", "bob", now, lead));
        lobby.party((p, now, lead) -> p.request("Song B", "bob", now, lead));
        pushed.clear();
        RecordingPeer carol = new RecordingPeer("carol");
        registry.join("party", "carol", carol);
        registry.accept(admin, "carol");
        // Song A plays: carol fetches it first; the next song follows behind that.
        assertThat(pushed).isEmpty();
        clock.advanceMillis(Lobby.JOINER_PUSH_DELAY_MS);
        assertThat(pushed).containsExactly("carol:2");
    }

    @Test
    void aJoinerOfAQuietLobbyIsSentTheNextSongAtOnce() {
        lobby.party((p, now, lead) -> p.request("Song A", "bob", now, lead));
        lobby.party((p, now, lead) -> p.request("Song B", "bob", now, lead));
        lobby.party((p, now, lead) -> p.stop());
        pushed.clear();
        RecordingPeer carol = new RecordingPeer("carol");
        registry.join("party", "carol", carol);
        registry.accept(admin, "carol");
        assertThat(pushed).containsExactly("carol:2");
    }
}
