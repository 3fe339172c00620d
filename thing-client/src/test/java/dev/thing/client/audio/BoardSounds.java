package dev.thing.client.audio;

import dev.thing.client.board.BoardState;
import dev.thing.protocol.board.BoardLines;
import java.util.Arrays;

/** Boards for the audio tests, built from the EVENT BOARD lines a server would send. */
final class BoardSounds {
    /** The drum track's row of the closed hi-hat: a short, sharp hit. */
    static final int HAT_ROW = 3;
    /** A sample above this in magnitude is sound (the board's hits peak in the thousands). */
    static final int LOUD = 1000;

    private BoardSounds() {
    }

    /** A 4 x 8 board at {@code bpm} whose drum track plays the hat row {@code hat} (e.g. "1010"). */
    static BoardState board(int bpm, String hat, Long startUs) throws Exception {
        BoardState s = new BoardState("me");
        event(s, "SIZE 4 8");
        event(s, "TEMPO " + bpm);
        event(s, "ROW 2 " + HAT_ROW + " " + hat);
        if (startUs != null) {
            event(s, "START " + startUs);
        }
        return s;
    }

    static void event(BoardState s, String tokens) throws Exception {
        s.absorb(BoardLines.event(Arrays.asList(tokens.split(" "))));
    }

    static int sample(byte[] pcm, int frameSize, long frame, int channel) {
        int i = (int) (frame * frameSize + channel * 2);
        return (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
    }

    /** The first frame at or after {@code from} (and before {@code to}) whose left or right sample is loud, or -1. */
    static long firstLoud(byte[] pcm, int frameSize, long from, long to) {
        for (long f = Math.max(0, from); f < to && (f + 1) * frameSize <= pcm.length; f++) {
            if (Math.abs(sample(pcm, frameSize, f, 0)) > LOUD || Math.abs(sample(pcm, frameSize, f, 1)) > LOUD) {
                return f;
            }
        }
        return -1;
    }

    /** The root mean square of the left channel over frames [from, to). */
    static double rms(byte[] pcm, int frameSize, long from, long to) {
        double sum = 0;
        for (long f = from; f < to; f++) {
            double v = sample(pcm, frameSize, f, 0);
            sum += v * v;
        }
        return Math.sqrt(sum / Math.max(1, to - from));
    }
}
