package dev.thing.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.ThingClient;
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

    @Test
    void aTooShortPasswordIsRefusedBeforeAnythingIsSent() {
        start();
        ClientRun run = script("party", "bob", "register short\n");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("a password must be at least 8 characters");
    }
}
