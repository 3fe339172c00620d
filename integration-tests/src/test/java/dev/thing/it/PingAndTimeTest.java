package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.it.TelnetClient.Pings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** PING and TIME: the server measures round trips and tells its clock. */
class PingAndTimeTest extends ServerTestBase {

    @Test
    void anAcceptedClientIsPingedAndAnsweringGivesUsersANumericRtt() {
        start();
        TelnetClient alice = admin("party", "alice").pings(Pings.KEEP);
        alice.expectLine("PING 1");
        alice.send("OKAY 1");
        TelnetClient.Reply users = alice.command("USERS");
        assertThat(users.data()).hasSize(1);
        assertThat(users.data().get(0)).matches("USER alice ADMIN [0-9]+\\.[0-9]");

        TelnetClient bob = member(alice.pings(Pings.SKIP), "party", "bob").pings(Pings.KEEP);
        bob.expectLine("PING 1");
        bob.send("OKAY 1");
        // The answer is not a command: no reply. The next reply is the one to USERS.
        users = bob.command("USERS");
        assertThat(users.data()).hasSize(2);
        assertThat(users.data().get(1)).matches("USER bob USER [0-9]+\\.[0-9]");
    }

    @Test
    void aPendingJoinerIsNotPinged() {
        start();
        TelnetClient alice = admin("party", "alice");
        TelnetClient bob = pending(alice, "party", "bob").pings(Pings.KEEP);
        // Had a PING been sent it would come before the reply.
        assertThat(bob.command("HELP").unsolicited()).isEmpty();
        assertThat(bob.pingsSeen()).isEmpty();
    }

    @Test
    void aClientThatNeverAnswersIsPingedOnAndStaysConnected() {
        start(b -> b.pingInterval = Duration.ofSeconds(1));
        TelnetClient alice = connect("alice").pings(Pings.KEEP);
        alice.okay("CAP PING");
        alice.send("party alice");
        alice.expectJoinOkay();
        // The burst of five at acceptance, then one a second.
        for (int i = 1; i <= 8; i++) {
            alice.expectLine("PING " + i);
        }
        TelnetClient.Reply users = alice.command("USERS");
        assertThat(users.data()).containsExactly("USER alice ADMIN -");
        assertThat(alice.command("TIME").last()).isEqualTo("OKAY");
    }

    @Test
    void timeAnswersWithTheServersClockInMicrosecondsAndEchoesTheToken() {
        start();
        TelnetClient alice = admin("party", "alice");
        long before = System.currentTimeMillis() * 1000;
        TelnetClient.Reply withToken = alice.command("TIME abc");
        long after = System.currentTimeMillis() * 1000;
        assertThat(withToken.last()).isEqualTo("OKAY");
        assertThat(withToken.data()).hasSize(1);
        String[] parts = withToken.data().get(0).split(" ");
        assertThat(parts).hasSize(3);
        assertThat(parts[0]).isEqualTo("TIME");
        assertThat(parts[1]).isEqualTo("abc");
        long us = Long.parseLong(parts[2]);
        assertThat(us).isBetween(before - 5_000_000, after + 5_000_000);

        TelnetClient.Reply bare = alice.command("TIME");
        assertThat(bare.data()).hasSize(1);
        assertThat(bare.data().get(0)).matches("TIME [0-9]+");
    }

    @Test
    void timeReadsTheServersOwnClock() {
        startManual();
        TelnetClient alice = admin("party", "alice");
        long now = clock.epochMicros();
        assertThat(alice.command("TIME t").data()).containsExactly("TIME t " + now);
        clock.advanceMillis(1500);
        assertThat(alice.command("TIME t").data()).containsExactly("TIME t " + (now + 1_500_000));
    }
}
