package dev.thing.server.lobby;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.ServerMessage;
import dev.thing.server.party.PartySettings;
import dev.thing.server.party.PartySong;
import dev.thing.server.time.ManualClock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10.5: the registry's server-wide lock is never held while a lobby sends. A member of lobby "one" whose
 * connection takes its time to accept a line (its send() waits) must not stop anyone joining lobby "two".
 * The slow send is released only after the join has returned, so with the old locking the test deadlocks and its
 * timeout fails it; with the new one it passes at any machine speed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RegistryLockTest {
    /** A peer whose sends wait for {@link #release} once {@link #block} is set. */
    static final class SlowPeer implements Peer {
        final CountDownLatch sending = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean block;

        @Override
        public void send(ServerMessage message) {
            if (block) {
                sending.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void sendSong(OutgoingSong song) {
        }

        @Override
        public void closeAfter(ServerMessage last, String logReason) {
        }

        @Override
        public String describe() {
            return "slow";
        }
    }

    LobbyRegistry registry() {
        ManualClock clock = new ManualClock(1_700_000_000_000_000L);
        LobbySettings settings = new LobbySettings(1000, 100, Duration.ofMinutes(5), PartySettings.DEFAULTS, 250,
                3000);
        return new LobbyRegistry(settings, new StubCatalog().add(new PartySong(1, "Song A", 10_000)), clock, clock,
                new SplittableRandom(1));
    }

    @Test
    void aLeaveWhoseNoticeIsSlowToSendDoesNotHoldUpAJoinElsewhere() throws Exception {
        LobbyRegistry registry = registry();
        SlowPeer slow = new SlowPeer();
        Member alice = ((JoinResult.Created) registry.join("one", "alice", new RecordingPeer("alice"))).member();
        registry.join("one", "bob", slow);
        Member bob = registry.accept(alice, "bob");
        slow.block = true;
        CompletableFuture<Void> leaving = CompletableFuture.runAsync(() -> registry.leave(alice));
        slow.sending.await(); // alice's departure is being told to bob, and his send waits

        JoinResult zoe = registry.join("two", "zoe", new RecordingPeer("zoe"));
        assertThat(zoe).isInstanceOf(JoinResult.Created.class);
        assertThat(registry.lobbies()).extracting(Lobby::name).containsExactly("one", "two");

        slow.release.countDown();
        leaving.get();
        assertThat(bob.role()).as("bob inherits the admin role").isEqualTo(dev.thing.protocol.Role.ADMIN);
    }

    @Test
    void aJoinerWaitingToBeAnnouncedDoesNotHoldUpAKickElsewhere() throws Exception {
        LobbyRegistry registry = registry();
        SlowPeer slowAdmin = new SlowPeer();
        registry.join("one", "alice", slowAdmin);
        slowAdmin.block = true;
        // carol's request to join is told to the admin of "one", whose send waits
        CompletableFuture<JoinResult> carol = CompletableFuture.supplyAsync(
                () -> registry.join("one", "carol", new RecordingPeer("carol")));
        slowAdmin.sending.await();

        RecordingPeer zoePeer = new RecordingPeer("zoe");
        Member zoe = ((JoinResult.Created) registry.join("two", "zoe", zoePeer)).member();
        RecordingPeer yanPeer = new RecordingPeer("yan");
        registry.join("two", "yan", yanPeer);
        registry.accept(zoe, "yan");
        registry.kick(zoe, "yan");
        assertThat(yanPeer.closes()).hasSize(1);

        slowAdmin.release.countDown();
        assertThat(carol.get()).isInstanceOf(JoinResult.Pending.class);
    }

    @Test
    void aLobbyThatEmptiesIsCreatedAfreshByTheNextJoiner() {
        LobbyRegistry registry = registry();
        Member alice = ((JoinResult.Created) registry.join("one", "alice", new RecordingPeer("alice"))).member();
        registry.leave(alice);
        assertThat(registry.lobbies()).isEmpty();
        JoinResult again = registry.join("one", "alice", new RecordingPeer("alice"));
        assertThat(again).isInstanceOf(JoinResult.Created.class);
        assertThat(((JoinResult.Created) again).member().lobby()).isNotSameAs(alice.lobby());
    }
}
