package dev.thing.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.ThingClient;
import dev.thing.it.TelnetClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue #16 item 5 in the terminal client: after a dropped connection it comes back to its place by itself, with
 * the token the server gave it, and says so; after a kick it does not.
 */
class ComingBackClientTest extends ClientTestBase {

    @Test
    void theClientReconnectsAfterADropAndIsBackInItsPlaceWithoutApproval() throws Exception {
        start(b -> b.rejoinGrace = Duration.ofSeconds(120));
        TelnetClient admin = telnetAdmin("party", "alice");
        try (CuttableProxy network = new CuttableProxy(server.address());
             ClientRun bob = ClientRun.interactive(ClientRun.config(network.port(), cacheDir("bob"), "party", "bob"),
                     ThingClient.REAL)) {
            accept(admin, bob, "party");
            admin.okay("PROMOTE bob");
            bob.awaitOutput("bob is now a moderator of party");

            network.cut();
            admin.skipUntilLine("NOTIFY bob lost the connection; their place is kept for 2:00");
            bob.awaitOutput("lost the connection to the server");
            bob.awaitOutput("reconnected to party");
            admin.skipUntilLine("NOTIFY bob is back");
            assertThat(network.accepted()).isEqualTo(2);
            // No approval was asked for, bob is a moderator still, and what he types reaches the lobby.
            java.util.List<String> users = admin.command("USERS").data();
            assertThat(users).hasSize(2);
            assertThat(users.get(1)).matches("USER bob MODERATOR (-|[0-9.]+)");
            bob.type("say hello again");
            admin.skipUntilLine("NOTIFY <bob> hello again");
            bob.endInput();
            assertThat(bob.exitCode()).as("output:\n" + bob.output()).isZero();
        }
    }

    @Test
    void anAccountComesBackWithItsPassword() throws Exception {
        start(b -> b.rejoinGrace = Duration.ofSeconds(120));
        TelnetClient registering = telnetAdmin("elsewhere", "bob");
        registering.okay("REGISTER \"correct horse\"");
        registering.okay("QUIT");
        TelnetClient admin = telnetAdmin("party", "alice");
        try (CuttableProxy network = new CuttableProxy(server.address());
             ClientRun bob = ClientRun.interactive(ClientRun.config(network.port(), cacheDir("bob"), "party", "bob")
                     .withPassword("correct horse"), ThingClient.REAL)) {
            accept(admin, bob, "party");
            network.cut();
            admin.skipUntilLine("NOTIFY bob lost the connection; their place is kept for 2:00");
            bob.awaitOutput("reconnected to party");
            admin.skipUntilLine("NOTIFY bob is back");
            assertThat(network.accepted()).isEqualTo(2);
            bob.endInput();
            assertThat(bob.exitCode()).as("output:\n" + bob.output()).isZero();
        }
    }

    @Test
    void aClientWhosePlaceAnotherConnectionTookOverDoesNotComeBackInTurn() throws Exception {
        start(b -> b.rejoinGrace = Duration.ofSeconds(120));
        TelnetClient registering = telnetAdmin("elsewhere", "bob");
        registering.okay("REGISTER \"correct horse\"");
        registering.okay("QUIT");
        TelnetClient admin = telnetAdmin("party", "alice");
        try (CuttableProxy network = new CuttableProxy(server.address());
             ClientRun bob = ClientRun.interactive(ClientRun.config(network.port(), cacheDir("bob"), "party", "bob")
                     .withPassword("correct horse"), ThingClient.REAL)) {
            accept(admin, bob, "party");
            TelnetClient elsewhere = telnet("bob on another machine");
            elsewhere.send("party bob \"correct horse\"");
            assertThat(elsewhere.expectOkay()).isEqualTo("OKAY welcome back to party as USER");
            bob.awaitOutput("you came back to party on another connection; closing this one");
            assertThat(bob.exitCode()).as("output:\n" + bob.output()).isEqualTo(ThingClient.EXIT_FAILED);
            // It knew from EVENT GONE bob REPLACED that this was no drop: no attempt to take the place back.
            assertThat(bob.output()).doesNotContain("coming back");
            assertThat(network.accepted()).isEqualTo(1);
            assertThat(elsewhere.command("USERS").data()).hasSize(2);
        }
    }

    @Test
    void aKickedClientDoesNotComeBack() throws Exception {
        start(b -> b.rejoinGrace = Duration.ofSeconds(120));
        TelnetClient admin = telnetAdmin("party", "alice");
        try (CuttableProxy network = new CuttableProxy(server.address());
             ClientRun bob = ClientRun.interactive(ClientRun.config(network.port(), cacheDir("bob"), "party", "bob"),
                     ThingClient.REAL)) {
            accept(admin, bob, "party");
            assertThat(admin.command("KICK bob").last()).isEqualTo("OKAY");
            bob.awaitOutput("you were kicked from party by alice");
            assertThat(bob.exitCode()).as("output:\n" + bob.output()).isEqualTo(ThingClient.EXIT_FAILED);
            assertThat(bob.output()).doesNotContain("coming back");
            assertThat(network.accepted()).isEqualTo(1);
        }
    }
}
