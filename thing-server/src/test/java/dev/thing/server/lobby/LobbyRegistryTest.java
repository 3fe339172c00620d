package dev.thing.server.lobby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;
import dev.thing.protocol.Role;
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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LobbyRegistryTest {
    static final long T0 = 1_700_000_000_000_000L;
    static final Duration APPROVAL = Duration.ofMinutes(5);

    ManualClock clock;
    StubCatalog catalog;
    LobbyRegistry registry;
    List<Member> arrivedViaListener;

    @BeforeEach
    void setUp() {
        clock = new ManualClock(T0);
        catalog = new StubCatalog().add(new PartySong(1, "Song A", 10_000)).add(new PartySong(2, "Song B", 20_000));
        registry = registry(1000, 100);
    }

    LobbyRegistry registry(int maxLobbies, int maxPending) {
        LobbySettings settings = new LobbySettings(maxLobbies, maxPending, APPROVAL, PartySettings.DEFAULTS, 250, 3000);
        LobbyRegistry r = new LobbyRegistry(settings, catalog, clock, clock, new SplittableRandom(7));
        arrivedViaListener = new ArrayList<>();
        r.listener(arrivedViaListener::add);
        return r;
    }

    Member create(String lobby, String user, RecordingPeer peer) {
        JoinResult r = registry.join(lobby, user, peer);
        assertThat(r).isInstanceOf(JoinResult.Created.class);
        return ((JoinResult.Created) r).member();
    }

    Member pending(String lobby, String user, RecordingPeer peer) {
        JoinResult r = registry.join(lobby, user, peer);
        assertThat(r).isInstanceOf(JoinResult.Pending.class);
        return ((JoinResult.Pending) r).member();
    }

    Member joined(Member admin, String user, RecordingPeer peer) {
        pending(admin.lobby().name(), user, peer);
        return registry.accept(admin, user);
    }

    static ServerMessage notify(String text) {
        return new ServerMessage.Notify(text);
    }

    static ErrorCode codeOf(Throwable t) {
        return ((ThingException) t).code();
    }

    // ---- joining ----

    @Test
    void theFirstJoinerCreatesTheLobbyAndIsItsAdmin() {
        RecordingPeer alice = new RecordingPeer("alice");
        Member admin = create("party", "alice", alice);

        assertThat(admin.role()).isEqualTo(Role.ADMIN);
        assertThat(admin.username()).isEqualTo("alice");
        assertThat(admin.lobby().name()).isEqualTo("party");
        assertThat(registry.lobbies()).extracting(Lobby::name).containsExactly("party");
        assertThat(admin.lobby().members()).containsExactly(admin);
    }

    @Test
    void aLobbyBroadcastIsEncodedOnceAndTheSameBytesGoToEveryMember() {
        RecordingPeer alice = new RecordingPeer("alice");
        RecordingPeer bob = new RecordingPeer("bob");
        RecordingPeer carol = new RecordingPeer("carol");
        Member admin = create("party", "alice", alice);
        joined(admin, "bob", bob);
        joined(admin, "carol", carol);
        alice.clear();
        bob.clear();
        carol.clear();

        admin.lobby().tell("the cake is here");

        dev.thing.protocol.codec.EncodedLine line = alice.encoded().get(0);
        assertThat(line.line()).isEqualTo("NOTIFY the cake is here");
        assertThat(bob.encoded()).singleElement().isSameAs(line);
        assertThat(carol.encoded()).singleElement().isSameAs(line);
        assertThat(bob.lines()).containsExactly("NOTIFY the cake is here");
    }

    @Test
    void aServerWideBroadcastIsEncodedOnceForEveryLobby() {
        RecordingPeer alice = new RecordingPeer("alice");
        RecordingPeer bob = new RecordingPeer("bob");
        RecordingPeer dave = new RecordingPeer("dave");
        Member admin = create("party", "alice", alice);
        joined(admin, "bob", bob);
        create("other", "dave", dave);

        registry.broadcastAll(new ServerMessage.Update("Song A", "Artist", "rock", ""));

        dev.thing.protocol.codec.EncodedLine line = alice.encoded().get(alice.encoded().size() - 1);
        assertThat(line.line()).isEqualTo("UPDATE \"Song A\" Artist rock \"\"");
        assertThat(bob.encoded()).last().isSameAs(line);
        assertThat(dave.encoded()).last().isSameAs(line);
    }

    @Test
    void aSecondJoinerWaitsAndTheAdminIsAskedToAcceptOrReject() {
        RecordingPeer alice = new RecordingPeer("alice");
        RecordingPeer bob = new RecordingPeer("bob");
        Member admin = create("party", "alice", alice);

        Member joiner = pending("party", "bob", bob);

        assertThat(joiner.role()).isEqualTo(Role.PENDING);
        assertThat(joiner.isPending()).isTrue();
        assertThat(bob.lines()).containsExactly("NOTIFY waiting for approval to join party");
        assertThat(alice.lines()).containsExactly("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        assertThat(admin.lobby().pendingJoiners()).containsExactly(joiner);
        assertThat(admin.lobby().members()).containsExactly(admin);
    }

    @Test
    void moderatorsAreAskedTooButPlainUsersAreNot() {
        RecordingPeer alice = new RecordingPeer("alice");
        RecordingPeer bob = new RecordingPeer("bob");
        RecordingPeer carol = new RecordingPeer("carol");
        Member admin = create("party", "alice", alice);
        joined(admin, "bob", bob);
        joined(admin, "carol", carol);
        registry.promote(admin, "bob");
        alice.clear();
        bob.clear();
        carol.clear();

        pending("party", "dave", new RecordingPeer("dave"));

        assertThat(alice.lines()).containsExactly("NOTIFY dave asks to join party: ACCEPT dave or REJECT dave");
        assertThat(bob.lines()).containsExactly("NOTIFY dave asks to join party: ACCEPT dave or REJECT dave");
        assertThat(carol.lines()).isEmpty();
    }

    @Test
    void lobbyNamesAreCaseInsensitiveAndKeepTheirFirstSpelling() {
        Member admin = create("Party", "alice", new RecordingPeer("alice"));

        Member joiner = pending("PARTY", "bob", new RecordingPeer("bob"));

        assertThat(joiner.lobby()).isSameAs(admin.lobby());
        assertThat(registry.lobbies()).hasSize(1);
        assertThat(registry.lobby("party")).containsSame(admin.lobby());
        assertThat(admin.lobby().name()).isEqualTo("Party");
    }

    @Test
    void aNameUsedByAMemberIsTakenWhateverItsCase() {
        create("party", "alice", new RecordingPeer("alice"));
        RecordingPeer other = new RecordingPeer("ALICE");

        assertThat(registry.join("party", "ALICE", other)).isInstanceOf(JoinResult.Taken.class);
        assertThat(other.sent()).isEmpty();
        assertThat(registry.lobby("party").orElseThrow().pendingCount()).isZero();
    }

    @Test
    void aNameUsedByAPendingJoinerIsTaken() {
        RecordingPeer alice = new RecordingPeer("alice");
        create("party", "alice", alice);
        pending("party", "bob", new RecordingPeer("bob"));
        alice.clear();

        assertThat(registry.join("party", "Bob", new RecordingPeer("Bob"))).isInstanceOf(JoinResult.Taken.class);
        assertThat(registry.lobby("party").orElseThrow().pendingCount()).isEqualTo(1);
        assertThat(alice.sent()).as("the admin is not asked about a taken name").isEmpty();
    }

    @Test
    void theSameNameMayBeUsedInAnotherLobby() {
        create("party", "alice", new RecordingPeer("alice"));

        assertThat(registry.join("other", "alice", new RecordingPeer("alice2"))).isInstanceOf(JoinResult.Created.class);
        assertThat(registry.lobbies()).extracting(Lobby::name).containsExactly("party", "other");
    }

    @Test
    void theLobbyLimitIsALimitErrorAndExistingLobbiesCanStillBeJoined() {
        registry = registry(2, 100);
        create("one", "alice", new RecordingPeer("a"));
        create("two", "bob", new RecordingPeer("b"));

        assertThatThrownBy(() -> registry.join("three", "carol", new RecordingPeer("c")))
                .isInstanceOf(ThingException.class)
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.LIMIT))
                .hasMessageContaining("2 lobbies");
        assertThat(registry.lobbies()).hasSize(2);
        pending("one", "carol", new RecordingPeer("c"));
    }

    @Test
    void thePendingLimitIsALimitErrorAndTheJoinerIsNotKept() {
        registry = registry(10, 1);
        RecordingPeer alice = new RecordingPeer("alice");
        create("party", "alice", alice);
        pending("party", "bob", new RecordingPeer("bob"));
        RecordingPeer carol = new RecordingPeer("carol");

        assertThatThrownBy(() -> registry.join("party", "carol", carol))
                .isInstanceOf(ThingException.class)
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.LIMIT))
                .hasMessageContaining("waiting for approval");
        assertThat(registry.lobby("party").orElseThrow().pendingCount()).isEqualTo(1);
        assertThat(carol.sent()).isEmpty();
        // carol may then create or join another lobby
        create("elsewhere", "carol", carol);
    }

    // ---- accept / reject / timeout ----

    @Test
    void acceptTellsTheJoinerOkayAndTheLobbyTheNews() {
        RecordingPeer alice = new RecordingPeer("alice");
        RecordingPeer bob = new RecordingPeer("bob");
        Member admin = create("party", "alice", alice);
        pending("party", "bob", bob);
        alice.clear();
        bob.clear();

        Member accepted = registry.accept(admin, "BOB");

        assertThat(accepted.role()).isEqualTo(Role.USER);
        // RFC 5.7 "Joined: <u> joined <lobby>" (older servers added who accepted)
        assertThat(bob.lines()).hasSize(2);
        assertThat(bob.lines().get(0)).isEqualTo("OKAY alice let you into party as a USER");
        assertThat(bob.lines().get(1)).startsWith("NOTIFY bob joined party");
        assertThat(alice.lines()).singleElement().asString().startsWith("NOTIFY bob joined party");
        assertThat(bob.acceptedCalls()).as("PINGs start").isEqualTo(1);
        assertThat(arrivedViaListener).containsExactly(accepted);
        assertThat(admin.lobby().members()).containsExactly(admin, accepted);
        assertThat(admin.lobby().pendingCount()).isZero();
    }

    @Test
    void aJoinerAcceptedMidSongIsSentTheCurrentPlay() {
        RecordingPeer bob = new RecordingPeer("bob");
        Member admin = create("party", "alice", new RecordingPeer("alice"));
        admin.lobby().party((p, now, lead) -> p.play("Song A", 0, now, lead));
        long start = T0 + 250_000;
        clock.advanceMillis(3_000);
        pending("party", "bob", bob);
        bob.clear();

        registry.accept(admin, "bob");

        List<ServerMessage> seen = bob.sent();
        assertThat(seen).hasSize(3);
        assertThat(seen.get(0)).isEqualTo(new Message.Okay("alice let you into party as a USER"));
        assertThat(seen.get(2)).isInstanceOf(ServerMessage.PlayEvent.class);
        ServerMessage.PlayEvent play = (ServerMessage.PlayEvent) seen.get(2);
        assertThat(play.title()).isEqualTo("Song A");
        // whatever reference instant is chosen, it must describe the same timeline as the original PLAY
        assertThat(play.startUs() - play.positionMs() * 1000).isEqualTo(start);
    }

    @Test
    void aJoinerAcceptedWhilePausedIsSentThePause() {
        RecordingPeer bob = new RecordingPeer("bob");
        Member admin = create("party", "alice", new RecordingPeer("alice"));
        admin.lobby().party((p, now, lead) -> p.play("Song A", 0, now, lead));
        clock.advanceMillis(1_250);
        admin.lobby().party((p, now, lead) -> p.pause(now));
        pending("party", "bob", bob);
        bob.clear();

        registry.accept(admin, "bob");

        assertThat(bob.lines()).last().isEqualTo("PAUSE \"Song A\" 1000");
    }

    @Test
    void acceptOfSomeoneNotWaitingIsNoSuchUser() {
        Member admin = create("party", "alice", new RecordingPeer("alice"));
        joined(admin, "bob", new RecordingPeer("bob"));

        assertThatThrownBy(() -> registry.accept(admin, "carol"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NO_SUCH_USER))
                .hasMessageContaining("carol");
        assertThatThrownBy(() -> registry.accept(admin, "bob"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NO_SUCH_USER))
                .hasMessageContaining("already a member");
    }

    @Test
    void rejectClosesTheJoinerWithTheRefusal() {
        RecordingPeer alice = new RecordingPeer("alice");
        RecordingPeer bob = new RecordingPeer("bob");
        Member admin = create("party", "alice", alice);
        pending("party", "bob", bob);
        alice.clear();

        registry.reject(admin, "bob");

        assertThat(bob.closes()).extracting(RecordingPeer.Close::last)
                .containsExactly(notify("your request to join party was refused by alice"));
        assertThat(admin.lobby().pendingCount()).isZero();
        assertThat(alice.lines()).containsExactly("NOTIFY alice refused bob");
        assertThat(bob.acceptedCalls()).isZero();
        // the name is free again
        pending("party", "bob", new RecordingPeer("bob again"));
    }

    @Test
    void rejectOfSomeoneNotWaitingIsNoSuchUser() {
        Member admin = create("party", "alice", new RecordingPeer("alice"));

        assertThatThrownBy(() -> registry.reject(admin, "nobody"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NO_SUCH_USER));
    }

    @Test
    void aJoinerNobodyAnswersIsClosedAfterTheApprovalTimeout() {
        RecordingPeer alice = new RecordingPeer("alice");
        RecordingPeer bob = new RecordingPeer("bob");
        Member admin = create("party", "alice", alice);
        pending("party", "bob", bob);
        alice.clear();

        clock.advanceMillis(APPROVAL.toMillis() - 1);
        assertThat(bob.closes()).isEmpty();

        clock.advanceMillis(2);
        assertThat(bob.closes()).extracting(RecordingPeer.Close::last)
                .containsExactly(notify("nobody accepted you into party within 5 min; closing"));
        assertThat(admin.lobby().pendingCount()).isZero();
        assertThat(alice.lines()).containsExactly("NOTIFY bob was turned away: nobody answered within 5 min");
    }

    @Test
    void anAcceptedJoinerIsNotClosedWhenTheApprovalTimeoutPasses() {
        RecordingPeer bob = new RecordingPeer("bob");
        Member admin = create("party", "alice", new RecordingPeer("alice"));
        pending("party", "bob", bob);
        clock.advanceMillis(60_000);
        registry.accept(admin, "bob");

        clock.advanceMillis(APPROVAL.toMillis() * 2);

        assertThat(bob.closes()).isEmpty();
        assertThat(admin.lobby().members()).extracting(Member::username).containsExactly("alice", "bob");
    }

    @Test
    void aJoinerWhoQuitsWhileWaitingIsForgottenAndItsTimerDoesNotFire() {
        RecordingPeer alice = new RecordingPeer("alice");
        RecordingPeer bob = new RecordingPeer("bob");
        Member admin = create("party", "alice", alice);
        Member joiner = pending("party", "bob", bob);
        alice.clear();

        registry.leave(joiner);
        clock.advanceMillis(APPROVAL.toMillis() + 1);

        assertThat(admin.lobby().pendingCount()).isZero();
        assertThat(bob.closes()).isEmpty();
        assertThat(alice.lines()).containsExactly("NOTIFY bob stopped waiting to join");
    }

    // ---- roles ----

    @Test
    void promoteMakesAModeratorAndTellsTheLobby() {
        RecordingPeer alice = new RecordingPeer("alice");
        RecordingPeer bob = new RecordingPeer("bob");
        Member admin = create("party", "alice", alice);
        Member user = joined(admin, "bob", bob);
        alice.clear();
        bob.clear();

        registry.promote(admin, "bob");

        assertThat(user.role()).isEqualTo(Role.MODERATOR);
        assertThat(alice.lines()).singleElement().asString().startsWith("NOTIFY bob is now a moderator of party");
        assertThat(bob.lines()).isEqualTo(alice.lines());
    }

    @Test
    void aNewModeratorIsToldWhoIsWaitingAlready() {
        // #12: promoted while carol waits, bob is asked about her as staff were when she asked (telnet reads no
        // events, so the EVENT WAITING alone would leave a person there not knowing).
        RecordingPeer alice = new RecordingPeer("alice");
        RecordingPeer bob = new RecordingPeer("bob");
        Member admin = create("party", "alice", alice);
        joined(admin, "bob", bob);
        pending("party", "carol", new RecordingPeer("carol"));
        pending("party", "dave", new RecordingPeer("dave"));
        bob.clear();

        registry.promote(admin, "bob");

        assertThat(bob.lines()).containsExactly("NOTIFY bob is now a moderator of party",
                "NOTIFY carol asks to join party: ACCEPT carol or REJECT carol",
                "NOTIFY dave asks to join party: ACCEPT dave or REJECT dave");
    }

    @Test
    void promotingAModeratorAgainIsDuplicateAndPromotingTheAdminIsNotAllowed() {
        Member admin = create("party", "alice", new RecordingPeer("alice"));
        joined(admin, "bob", new RecordingPeer("bob"));
        registry.promote(admin, "bob");

        assertThatThrownBy(() -> registry.promote(admin, "bob"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.DUPLICATE));
        assertThatThrownBy(() -> registry.promote(admin, "alice"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_ALLOWED));
        assertThatThrownBy(() -> registry.promote(admin, "zed"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NO_SUCH_USER));
    }

    @Test
    void aPendingJoinerCannotBePromotedDemotedOrKicked() {
        RecordingPeer bob = new RecordingPeer("bob");
        Member admin = create("party", "alice", new RecordingPeer("alice"));
        Member joiner = pending("party", "bob", bob);

        assertThatThrownBy(() -> registry.promote(admin, "bob"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_ALLOWED))
                .hasMessageContaining("waiting");
        assertThatThrownBy(() -> registry.demote(admin, "BOB"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_ALLOWED));
        assertThatThrownBy(() -> registry.kick(admin, "bob"))
                .as("a pending joiner is refused with REJECT, not kicked")
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_ALLOWED))
                .hasMessageContaining("REJECT");
        assertThat(joiner.role()).isEqualTo(Role.PENDING);
        assertThat(bob.closes()).isEmpty();
        assertThat(admin.lobby().pendingJoiners()).containsExactly(joiner);
    }

    @Test
    void demoteMakesAModeratorAUserAgainAndDemotingAUserIsDuplicate() {
        RecordingPeer carol = new RecordingPeer("carol");
        Member admin = create("party", "alice", new RecordingPeer("alice"));
        Member bob = joined(admin, "bob", new RecordingPeer("bob"));
        joined(admin, "carol", carol);
        registry.promote(admin, "bob");
        carol.clear();

        registry.demote(admin, "Bob");

        assertThat(bob.role()).isEqualTo(Role.USER);
        assertThat(carol.lines()).singleElement().asString()
                .startsWith("NOTIFY bob is no longer a moderator of party");
        assertThatThrownBy(() -> registry.demote(admin, "bob"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.DUPLICATE));
        assertThatThrownBy(() -> registry.demote(admin, "zed"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NO_SUCH_USER));
        assertThat(admin.role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void theAdminCannotBeDemotedAndKeepsTheRole() {
        RecordingPeer bob = new RecordingPeer("bob");
        Member admin = create("party", "alice", new RecordingPeer("alice"));
        joined(admin, "bob", bob);
        bob.clear();

        assertThatThrownBy(() -> registry.demote(admin, "alice"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_ALLOWED))
                .hasMessageContaining("admin");
        assertThat(admin.role()).isEqualTo(Role.ADMIN);
        assertThat(bob.sent()).isEmpty();
    }

    @Test
    void theAdminKicksAnyoneButThemselves() {
        RecordingPeer alice = new RecordingPeer("alice");
        RecordingPeer bob = new RecordingPeer("bob");
        Member admin = create("party", "alice", alice);
        joined(admin, "bob", bob);
        registry.promote(admin, "bob");
        alice.clear();

        registry.kick(admin, "bob");

        assertThat(bob.closes()).extracting(RecordingPeer.Close::last)
                .containsExactly(notify("you were kicked from party by alice"));
        // RFC 5.7: "<u> was kicked from <lobby> by <who>"
        assertThat(alice.lines()).singleElement().asString().matches("NOTIFY bob was kicked (from party )?by alice");
        assertThat(admin.lobby().members()).containsExactly(admin);

        assertThatThrownBy(() -> registry.kick(admin, "alice"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_ALLOWED))
                .hasMessageContaining("QUIT");
        assertThat(alice.closes()).isEmpty();
    }

    @Test
    void aModeratorMayKickUsersOnly() {
        RecordingPeer carolPeer = new RecordingPeer("carol");
        Member admin = create("party", "alice", new RecordingPeer("alice"));
        Member bob = joined(admin, "bob", new RecordingPeer("bob"));
        joined(admin, "carol", carolPeer);
        joined(admin, "dave", new RecordingPeer("dave"));
        registry.promote(admin, "bob");
        registry.promote(admin, "dave");

        assertThatThrownBy(() -> registry.kick(bob, "alice"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_ALLOWED))
                .hasMessageContaining("admin");
        assertThatThrownBy(() -> registry.kick(bob, "dave"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_ALLOWED))
                .hasMessageContaining("moderator");
        assertThatThrownBy(() -> registry.kick(bob, "bob"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_ALLOWED));
        assertThat(admin.lobby().memberCount()).isEqualTo(4);

        registry.kick(bob, "carol");

        assertThat(carolPeer.closes()).extracting(RecordingPeer.Close::last)
                .containsExactly(notify("you were kicked from party by bob"));
        assertThat(admin.lobby().members()).extracting(Member::username).containsExactly("alice", "bob", "dave");
    }

    @Test
    void kickingSomeoneNotInTheLobbyIsNoSuchUser() {
        Member admin = create("party", "alice", new RecordingPeer("alice"));
        pending("party", "bob", new RecordingPeer("bob"));
        create("other", "carol", new RecordingPeer("carol"));

        assertThatThrownBy(() -> registry.kick(admin, "carol"))
                .as("a member of another lobby")
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NO_SUCH_USER));
        assertThatThrownBy(() -> registry.kick(admin, "nobody"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NO_SUCH_USER))
                .hasMessageContaining("nobody");
    }

    // ---- leaving ----

    @Nested
    class AdminHandover {
        RecordingPeer alice = new RecordingPeer("alice");
        RecordingPeer bob = new RecordingPeer("bob");
        Member admin;
        Member bobM;
        Member carolM;
        Member daveM;

        @BeforeEach
        void fill() {
            admin = create("party", "alice", alice);
            bobM = joined(admin, "bob", bob);
            carolM = joined(admin, "carol", new RecordingPeer("carol"));
            daveM = joined(admin, "dave", new RecordingPeer("dave"));
            bob.clear();
        }

        @Test
        void theLongestPresentModeratorBecomesAdmin() {
            registry.promote(admin, "dave");
            registry.promote(admin, "carol");
            bob.clear();

            registry.leave(admin);

            assertThat(carolM.role()).isEqualTo(Role.ADMIN);
            assertThat(daveM.role()).isEqualTo(Role.MODERATOR);
            assertThat(bobM.role()).isEqualTo(Role.USER);
            assertThat(bob.lines()).containsExactly("NOTIFY alice left party", "NOTIFY carol is now the admin of party");
        }

        @Test
        void withoutModeratorsTheLongestPresentUserBecomesAdmin() {
            registry.leave(admin);

            assertThat(bobM.role()).isEqualTo(Role.ADMIN);
            assertThat(carolM.role()).isEqualTo(Role.USER);
            assertThat(bob.lines()).containsExactly("NOTIFY alice left party", "NOTIFY bob is now the admin of party");
        }

        @Test
        void aUserHandedTheAdminRoleIsAskedAboutWhoWaitsAlready() {
            pending("party", "erin", new RecordingPeer("erin"));
            bob.clear();

            registry.leave(admin);

            assertThat(bob.lines()).containsExactly("NOTIFY alice left party", "NOTIFY bob is now the admin of party",
                    "NOTIFY erin asks to join party: ACCEPT erin or REJECT erin");
        }

        @Test
        void theNewAdminIsAskedAboutJoiners() {
            registry.leave(admin);
            bob.clear();

            pending("party", "erin", new RecordingPeer("erin"));

            assertThat(bob.lines()).containsExactly("NOTIFY erin asks to join party: ACCEPT erin or REJECT erin");
        }

        @Test
        void aUserLeavingChangesNoRoles() {
            registry.leave(carolM);

            assertThat(admin.role()).isEqualTo(Role.ADMIN);
            assertThat(bobM.role()).isEqualTo(Role.USER);
            assertThat(bob.lines()).containsExactly("NOTIFY carol left party");
        }

        @Test
        void leavingTwiceIsHarmless() {
            registry.leave(carolM);
            registry.leave(carolM);

            assertThat(bob.lines()).containsExactly("NOTIFY carol left party");
            assertThat(admin.lobby().memberCount()).isEqualTo(3);
        }
    }

    @Test
    void anEmptyLobbyIsRemovedAndItsPendingJoinersAreToldAndClosed() {
        RecordingPeer bob = new RecordingPeer("bob");
        Member admin = create("party", "alice", new RecordingPeer("alice"));
        pending("party", "bob", bob);
        Lobby lobby = admin.lobby();

        registry.leave(admin);

        assertThat(registry.lobbies()).isEmpty();
        assertThat(registry.lobby("party")).isEmpty();
        assertThat(lobby.isClosed()).isTrue();
        assertThat(bob.closes()).hasSize(1);
        assertThat(((ServerMessage.Notify) bob.closes().get(0).last()).text()).startsWith("lobby party closed");

        // the approval timer of the closed lobby does not fire later
        clock.advanceMillis(APPROVAL.toMillis() + 1);
        assertThat(bob.closes()).hasSize(1);

        // the name can be used again, by anyone, for a new lobby
        Member again = create("PARTY", "bob", new RecordingPeer("bob2"));
        assertThat(again.lobby()).isNotSameAs(lobby);
        assertThat(again.role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void lobbiesListsInCreationOrderAndAllMembersSpansLobbies() {
        Member a = create("one", "alice", new RecordingPeer("a"));
        Member b = create("two", "bob", new RecordingPeer("b"));
        Member c = joined(a, "carol", new RecordingPeer("c"));
        pending("two", "dave", new RecordingPeer("d"));

        assertThat(registry.lobbies()).extracting(Lobby::name).containsExactly("one", "two");
        assertThat(registry.allMembers()).containsExactlyInAnyOrder(a, b, c);
    }

    @Test
    void broadcastAllReachesMembersOfEveryLobbyButNotPendingJoiners() {
        RecordingPeer a = new RecordingPeer("a");
        RecordingPeer b = new RecordingPeer("b");
        RecordingPeer d = new RecordingPeer("d");
        create("one", "alice", a);
        create("two", "bob", b);
        pending("two", "dave", d);
        a.clear();
        b.clear();
        d.clear();

        registry.broadcastAll(notify("hello"));

        assertThat(a.lines()).containsExactly("NOTIFY hello");
        assertThat(b.lines()).containsExactly("NOTIFY hello");
        assertThat(d.lines()).isEmpty();
    }

    // ---- coming back (RFC 3.15) ----

    @Nested
    class ComingBack {
        static final Duration GRACE = Duration.ofSeconds(120);

        @BeforeEach
        void withGrace() {
            LobbySettings settings = new LobbySettings(1000, 100, APPROVAL, PartySettings.DEFAULTS, 250, 3000, GRACE);
            registry = new LobbyRegistry(settings, catalog, clock, clock, new SplittableRandom(7));
            arrivedViaListener = new ArrayList<>();
            registry.listener(arrivedViaListener::add);
        }

        String tokenOf(RecordingPeer peer) {
            return peer.events().stream().filter(e -> e instanceof ServerMessage.TokenEvent)
                    .map(e -> ((ServerMessage.TokenEvent) e).token()).reduce((a, b) -> b).orElseThrow();
        }

        @Test
        void aDroppedMemberIsAwayUntilTheGraceRunsOutThenGone() {
            RecordingPeer alice = new RecordingPeer("alice").events(true);
            RecordingPeer bob = new RecordingPeer("bob").events(true);
            Member admin = create("party", "alice", alice);
            Member joiner = joined(admin, "bob", bob);
            alice.clear();

            registry.leave(joiner);
            assertThat(joiner.isAway()).isTrue();
            assertThat(joiner.awayUntilUs()).isEqualTo(T0 + GRACE.toNanos() / 1000);
            assertThat(admin.lobby().members()).containsExactly(admin);
            assertThat(admin.lobby().everyone()).containsExactly(admin, joiner);
            assertThat(admin.lobby().memberCount()).isEqualTo(1);
            assertThat(alice.events()).contains(new ServerMessage.AwayEvent("bob", 120));
            assertThat(alice.lines()).containsExactly("NOTIFY bob lost the connection; their place is kept for 2:00");

            clock.advanceMillis(119_999);
            assertThat(admin.lobby().everyone()).containsExactly(admin, joiner);
            clock.advanceMillis(1);
            assertThat(admin.lobby().everyone()).containsExactly(admin);
            assertThat(alice.events()).contains(new ServerMessage.GoneEvent("bob",
                    ServerMessage.Departure.DISCONNECTED));
            assertThat(clock.pendingTasks()).isZero();
        }

        @Test
        void theTokenBringsTheMemberBackOnceAndAWrongOneDoesNot() {
            RecordingPeer alice = new RecordingPeer("alice").events(true);
            RecordingPeer bob = new RecordingPeer("bob").events(true);
            Member admin = create("party", "alice", alice);
            Member joiner = joined(admin, "bob", bob);
            String token = tokenOf(bob);
            registry.leave(joiner);

            assertThat(registry.join("party", "bob", new RecordingPeer("guess"), Identity.guest(9, "x"),
                    "A".repeat(22))).isEqualTo(new JoinResult.Taken(joiner.awayUntilUs()));
            RecordingPeer again = new RecordingPeer("bob again").events(true);
            JoinResult back = registry.join("party", "bob", again, Identity.guest(10, "x"), token);
            assertThat(back).isInstanceOf(JoinResult.Returned.class);
            Member returned = ((JoinResult.Returned) back).member();
            assertThat(returned.role()).isEqualTo(Role.USER);
            assertThat(returned.arrival()).isEqualTo(joiner.arrival());
            assertThat(returned.isAway()).isFalse();
            assertThat(again.sent().get(0)).isEqualTo(new Message.Okay("welcome back to party as USER"));
            assertThat(tokenOf(again)).isNotEqualTo(token);
            assertThat(alice.events()).contains(new ServerMessage.BackEvent("bob"));
            // Its grace timer went with it; the old token is spent.
            assertThat(clock.pendingTasks()).isZero();
            registry.leave(returned);
            assertThat(registry.join("party", "bob", new RecordingPeer("replay"), Identity.guest(11, "x"), token))
                    .isInstanceOf(JoinResult.Taken.class);
        }

        @Test
        void theTokenTakesOverAPlaceWhoseOldConnectionTheServerStillThinksOpen() {
            RecordingPeer alice = new RecordingPeer("alice").events(true);
            RecordingPeer bob = new RecordingPeer("bob").events(true);
            Member admin = create("party", "alice", alice);
            Member joiner = joined(admin, "bob", bob);

            JoinResult back = registry.join("party", "bob", new RecordingPeer("bob again"), Identity.guest(10, "x"),
                    tokenOf(bob));
            assertThat(back).isInstanceOf(JoinResult.Returned.class);
            assertThat(bob.closes()).singleElement().extracting(RecordingPeer.Close::reason)
                    .isEqualTo("replaced by a new connection");
            // The old connection's close finds its member replaced and changes nothing.
            registry.leave(joiner);
            assertThat(admin.lobby().members()).containsExactly(admin, ((JoinResult.Returned) back).member());
        }

        @Test
        void theTokenOfAnAccountsPlaceNamesThatAccountWithoutBeingUsedUp() {
            Member admin = create("party", "alice", new RecordingPeer("alice"));
            RecordingPeer bob = new RecordingPeer("bob").events(true);
            Member joiner = joined(admin, "bob", bob);
            Identity account = new Identity(1, "x", 42, false);
            registry.loggedIn(joiner, account);
            String token = tokenOf(bob);
            registry.leave(joiner);

            assertThat(registry.tokenHolder("party", "BOB", token)).contains(account);
            assertThat(registry.tokenHolder("party", "bob", "A".repeat(22))).isEmpty();
            assertThat(registry.tokenHolder("other", "bob", token)).isEmpty();
            assertThat(registry.tokenHolder("party", "bob", token)).as("still good").contains(account);
            JoinResult back = registry.join("party", "bob", new RecordingPeer("b2"), new Identity(2, "y", 42, false),
                    token);
            assertThat(back).isInstanceOf(JoinResult.Returned.class);
            assertThat(((JoinResult.Returned) back).member().identity().accountId()).isEqualTo(42);
            assertThat(registry.tokenHolder("party", "bob", token)).as("used by the return").isEmpty();
        }

        @Test
        void thePasswordTakesOverAnOpenConnectionAsTheTokenDoesAndAWrongAccountLeavesItAlone() {
            RecordingPeer alice = new RecordingPeer("alice").events(true);
            RecordingPeer bob = new RecordingPeer("bob").events(true);
            Member admin = create("party", "alice", alice);
            Member first = joined(admin, "bob", bob);
            registry.loggedIn(first, new Identity(1, "x", 42, false));
            registry.promote(admin, "bob");
            alice.clear();
            bob.clear();

            // Another account under the same name (none can exist) or a guest without a token does not come back.
            assertThat(registry.join("party", "bob", new RecordingPeer("other"), new Identity(2, "y", 43, false),
                    null)).isInstanceOf(JoinResult.Taken.class);
            assertThat(registry.join("party", "bob", new RecordingPeer("guest"), Identity.guest(3, "y"), null))
                    .isInstanceOf(JoinResult.Taken.class);
            assertThat(bob.closes()).isEmpty();
            assertThat(bob.events()).isEmpty();

            RecordingPeer again = new RecordingPeer("bob again").events(true);
            JoinResult back = registry.join("party", "bob", again, new Identity(4, "z", 42, false), null);
            assertThat(back).isInstanceOf(JoinResult.Returned.class);
            Member returned = ((JoinResult.Returned) back).member();
            assertThat(returned.role()).isEqualTo(Role.MODERATOR);
            assertThat(returned.arrival()).isEqualTo(first.arrival());
            assertThat(again.sent().get(0)).isEqualTo(new Message.Okay("welcome back to party as MODERATOR"));
            assertThat(bob.events()).containsExactly(new ServerMessage.GoneEvent("bob",
                    ServerMessage.Departure.REPLACED));
            assertThat(bob.closes()).singleElement().satisfies(c -> {
                assertThat(c.reason()).isEqualTo("replaced by a new connection");
                assertThat(c.last()).isEqualTo(new ServerMessage.Notify(
                        "you came back to party on another connection; closing this one"));
            });
            // The lobby hears that bob is back, and nothing of his old connection.
            assertThat(alice.events()).containsExactly(new ServerMessage.BackEvent("bob"));
            assertThat(alice.lines()).containsExactly("NOTIFY bob is back");
            registry.leave(first);
            assertThat(admin.lobby().members()).containsExactly(admin, returned);
            assertThat(returned.isAway()).isFalse();
        }

        @Test
        void quitAndKickDoNotKeepThePlace() {
            RecordingPeer alice = new RecordingPeer("alice");
            Member admin = create("party", "alice", alice);
            Member bob = joined(admin, "bob", new RecordingPeer("bob"));
            Member carol = joined(admin, "carol", new RecordingPeer("carol"));
            registry.leave(bob, ServerMessage.Departure.QUIT);
            registry.kick(admin, "carol");
            assertThat(admin.lobby().everyone()).containsExactly(admin);
            assertThat(carol.isAway()).isFalse();
        }

        @Test
        void theAdminRoleWaitsForTheGraceAndGoesToSomeoneHereBeforeSomeoneAway() {
            RecordingPeer bobPeer = new RecordingPeer("bob");
            Member admin = create("party", "alice", new RecordingPeer("alice"));
            Member carol = joined(admin, "carol", new RecordingPeer("carol"));
            Member bob = joined(admin, "bob", bobPeer);
            registry.leave(admin);
            clock.advanceMillis(10_000);
            registry.leave(carol);
            assertThat(admin.role()).isEqualTo(Role.ADMIN);
            assertThat(bob.role()).isEqualTo(Role.USER);

            clock.advanceMillis(110_000);
            // carol has been here longer, but she is away: bob, who is here, takes the role.
            assertThat(bob.role()).isEqualTo(Role.ADMIN);
            assertThat(bobPeer.lines()).contains("NOTIFY bob is now the admin of party");
        }

        @Test
        void aLobbyOfAwayMembersStaysUntilTheLastGraceEnds() {
            Member admin = create("party", "alice", new RecordingPeer("alice"));
            registry.leave(admin);
            assertThat(registry.lobby("party")).isPresent();
            clock.advanceMillis(120_000);
            assertThat(registry.lobby("party")).isEmpty();
            assertThat(admin.lobby().isClosed()).isTrue();
        }

        @Test
        void anAccountComesBackWithoutAToken() {
            Identity account = new Identity(1, "x", 42, false);
            Member admin = create("party", "alice", new RecordingPeer("alice"));
            pending("party", "bob", new RecordingPeer("bob"));
            Member bob = registry.accept(admin, "bob");
            registry.loggedIn(bob, account);
            registry.leave(bob);
            assertThat(registry.join("party", "bob", new RecordingPeer("b3"), new Identity(3, "y", 42, false), null))
                    .isInstanceOf(JoinResult.Returned.class);
            // Another account's holder of the same name (none can exist) or a guest does not come back.
            registry.leave(admin.lobby().member("bob").orElseThrow());
            assertThat(registry.join("party", "bob", new RecordingPeer("b4"), Identity.guest(4, "y"), null))
                    .isInstanceOf(JoinResult.Taken.class);
        }
    }
}
