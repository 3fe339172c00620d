package dev.thing.client.board;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.net.Reply;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.MessageParser;
import dev.thing.protocol.ProtocolException;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.board.BoardLines;
import dev.thing.protocol.board.BoardRequest;
import dev.thing.protocol.board.BoardShape;
import dev.thing.protocol.board.Cells;
import dev.thing.protocol.board.Instrument;
import dev.thing.protocol.board.Mix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BoardStateTest {
    private final BoardState state = new BoardState("carol");

    /** One EVENT BOARD line as the server writes it (without "EVENT BOARD "). */
    private Optional<String> event(String tokens) throws ProtocolException {
        return state.absorb(BoardLines.event(Arrays.asList(tokens.split(" "))));
    }

    @Test
    void aNewBoardIsWhatTheRfcSaysAndItsJoinBurstSaysNothing() throws Exception {
        BoardState.Snapshot s = state.snapshot();
        assertThat(s.shape()).isEqualTo(BoardShape.DEFAULT);
        assertThat(s.bpm()).isEqualTo(120);
        assertThat(s.playing()).isFalse();
        assertThat(s.mix()).isEqualTo(Mix.OVER);
        assertThat(s.track(1).instrument()).isEqualTo(Instrument.PIANO);
        assertThat(s.track(2).instrument()).isEqualTo(Instrument.DRUMS);
        // What a joiner with EVENTS is sent for an untouched board: no notice at all.
        List<Optional<String>> said = new ArrayList<>();
        said.add(event("SIZE 16 8"));
        said.add(event("TEMPO 120"));
        said.add(event("MIX OVER"));
        said.add(event("TRACK 1 piano -"));
        said.add(event("TRACK 2 drums -"));
        for (int t = 1; t <= 2; t++) {
            for (int r = 1; r <= 8; r++) {
                said.add(event("ROW " + t + " " + r + " 0000000000000000"));
            }
        }
        assertThat(said).allMatch(Optional::isEmpty);
    }

    @Test
    void eventsBuildTheBoardAndSeatsAndStartsAreTold() throws Exception {
        assertThat(event("TRACK 1 piano bob")).contains("bob took seat 1 (piano)");
        assertThat(event("TRACK 2 drums carol")).contains("you took seat 2 (drums)");
        assertThat(event("ROW 1 3 1234000012000000")).isEmpty();
        assertThat(event("TRACK 1 organ bob")).contains("track 1 now plays organ");
        assertThat(event("TRACK 1 gm12 -")).contains("bob left seat 1; track 1 now plays gm12 (General MIDI "
                + "program 12)");
        assertThat(event("TEMPO 90")).contains("the board's tempo is now 90 bpm");
        assertThat(event("START 1795377600250000")).contains("the board plays at 90 bpm (over the song); 'board' "
                + "shows it");
        assertThat(event("MIX INSTEAD")).hasValueSatisfying(t -> assertThat(t).contains("instead of the song"));
        assertThat(event("STOP")).contains("the board stopped");
        assertThat(event("STOP")).isEmpty();

        BoardState.Snapshot s = state.snapshot();
        assertThat(s.track(1).rows().get(2)).isEqualTo(Cells.parse("1234000012000000"));
        assertThat(s.track(1).player()).isNull();
        assertThat(s.track(2).player()).isEqualTo("carol");
        assertThat(s.seatOf("CAROL")).isEqualTo(2);
        assertThat(s.bpm()).isEqualTo(90);
        assertThat(s.mix()).isEqualTo(Mix.INSTEAD);
        assertThat(s.playing()).isFalse();
    }

    @Test
    void aSizeChangeCutsAndPadsRowsAsTheServerDoes() throws Exception {
        event("ROW 1 8 1234567812345678");
        assertThat(event("SIZE 6 10")).contains("the board is now 6 columns by 10 rows");
        BoardState.Snapshot s = state.snapshot();
        assertThat(s.track(1).rows()).hasSize(10);
        assertThat(s.track(1).rows().get(7).toString()).isEqualTo("123456");
        assertThat(s.track(1).rows().get(9).toString()).isEqualTo("000000");
        // A row of the old width (late, or from a confused server) is not taken.
        assertThat(event("ROW 1 1 1000000000000000")).isEmpty();
        assertThat(state.snapshot().track(1).rows().get(0).toString()).isEqualTo("000000");
    }

    @Test
    void thePlayingColumnFollowsBoardTimingAcrossLoops() throws Exception {
        event("SIZE 4 1");
        event("START 1000000");
        BoardState.Snapshot s = state.snapshot();
        // 120 bpm: a column is 500 ms.
        assertThat(s.columnAt(999_999)).isEqualTo(-1);
        assertThat(s.columnAt(1_000_000)).isZero();
        assertThat(s.columnAt(1_499_999)).isZero();
        assertThat(s.columnAt(2_500_000)).isEqualTo(3);
        assertThat(s.columnAt(3_000_000)).isZero(); // loop 2
    }

    @Test
    void aBoardReplyReplacesTheWholeBoard() throws Exception {
        List<ServerMessage> data = new ArrayList<>();
        for (String line : List.of("BOARD 4 2 150 PLAYING 5000000 INSTEAD", "TRACK 1 bass alice", "TRACK 2 drums -",
                "ROW 1 1 1200", "ROW 1 2 0000", "ROW 2 1 1111", "ROW 2 2 0000")) {
            data.add(MessageParser.parseServer(line));
        }
        List<BoardState.Snapshot> seen = new ArrayList<>();
        state.onChange(seen::add);
        state.absorb(new Reply(new ClientMessage.Board(new BoardRequest.Show()), data,
                new dev.thing.protocol.Message.Okay(null)));
        BoardState.Snapshot s = state.snapshot();
        assertThat(seen).containsExactly(s);
        assertThat(s.shape()).isEqualTo(new BoardShape(4, 2));
        assertThat(s.startUs()).isEqualTo(5_000_000L);
        assertThat(s.track(1).player()).isEqualTo("alice");
        assertThat(s.track(2).rows().get(0).toString()).isEqualTo("1111");
    }
}
