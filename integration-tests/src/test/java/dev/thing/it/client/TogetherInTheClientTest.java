package dev.thing.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.ThingClient;
import dev.thing.it.TelnetClient;
import org.junit.jupiter.api.Test;

/** The real client in a lobby with a telnet admin: chat both ways, votes, queue editing and a rename (#16). */
class TogetherInTheClientTest extends ClientTestBase {

    @Test
    void theClientChatsVotesAndFollowsARename() {
        start();
        TelnetClient alice = telnetAdmin("party", "alice");
        assertThat(alice.upload("Sine", fixture("sine-440-3s.mp3"))).startsWith("OKAY ");
        assertThat(alice.upload("Mono", fixture("mono-22k-1s.mp3"))).startsWith("OKAY ");
        ClientRun bob = interactive("party", "bob", ThingClient.REAL);
        accept(alice, bob, "party");

        bob.type("say hello from the client, \"quotes\" and all");
        alice.skipUntilLine("NOTIFY <bob> hello from the client, \"quotes\" and all");
        alice.send("SAY hi bob");
        bob.awaitOutput("<alice> hi bob");
        assertThat(bob.output()).doesNotContain("* <alice> hi bob");

        alice.okay("PLAY Sine");
        // Paused at once, so the 3 s song cannot end before the vote on a loaded machine (a vote counts while
        // paused, RFC 6.33): the test does not depend on how fast the machine is.
        alice.okay("PAUSE");
        bob.type("request Mono");
        alice.skipUntilLine("NOTIFY bob queued Mono");
        bob.type("queue");
        bob.awaitOutput("Mono");
        bob.type("vote");
        alice.skipUntilLine("NOTIFY bob votes to skip Sine (1 of 2 votes needed; VOTE SKIP to agree)");
        bob.type("unqueue 1");
        alice.skipUntilLine("NOTIFY bob took Mono off the queue");

        alice.okay("RENAME Mono \"Mono Remix\"");
        bob.awaitOutput("alice renamed Mono to \"Mono Remix\"");
        bob.type("get Mono Remix");
        eventually("bob's cache holds the song under its new title", () -> cached(bob.cacheDir(), "Mono Remix")
                .isPresent());
        bob.finishOk();
        assertThat(bob.output()).doesNotContain("error:");
    }
}
