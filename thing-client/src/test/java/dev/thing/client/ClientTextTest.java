package dev.thing.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.ServerMessage;
import org.junit.jupiter.api.Test;

/** The client's own lines for server events. */
class ClientTextTest {
    @Test
    void aJoinRequestNamesTheClientCommandNotTheProtocolOne() {
        assertThat(ThingClient.joinRequest("party", "bob"))
                .isEqualTo("bob asks to join party -- type: accept bob  (or: reject bob)");
    }

    @Test
    void updatesReadAsNewSongsOrChanges() {
        ServerMessage.Update u = new ServerMessage.Update("Clicks", "Metronome", "Test", "");
        assertThat(ThingClient.updateText(u, false)).isEqualTo("new in the library: Clicks - Metronome [Test]");
        assertThat(ThingClient.updateText(new ServerMessage.Update("Clicks", "", "", ""), true))
                .isEqualTo("song updated: Clicks - unknown artist");
    }
}
