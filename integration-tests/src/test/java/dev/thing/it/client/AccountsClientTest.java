package dev.thing.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.ThingClient;
import dev.thing.it.TelnetClient;
import java.io.IOException;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The terminal client's account commands and its --password, over a real server. */
class AccountsClientTest extends ClientTestBase {

    private ClientRun scriptWithPassword(String lobby, String user, String password, String script) {
        ThingClient.Config guest = ClientRun.config(port(), cacheDir(user + "-pw"), lobby, user);
        ThingClient.Config config = guest.withPassword(password);
        return ClientRun.script(config, ThingClient.REAL, script);
    }

    @Test
    void registerThenJoinWithThePasswordClaimAndBan() {
        start();
        ClientRun first = script("party", "alice", "register \"correct horse\"\nbans\n");
        assertThat(first.exitCode()).as("output:\n" + first.output()).isZero();
        assertThat(first.output()).contains("alice is registered").contains("no bans in party");

        ClientRun without = script("party", "alice", "users\n");
        assertThat(without.exitCode()).as("output:\n" + without.output()).isEqualTo(2);
        assertThat(without.output()).contains("alice is registered").contains("--password");

        ClientRun with = scriptWithPassword("party", "alice", "correct horse",
                "claim\nban nobody\npassword \"correct horse\" \"battery staple\"\n");
        assertThat(with.exitCode()).as("output:\n" + with.output()).isEqualTo(1);
        assertThat(with.output()).contains("alice claimed party")
                .contains("error: nobody called nobody is in party");

        ClientRun changed = scriptWithPassword("party", "alice", "battery staple", "unclaim\n");
        assertThat(changed.exitCode()).as("output:\n" + changed.output()).isZero();
        assertThat(changed.output()).contains("gave up the claim on party");
    }

    private static void type(PipedOutputStream keys, String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    /**
     * A person at a terminal who joins under a registered name without --password is asked for it (no echo), and
     * after a wrong one asked again, on the same connection: the server keeps it open for another try.
     */
    @Test
    void aPersonAtATerminalIsAskedForThePasswordAndMayRetryOnTheSameConnection() throws Exception {
        start();
        ClientRun first = script("party", "alice", "register \"correct horse\"\n");
        assertThat(first.exitCode()).as("output:\n" + first.output()).isZero();
        TelnetClient admin = telnetAdmin("party", "dana");

        PipedOutputStream keys = new PipedOutputStream();
        try (ClientRun alice = ClientRun.terminal(ClientRun.config(port(), cacheDir("alice-term"), "party", "alice"),
                ThingClient.REAL, keys)) {
            alice.awaitOutput("alice is a registered name: give its password (Ctrl-C gives up)");
            alice.awaitOutput("password for alice: ");
            type(keys, "wrong horse\r");
            alice.awaitOutput("wrong password for alice; try again (Ctrl-C gives up)");
            type(keys, "correct horse\r");
            admin.skipUntilLine("NOTIFY alice asks to join party: ACCEPT alice or REJECT alice");
            admin.okay("ACCEPT alice");
            alice.awaitOutput("joined party as alice");
            assertThat(alice.output()).as("the password is never echoed").doesNotContain("correct horse")
                    .doesNotContain("wrong horse");
            assertThat(admin.command("USERS").data()).anySatisfy(l -> assertThat(l).startsWith("USER alice USER"));
            type(keys, "quit\r");
            assertThat(alice.exitCode()).as("output:\n" + alice.output()).isZero();
        }
    }

    @Test
    void aTooShortPasswordIsRefusedBeforeAnythingIsSent() {
        start();
        ClientRun run = script("party", "bob", "register short\n");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("a password must be at least 8 characters");
    }
}
