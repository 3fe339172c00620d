package dev.thing.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.ClientMessage;
import dev.thing.server.Services;
import dev.thing.server.party.WantedList;
import dev.thing.server.party.Wish;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13.3: one member can no longer fill the server's wanted list for good. A per-person cap (20 here), UNWANT
 * for the wisher and the lobby's staff, and an age limit (30 days here) on the server's clock.
 */
class WantedLimitsTest extends CommandFixture {

    @BeforeEach
    void smallCaps() {
        wanted.close();
        wanted = WantedList.open(dir.resolve("wanted-caps.db"), 1000, 20, Duration.ofDays(30), clock::epochMicros);
        services = new Services(services.config(), registry, library, wanted, clock, clock);
        jukebox = new dev.thing.server.Jukebox(library, wanted);
        jukebox.lobbies(registry);
        registry.listener(jukebox);
        commands = new CommandTable(jukebox);
    }

    private String request(dev.thing.server.lobby.Member who, String title) {
        try {
            List<String> lines = wire(run(who, new ClientMessage.Request(title, null)));
            return lines.get(lines.size() - 1);
        } catch (Throwable t) {
            return errorLine(() -> {
                throw t;
            });
        }
    }

    @Test
    void a1005RequestFloodStopsAtThePerPersonCapAndOthersCanStillWish() {
        List<String> finals = new ArrayList<>();
        for (int i = 0; i < 1005; i++) {
            finals.add(request(bob, "junk wish " + i));
        }
        assertThat(finals.subList(0, 20)).containsOnly("OKAY");
        assertThat(finals.subList(20, 1005)).allSatisfy(l -> assertThat(l).isEqualTo("ERROR LIMIT bob has 20 "
                + "wishes on the wanted list, the most one person may have; UNWANT one of them first"));
        assertThat(wanted.countWanted()).isEqualTo(20);

        assertThat(request(alice, "a real wish")).isEqualTo("OKAY");
        assertThat(request(zoe, "another real wish")).isEqualTo("OKAY");
        assertThat(wanted.list()).extracting(Wish::title).contains("a real wish", "another real wish");
    }

    @Test
    void theWisherMayUnwantAndThenWishAgain() throws Exception {
        for (int i = 0; i < 20; i++) {
            request(bob, "wish " + i);
        }
        assertThat(request(bob, "one too many")).startsWith("ERROR LIMIT ");
        assertThat(wire(run(bob, new ClientMessage.Unwant("WISH 3")))).containsExactly("OKAY");
        assertThat(wanted.list()).extracting(Wish::title).doesNotContain("wish 3").hasSize(19);
        assertThat(request(bob, "one too many")).isEqualTo("OKAY");
    }

    @Test
    void anotherUserMayNotUnwantButStaffMay() throws Exception {
        request(alice, "alice's wish");
        request(bob, "bob's wish");
        assertThat(errorLine(() -> run(bob, new ClientMessage.Unwant("alice's wish"))))
                .isEqualTo("ERROR NOT_ALLOWED only alice, who wished for it, or the staff of one may remove "
                        + "\"alice's wish\" from the wanted list");
        clearPeers();
        assertThat(wire(run(alice, new ClientMessage.Unwant("bob's wish")))).containsExactly("OKAY");
        assertThat(bobPeer.lines()).containsExactly(
                "NOTIFY alice removed your wish \"bob's wish\" from the wanted list");
        assertThat(wanted.list()).extracting(Wish::title).containsExactly("alice's wish");
        assertThat(errorLine(() -> run(alice, new ClientMessage.Unwant("bob's wish"))))
                .isEqualTo("ERROR NO_SUCH_SONG \"bob's wish\" is not on the wanted list of one");
    }

    @Test
    void staffOfAnotherLobbyCannotUnwantHere() throws Exception {
        request(bob, "bob's wish");
        assertThat(errorLine(() -> run(zoe, new ClientMessage.Unwant("bob's wish"))))
                .isEqualTo("ERROR NO_SUCH_SONG \"bob's wish\" is not on the wanted list of two");
    }

    @Test
    void wishesOlderThanTheAgeLimitAreDropped() {
        request(bob, "old wish");
        clock.advanceMillis(Duration.ofDays(20).toMillis());
        request(bob, "newer wish");
        clock.advanceMillis(Duration.ofDays(11).toMillis());
        assertThat(wanted.list()).extracting(Wish::title).containsExactly("newer wish");
        clock.advanceMillis(Duration.ofDays(20).toMillis());
        assertThat(wanted.list()).isEmpty();
    }

    @Test
    void theAgeLimitIsAppliedWhenTheListIsOpened() {
        request(bob, "old wish");
        wanted.close();
        clock.advanceMillis(Duration.ofDays(31).toMillis());
        wanted = WantedList.open(dir.resolve("wanted-caps.db"), 1000, 20, Duration.ofDays(30), clock::epochMicros);
        assertThat(wanted.countWanted()).isZero();
    }
}
