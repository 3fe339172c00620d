package dev.thing.client.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.board.BoardState;
import dev.thing.protocol.board.BoardPitch;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import javax.sound.sampled.AudioFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The board to PCM through javax.sound.midi's software synthesizer: its sequence, its lead cut, its onsets. */
class BoardRendererTest {

    @Test
    void theSequenceHasATrackPerBoardTrackAndTheDrumsOnChannelTen() throws Exception {
        BoardState s = BoardSounds.board(120, "1010", null);
        BoardSounds.event(s, "TRACK 1 organ -");
        BoardSounds.event(s, "ROW 1 8 1230");
        Sequence seq = BoardRenderer.sequence(s.snapshot());
        assertThat(seq.getDivisionType()).isEqualTo(Sequence.PPQ);
        assertThat(seq.getResolution()).isEqualTo(BoardRenderer.TICKS_PER_QUARTER);
        Track[] tracks = seq.getTracks();
        assertThat(tracks).hasSize(3);
        // Track 1: organ (GM 16) on channel 0, C4 for three columns (500 ms each: ticks are microseconds).
        assertThat(shortMessages(tracks[1])).containsExactly(
                "0 PROGRAM_CHANGE ch0 16", "0 NOTE_ON ch0 60", "1500000 NOTE_OFF ch0 60");
        // Track 2: drums on channel 9 (MIDI channel 10), no program; the hat twice.
        assertThat(shortMessages(tracks[2])).containsExactly("0 NOTE_ON ch9 42", "500000 NOTE_OFF ch9 42",
                "1000000 NOTE_ON ch9 42", "1500000 NOTE_OFF ch9 42");
        assertThat(BoardPitch.DRUM_CHANNEL).isEqualTo(9);
        // The sequence lasts exactly the loop: 4 columns at 120 bpm.
        assertThat(seq.getTickLength()).isEqualTo(2_000_000);
    }

    private static java.util.List<String> shortMessages(Track t) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            MidiEvent e = t.get(i);
            if (e.getMessage() instanceof ShortMessage m) {
                String what = switch (m.getCommand()) {
                    case ShortMessage.NOTE_ON -> "NOTE_ON";
                    case ShortMessage.NOTE_OFF -> "NOTE_OFF";
                    case ShortMessage.PROGRAM_CHANGE -> "PROGRAM_CHANGE";
                    default -> Integer.toString(m.getCommand());
                };
                out.add(e.getTick() + " " + what + " ch" + m.getChannel() + " " + m.getData1());
            }
        }
        return out;
    }

    /**
     * The synthesizer's silence before the first onset is measured (not assumed) and cut: column 0 sounds from
     * frame 0, and a later column exactly its offset later, at 44.1 kHz as at a converted 48 kHz.
     */
    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {44_100, 48_000})
    void eachColumnSoundsAtItsOffsetFromFrameZero(int rate) throws Exception {
        AudioFormat format = new AudioFormat(rate, 16, 2, true, false);
        long lead = BoardRenderer.leadFrames(format);
        System.out.printf("synthesizer lead at %d Hz: %d frames (%.3f ms)%n", rate, lead, lead * 1000.0 / rate);
        assertThat(lead).isGreaterThan(0).isLessThan(rate / 10);

        BoardRenderer.Loop loop = BoardRenderer.render(BoardSounds.board(90, "1010", null).snapshot(), format);
        int fs = format.getFrameSize();
        // 90 bpm: a column is 666,666.67 us, the loop 2,666,667 us.
        assertThat(loop.loopFrames()).isEqualTo(Math.round(2_666_666.0 * rate / 1e6));
        assertThat(loop.frames()).isGreaterThan(loop.loopFrames());
        long first = RecordingSink.firstNonSilentFrame(loop.pcm(), fs, 0);
        assertThat(first).isBetween(0L, 1L);
        // Column 2's onset: the first frame where the loop differs from the same loop without that hit (the
        // first hit still rings there, so the first loud frame would not do).
        BoardRenderer.Loop alone = BoardRenderer.render(BoardSounds.board(90, "1000", null).snapshot(), format);
        long column2 = Math.round(1_333_333L * rate / 1e6);
        long onset = firstDifference(loop.pcm(), alone.pcm(), fs);
        System.out.printf("column 2 expected at frame %d, sounds from %d%n", column2, onset);
        assertThat(onset).isBetween(column2 - 1, column2 + 1);
    }

    static long firstDifference(byte[] a, byte[] b, int frameSize) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (a[i] != b[i]) {
                return i / frameSize;
            }
        }
        return -1;
    }

    @Test
    void aBoardOfRestsIsSilentWithoutTheSynthesizer() throws Exception {
        BoardRenderer.Loop loop = BoardRenderer.render(new BoardState("me").snapshot(), Player.WARM_FORMAT);
        assertThat(loop.pcm()).isEmpty();
        assertThat(loop.loopFrames()).isEqualTo(16 * 22_050);
    }
}
