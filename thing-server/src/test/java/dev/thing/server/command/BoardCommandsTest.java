package dev.thing.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.MessageParser;
import dev.thing.protocol.MessageWriter;
import dev.thing.protocol.ServerMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BOARD through the command table, with real lobbies: replies, who hears what, refusals that change nothing. */
class BoardCommandsTest extends CommandFixture {

    Reply board(dev.thing.server.lobby.Member member, String line) throws Exception {
        return run(member, (ClientMessage) MessageParser.parseClient(line));
    }

    List<String> notices(dev.thing.server.lobby.RecordingPeer peer) {
        return peer.sent().stream().filter(m -> m instanceof ServerMessage.Notify).map(MessageWriter::line).toList();
    }

    List<String> events(dev.thing.server.lobby.RecordingPeer peer) {
        return peer.events().stream().filter(e -> e instanceof ServerMessage.BoardEvent).map(MessageWriter::line)
                .toList();
    }

    @Test
    void boardShowsItselfAsDataLinesThenOkay() throws Exception {
        List<String> lines = wire(board(bob, "BOARD"));
        assertThat(lines).hasSize(3 + 16 + 1);
        assertThat(lines.get(0)).isEqualTo("BOARD 16 8 120 STOPPED OVER");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("OKAY");
    }

    @Test
    void aChangeReachesPeopleAsOneNotifyAndProgramsAsEvents() throws Exception {
        bobPeer.events(true);
        assertThat(wire(board(bob, "BOARD JOIN"))).containsExactly("OKAY");
        assertThat(wire(board(bob, "BOARD SET 1 3 12340000" + "00000000"))).containsExactly("OKAY");
        assertThat(notices(alicePeer)).containsExactly("NOTIFY bob took seat 1 (piano)",
                "NOTIFY bob set track 1 row 3: 1234000000000000");
        assertThat(events(bobPeer)).containsExactly("EVENT BOARD TRACK 1 piano bob",
                "EVENT BOARD ROW 1 3 1234000000000000");
        assertThat(notices(bobPeer)).isEmpty();
        assertThat(carolPeer.sent()).isEmpty(); // waiting joiners are not members
    }

    @Test
    void refusalsAreErrorsAndChangeNothing() throws Exception {
        board(bob, "BOARD JOIN 1");
        List<String> before = wire(board(alice, "BOARD"));
        clearPeers();
        assertThat(errorLine(() -> board(alice, "BOARD SET 1 1 1204000000000000")))
                .isEqualTo("ERROR SYNTAX cell 4 is \"4\" but after a rest comes \"0\" (a rest) or \"1\" "
                        + "(a note starts)");
        assertThat(errorLine(() -> board(alice, "BOARD SET 1 1 1000000000000000")))
                .isEqualTo("ERROR NOT_ALLOWED track 1 is played by bob");
        assertThat(errorLine(() -> board(alice, "BOARD JOIN 1"))).isEqualTo("ERROR NOT_ALLOWED seat 1 is taken by bob");
        assertThat(errorLine(() -> board(bob, "BOARD SET 1 9 1000000000000000")))
                .isEqualTo("ERROR SYNTAX no row 9 (the board has 8 rows)");
        assertThat(errorLine(() -> board(bob, "BOARD MIX INSTEAD")))
                .isEqualTo("ERROR NOT_ALLOWED BOARD MIX is for the admin and moderators");
        assertThat(wire(board(alice, "BOARD"))).isEqualTo(before);
        assertThat(alicePeer.sent()).isEmpty();
    }

    @Test
    void startIsScheduledWithTheLobbysStartLead() throws Exception {
        board(alice, "BOARD START");
        long lead = alice.lobby().leadMicros();
        assertThat(notices(bobPeer)).containsExactly("NOTIFY alice started the board at 120 bpm");
        assertThat(wire(board(bob, "BOARD")).get(0)).isEqualTo("BOARD 16 8 120 PLAYING " + (T0 + lead) + " OVER");
        assertThat(lead).isEqualTo(250_000L);
    }

    @Test
    void leavingTheLobbyFreesTheSeat() throws Exception {
        board(bob, "BOARD JOIN 2");
        alicePeer.events(true);
        registry.leave(bob, ServerMessage.Departure.QUIT);
        assertThat(events(alicePeer)).containsExactly("EVENT BOARD TRACK 2 drums -");
        assertThat(wire(board(alice, "BOARD")).get(2)).isEqualTo("TRACK 2 drums -");
    }

    @Test
    void aProgramLetInGetsTheWholeBoard() throws Exception {
        board(bob, "BOARD JOIN 1");
        board(bob, "BOARD SET 1 2 1200000000000000");
        carolPeer.events(true);
        registry.accept(alice, "carol");
        List<String> got = events(carolPeer);
        assertThat(got).hasSize(5 + 16);
        assertThat(got.subList(0, 4)).containsExactly("EVENT BOARD SIZE 16 8", "EVENT BOARD TEMPO 120",
                "EVENT BOARD MIX OVER", "EVENT BOARD TRACK 1 piano bob");
        assertThat(got).contains("EVENT BOARD ROW 1 2 1200000000000000");
    }
}
