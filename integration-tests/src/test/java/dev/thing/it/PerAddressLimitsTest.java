package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Per-address limits over real sockets. Tests connect from 127.0.0.1, which is exempt by default, so they turn
 * on --limit-loopback (and one checks the exemption itself).
 */
class PerAddressLimitsTest extends ServerTestBase {
    @Test
    void aConnectionPastTheLimitPerAddressIsToldWhyAndClosedAndOneLeavingMakesRoom() {
        start(b -> {
            b.maxConnectionsPerAddress = 2;
            b.limitLoopback = true;
        });
        TelnetClient first = connect("first");
        connect("second");

        TelnetClient third = connectRaw("third");

        third.expectLine("NOTIFY too many connections from your address (2 at once is the limit); closing");
        third.assertClosedByServer();
        first.close();
        eventually("the server counts only the second connection", () -> server.connectionCount() == 1);
        TelnetClient fourth = connect("fourth");
        assertThat(fourth.command("LOBBIES").last()).isEqualTo("OKAY there are no lobbies yet");
    }

    @Test
    void loopbackIsExemptWithoutLimitLoopback() {
        start(b -> {
            b.maxConnectionsPerAddress = 1;
            b.maxJoinsPerMinute = 1;
        });
        TelnetClient alice = connect("alice");
        TelnetClient bob = connect("bob");
        connect("carol");

        alice.send("party alice");
        alice.expectJoinOkay();
        bob.send("other bob");
        bob.expectJoinOkay();
    }

    @Test
    void joinLinesPastTheLimitPerMinuteCloseTheConnectionUntilTheMinuteIsOver() {
        startManual(b -> {
            b.maxJoinsPerMinute = 3;
            b.limitLoopback = true;
        });
        admin("party", "alice");
        TelnetClient taken = connect("bob");
        taken.send("party alice");
        taken.expectLine("alice TAKEN");
        TelnetClient third = connect("carol");
        third.send("other carol");
        third.expectJoinOkay();

        TelnetClient fourth = connect("dave");
        fourth.send("third dave");

        fourth.expectLine("NOTIFY too many join attempts from your address (3 a minute is the limit); "
                + "try again in a minute");
        fourth.assertClosedByServer();
        assertThat(connect("lobbies").command("LOBBIES").data()).containsExactlyInAnyOrder("LOBBY other 1 0", "LOBBY party 1 0");

        clock.advanceMillis(60_000);
        TelnetClient later = connect("erin");
        later.send("third erin");
        later.expectLine("OKAY you created third and are its ADMIN");
    }
}
