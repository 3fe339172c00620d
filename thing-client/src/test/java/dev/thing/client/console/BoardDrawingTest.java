package dev.thing.client.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.board.BoardState;
import dev.thing.protocol.ProtocolException;
import dev.thing.protocol.board.BoardLines;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoardDrawingTest {
    private final BoardState state = new BoardState("carol");

    private void event(String tokens) throws ProtocolException {
        state.absorb(BoardLines.event(Arrays.asList(tokens.split(" "))));
    }

    private static List<String> texts(List<BoardDrawing.Line> lines) {
        return lines.stream().map(BoardDrawing.Line::text).toList();
    }

    @Test
    void aStoppedBoardInTheSeedsDigitForm() throws Exception {
        event("TRACK 1 piano bob");
        event("TRACK 2 drums carol");
        event("ROW 1 8 1234000012000000");
        event("ROW 2 1 1010101010101010");
        List<BoardDrawing.Line> lines = BoardDrawing.draw(state.snapshot(), 0, "carol", 80);
        List<String> t = texts(lines);
        assertThat(t.get(0)).isEqualTo("board: 16 x 8 at 120 bpm, stopped (mix over)");
        assertThat(t.get(1)).isEqualTo("track 1: piano, played by bob");
        assertThat(t.get(2)).isEqualTo("          1   5   9   13");
        assertThat(t.get(3)).isEqualTo(" 1 C5    |0000000000000000|");
        assertThat(t.get(10)).isEqualTo(" 8 C4    |1234000012000000|");
        assertThat(t.get(11)).isEqualTo("track 2: drums, played by you");
        assertThat(t.get(13)).isEqualTo(" 1 kick  |1010101010101010|");
        assertThat(t.get(14)).isEqualTo(" 2 snare |0000000000000000|");
        assertThat(t).hasSize(1 + 2 * (1 + 1 + 8));
        assertThat(lines).noneMatch(BoardDrawing.Line::highlighted);
        assertThat(t).allMatch(l -> l.length() <= 80);
    }

    @Test
    void thePlayingColumnIsMarkedAndHighlighted() throws Exception {
        event("START 1000000");
        // 120 bpm: beat 6 (column 5) sounds from 3.5 s to 4 s after the start.
        List<BoardDrawing.Line> lines = BoardDrawing.draw(state.snapshot(), 1_000_000 + 3_600_000, "carol", 80);
        assertThat(lines.get(0).text()).isEqualTo("board: 16 x 8 at 120 bpm, playing over the song, beat 8 of 16");
        BoardDrawing.Line row = lines.get(3);
        assertThat(row.highlighted()).isTrue();
        assertThat(row.text().substring(row.highlightFrom(), row.highlightTo())).isEqualTo("0");
        assertThat(row.highlightFrom()).isEqualTo(BoardDrawing.LABEL + 7);
        assertThat(lines.get(11).text()).isEqualTo(" ".repeat(BoardDrawing.LABEL + 7) + "^");
        assertThat(lines.get(1).text()).isEqualTo("track 1: piano, seat free ('board join 1' takes it)");
    }

    @Test
    void theWidestBoardFitsEightyColumnsAndANarrowTerminalGetsPages() throws Exception {
        event("SIZE 64 16");
        event("ROW 1 1 " + "1234".repeat(16));
        List<String> wide = texts(BoardDrawing.draw(state.snapshot(), 0, "carol", 80));
        assertThat(wide).allMatch(l -> l.length() <= 80);
        assertThat(wide.get(3)).isEqualTo(" 1 D6    |" + "1234".repeat(16) + "|");
        assertThat(wide.get(3)).hasSize(75);
        assertThat(wide.get(2)).startsWith("          1   5   9   13  17").endsWith("61");

        // 40 columns: 24 cells a page, so 64 columns take three pages of 24, 24 and 16.
        List<String> narrow = texts(BoardDrawing.draw(state.snapshot(), 0, "carol", 40));
        // The grid fits; the header lines are text, wrapped by the terminal like any other.
        assertThat(narrow.stream().filter(l -> l.startsWith(" "))).allMatch(l -> l.length() <= 40);
        assertThat(narrow.get(3)).isEqualTo(" 1 D6    |" + "1234".repeat(6) + ">");
        assertThat(narrow.get(2 + 17)).isEqualTo("          25  29  33  37  41  45");
        assertThat(narrow.get(2 + 17 + 1)).isEqualTo(" 1 D6    |" + "1234".repeat(6) + ">");
        assertThat(narrow.get(2 + 2 * 17 + 1)).isEqualTo(" 1 D6    |" + "1234".repeat(4) + "|");
    }
}
