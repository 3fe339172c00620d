package dev.thing.protocol.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

/** Instruments, pitches, bounds and timing of the board. */
class BoardBasicsTest {

    @Test
    void instrumentsAreNamedProgramsGmNumbersOrDrums() throws Exception {
        assertThat(Instrument.parse("piano")).isEqualTo(Instrument.PIANO);
        assertThat(Instrument.parse("BASS")).isEqualTo(new Instrument("bass", 33, false));
        assertThat(Instrument.parse("pad").program()).isEqualTo(88);
        assertThat(Instrument.parse("gm0")).isEqualTo(new Instrument("gm0", 0, false));
        assertThat(Instrument.parse("gm127").program()).isEqualTo(127);
        assertThat(Instrument.parse("Drums")).isEqualTo(Instrument.DRUMS);
        assertThat(Instrument.defaultFor(1)).isEqualTo(Instrument.PIANO);
        assertThat(Instrument.defaultFor(2)).isEqualTo(Instrument.DRUMS);
        for (String bad : new String[] {"gm128", "gm01", "gm", "kazoo", "gm-1"}) {
            assertThatThrownBy(() -> Instrument.parse(bad)).isInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith("no instrument \"" + bad + "\"; use piano, epiano");
        }
    }

    @Test
    void melodicRowsClimbTheCMajorScaleFromC4AtTheBottom() {
        int[] eightRows = new int[8];
        for (int row = 1; row <= 8; row++) {
            eightRows[row - 1] = BoardPitch.key(Instrument.PIANO, row, 8);
        }
        assertThat(eightRows).containsExactly(72, 71, 69, 67, 65, 64, 62, 60);
        assertThat(BoardPitch.key(Instrument.PIANO, 1, 16)).isEqualTo(86); // D6, 15 degrees up
        assertThat(BoardPitch.key(Instrument.PIANO, 1, 1)).isEqualTo(60);
    }

    @Test
    void drumRowsAreGeneralMidiPercussionKeys() {
        assertThat(BoardPitch.key(Instrument.DRUMS, 1, 8)).isEqualTo(36);
        assertThat(BoardPitch.key(Instrument.DRUMS, 2, 8)).isEqualTo(38);
        assertThat(BoardPitch.key(Instrument.DRUMS, 3, 3)).isEqualTo(42);
        assertThat(BoardPitch.key(Instrument.DRUMS, 16, 16)).isEqualTo(75);
    }

    @Test
    void boundsAreRefusedWithTheirRange() {
        assertThatThrownBy(() -> BoardShape.of(65, 8)).hasMessage("columns must be 1..64, got 65");
        assertThatThrownBy(() -> BoardShape.of(16, 0)).hasMessage("rows must be 1..16, got 0");
        assertThatThrownBy(() -> BoardShape.requireBpm(301)).hasMessage("tempo must be 30..300 beats per minute, "
                + "got 301");
        assertThatThrownBy(() -> BoardShape.requireTrack(3)).hasMessage("no track 3 (tracks are 1 and 2)");
        assertThatThrownBy(() -> BoardShape.DEFAULT.requireRow(9)).hasMessage("no row 9 (the board has 8 rows)");
    }

    @Test
    void columnsStartOnTheFormulaWithoutDrift() {
        long start = 1_000_000_000L;
        assertThat(BoardTiming.stepStartUs(start, 120, 0)).isEqualTo(start);
        assertThat(BoardTiming.stepStartUs(start, 120, 1)).isEqualTo(start + 500_000);
        // 70 bpm: 857142.857... us a column; step 7 is exactly 6 s later, not 7 x the rounded column.
        assertThat(BoardTiming.stepStartUs(start, 70, 7)).isEqualTo(start + 6_000_000);
        assertThat(BoardTiming.stepAt(start, 70, start - 1)).isEqualTo(-1);
        for (long step = 0; step < 500; step++) {
            long at = BoardTiming.stepStartUs(start, 70, step);
            assertThat(BoardTiming.stepAt(start, 70, at)).isEqualTo(step);
            assertThat(BoardTiming.stepAt(start, 70, at - 1)).isEqualTo(step - 1);
        }
    }
}
