package dev.thing.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.ThingClient;
import org.junit.jupiter.api.Test;

/**
 * The board in the terminal client (#17 item 4): two real clients in one lobby; one takes a seat and sets a row,
 * the other is told of the seat and of the start, and draws the row; the server's refusals are shown as they are.
 */
class BoardInTheClientTest extends ClientTestBase {

    @Test
    void oneClientPlaysARowAndTheOtherSeesIt() {
        start();
        ClientRun alice = interactive("jam", "alice", ThingClient.REAL);
        alice.awaitOutput("joined jam as alice (admin");
        ClientRun bob = interactive("jam", "bob", ThingClient.REAL);
        bob.awaitOutput("waiting for approval to join jam");
        alice.awaitOutput("bob asks to join jam");
        alice.type("accept bob");
        bob.awaitOutput("joined jam as bob (user)");

        bob.type("board join");
        bob.awaitOutput("* you took seat 1 (piano)");
        alice.awaitOutput("* bob took seat 1 (piano)");
        bob.type("board set 1 8 1234000012000000");
        bob.type("board tempo 90");
        // Events reach alice in order: once she hears of the tempo, the row is hers too.
        alice.awaitOutput("* the board's tempo is now 90 bpm");
        alice.type("board");
        alice.awaitOutput("board: 16 x 8 at 90 bpm, stopped (mix over)");
        alice.awaitOutput("track 1: piano, played by bob");
        alice.awaitOutput(" 8 C4    |1234000012000000|");

        // The seat's player only, not even the admin: the server's text, as it is.
        alice.type("board set 1 1 1000000000000000");
        alice.awaitOutput("error: track 1 is played by bob");
        // A malformed row never leaves the client, and says which cell is wrong.
        bob.type("board set 1 1 1300000000000000");
        bob.awaitOutput("error: cell 2 is \"3\" but a note there must continue with \"2\"");

        alice.type("board start");
        bob.awaitOutput("* the board plays at 90 bpm (over the song)");
        bob.type("board");
        bob.awaitOutput("board: 16 x 8 at 90 bpm, playing over the song");
        bob.type("status");
        bob.awaitOutput("lobby: jam as bob");
        // Its last line: the board, playing (a beat, or "starting" within the start lead).
        eventually("status shows the board playing", () -> {
            String out = bob.output();
            return out.substring(out.indexOf("lobby: jam as bob")).contains("\nboard: 16 x 8 at 90 bpm, playing "
                    + "over the song, ");
        });
        bob.type("board stop");
        alice.awaitOutput("* the board stopped");

        // Each had a refused command, so as scripts (standard input is not a terminal) both exit 1.
        bob.endInput();
        alice.endInput();
        assertThat(bob.exitCode()).as(bob.output()).isEqualTo(ThingClient.EXIT_FAILED);
        assertThat(alice.exitCode()).as(alice.output()).isEqualTo(ThingClient.EXIT_FAILED);
        assertThat(bob.output()).doesNotContain("protocol");
    }
}
