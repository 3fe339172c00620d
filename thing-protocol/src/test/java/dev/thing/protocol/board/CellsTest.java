package dev.thing.protocol.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CellsTest {
    private static final String DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
    /** Fixed, so a failure is the same failure on every run; the loop counts keep the run short. */
    private static final long SEED = 0x7001_b0a2dL;

    @Test
    void restsNotesAndBackToBackNotesAreRead() throws Exception {
        Cells cells = Cells.parse("1230121210000000");
        assertThat(cells.length()).isEqualTo(16);
        assertThat(cells.notes()).containsExactly(new Cells.Note(0, 3), new Cells.Note(4, 2), new Cells.Note(6, 2),
                new Cells.Note(8, 1));
        assertThat(cells.toString()).isEqualTo("1230121210000000");
    }

    @Test
    void durationsAboveNineUseLettersAndUpperCaseIsWrittenLower() throws Exception {
        String longest = DIGITS.substring(1);
        Cells cells = Cells.parse(longest.toUpperCase());
        assertThat(cells.notes()).containsExactly(new Cells.Note(0, 35));
        assertThat(cells.toString()).isEqualTo(longest);
    }

    @Test
    void aRunThatNeitherContinuesNorStartsAtOneIsRefusedNamingTheCell() {
        assertRefused("1204", "cell 4 is \"4\" but after a rest comes \"0\" (a rest) or \"1\" (a note starts)");
        assertRefused("2000", "cell 1 is \"2\" but a row starts with \"0\" (a rest) or \"1\" (a note starts)");
        assertRefused("1300", "cell 2 is \"3\" but a note there must continue with \"2\", or \"1\" starts a new "
                + "note, or \"0\" rests");
        assertRefused("12-4", "cell 3 is \"-\" but a cell is a digit 0-9 or a letter a-z");
        assertRefused("1\u0662", "cell 2 is U+0662 but a cell is a digit 0-9 or a letter a-z");
        assertRefused(DIGITS.substring(1) + "a", "cell 36 is \"a\" but a note lasts at most 35 beats: after \"z\" "
                + "comes \"0\" (a rest) or \"1\" (a new note)");
    }

    @Test
    void aRowOfTheWrongWidthIsRefusedWithTheCount() throws Exception {
        assertThatThrownBy(() -> Cells.parse("000000000000000", 16)).isInstanceOf(ProtocolException.class)
                .hasMessage("row needs 16 cells, got 15");
        assertThatThrownBy(() -> Cells.parse("")).hasMessage("row needs 1..64 cells, got 0");
        assertThatThrownBy(() -> Cells.parse("0".repeat(65))).hasMessage("row needs 1..64 cells, got 65");
        assertThat(Cells.parse("0".repeat(64)).isEmpty()).isTrue();
    }

    @Test
    void resizingCutsARunToAValidPrefixOrPadsWithRests() throws Exception {
        Cells cells = Cells.parse("12341234");
        assertThat(cells.resize(6).toString()).isEqualTo("123412");
        assertThat(cells.resize(10).toString()).isEqualTo("1234123400");
        assertThat(Cells.parse(cells.resize(3).toString())).isEqualTo(cells.resize(3));
    }

    @Test
    void everyValidRowRoundTrips() throws Exception {
        Random random = new Random(SEED);
        for (int n = 0; n < 5000; n++) {
            int columns = 1 + random.nextInt(BoardShape.MAX_COLUMNS);
            List<Cells.Note> notes = randomNotes(random, columns);
            Cells built = Cells.of(columns, notes);
            String wire = built.toString();
            Cells read = Cells.parse(random.nextBoolean() ? wire : wire.toUpperCase(), columns);
            assertThat(read).isEqualTo(built);
            assertThat(read.toString()).isEqualTo(wire);
            assertThat(read.notes()).isEqualTo(notes);
        }
    }

    @Test
    void everyInvalidRunIsRefusedNamingItsFirstBadCell() {
        Random random = new Random(SEED + 1);
        int refused = 0;
        for (int n = 0; n < 5000; n++) {
            int columns = 1 + random.nextInt(BoardShape.MAX_COLUMNS);
            char[] cells = Cells.of(columns, randomNotes(random, columns)).toString().toCharArray();
            int at = random.nextInt(columns);
            int previous = at == 0 ? 0 : DIGITS.indexOf(cells[at - 1]);
            int value = 2 + random.nextInt(34);
            if (value == previous + 1) {
                continue; // that one continues the note: valid
            }
            cells[at] = DIGITS.charAt(value);
            String text = new String(cells);
            assertThatThrownBy(() -> Cells.parse(text)).as(text).isInstanceOf(ProtocolException.class)
                    .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo(ErrorCode.SYNTAX))
                    .hasMessageStartingWith("cell " + (at + 1) + " is \"" + DIGITS.charAt(value) + "\" but ");
            refused++;
        }
        assertThat(refused).isGreaterThan(4000);
    }

    @Test
    void aStringIsValidExactlyWhenEveryCellIsARestAOneOrTheNextOfItsLeftNeighbour() {
        Random random = new Random(SEED + 2);
        for (int n = 0; n < 20000; n++) {
            int columns = 1 + random.nextInt(8);
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                s.append(DIGITS.charAt(random.nextInt(5)));
            }
            String text = s.toString();
            boolean valid = true;
            int previous = 0;
            for (char c : text.toCharArray()) {
                int v = c - '0';
                valid &= v == 0 || v == 1 || v == previous + 1;
                previous = v;
            }
            if (valid) {
                try {
                    assertThat(Cells.parse(text).toString()).isEqualTo(text);
                } catch (ProtocolException e) {
                    throw new AssertionError(text + " is valid but was refused: " + e.getMessage(), e);
                }
            } else {
                assertThatThrownBy(() -> Cells.parse(text)).as(text).isInstanceOf(ProtocolException.class);
            }
        }
    }

    private static List<Cells.Note> randomNotes(Random random, int columns) {
        List<Cells.Note> notes = new ArrayList<>();
        int at = 0;
        while (at < columns) {
            if (random.nextInt(3) == 0) {
                at += 1 + random.nextInt(4);
                continue;
            }
            int room = Math.min(Cells.MAX_DURATION, columns - at);
            int duration = 1 + random.nextInt(room);
            notes.add(new Cells.Note(at, duration));
            at += duration;
        }
        return notes;
    }

    private static void assertRefused(String text, String message) {
        assertThatThrownBy(() -> Cells.parse(text)).isInstanceOf(ProtocolException.class).hasMessage(message);
    }
}
