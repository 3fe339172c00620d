package dev.thing.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.board.BoardState;
import dev.thing.protocol.board.BoardLines;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The board's line in 'status'. */
class BoardStatusTest {

    @Test
    void theStatusLineSaysWhatTheBoardDoes() throws Exception {
        BoardState state = new BoardState("carol");
        assertThat(ThingClient.boardStatus(state.snapshot(), 0, null)).isEqualTo("board: 16 x 8 at 120 bpm, stopped");
        state.absorb(BoardLines.event(Arrays.asList("START", "1000000")));
        state.absorb(BoardLines.event(Arrays.asList("MIX", "INSTEAD")));
        assertThat(ThingClient.boardStatus(state.snapshot(), 1_600_000, "cannot render the board: no synthesizer"))
                .isEqualTo("board: 16 x 8 at 120 bpm, playing instead of the song, beat 2 (cannot render the "
                        + "board: no synthesizer)");
    }
}
