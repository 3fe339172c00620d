package dev.thing.protocol.board;

/**
 * What each row plays. On a melodic track row r of m rows (1 is the top line) is the C-major scale degree
 * m - r counted up from C4 (MIDI key 60): the bottom row is C4, the one above D4, then E4, F4, G4, A4, B4, C5 and
 * so on. On the drum track row r is the General MIDI percussion key {@code DRUM_KEYS[r - 1]}. Every note has
 * velocity {@link #VELOCITY} and sounds for as many columns as it lasts.
 */
public final class BoardPitch {
    public static final int VELOCITY = 100;
    /** Middle C, the bottom row of a melodic track. */
    public static final int BOTTOM_KEY = 60;
    /** The major scale's steps above the octave's C. */
    private static final int[] MAJOR = {0, 2, 4, 5, 7, 9, 11};
    /**
     * Kick, snare, closed hat, open hat, low tom, high tom, crash, ride, clap, rim, cowbell, tambourine, low conga,
     * high conga, maracas, claves: one per row, top row first.
     */
    private static final int[] DRUM_KEYS = {36, 38, 42, 46, 45, 48, 49, 51, 39, 37, 56, 54, 64, 63, 70, 75};
    /** The zero-based MIDI channel of the GM percussion (channel 10 counted from 1). */
    public static final int DRUM_CHANNEL = 9;

    private BoardPitch() {
    }

    /** The MIDI key row {@code row} (1-based, 1 at the top) of a {@code rows}-row board plays on this instrument. */
    public static int key(Instrument instrument, int row, int rows) {
        if (rows < BoardShape.MIN_ROWS || rows > BoardShape.MAX_ROWS || row < 1 || row > rows) {
            throw new IllegalArgumentException("no row " + row + " of " + rows);
        }
        if (instrument.drums()) {
            return DRUM_KEYS[row - 1];
        }
        int degree = rows - row;
        return BOTTOM_KEY + 12 * (degree / MAJOR.length) + MAJOR[degree % MAJOR.length];
    }

    /** The drum key of row {@code row} (1-based) on the drum track. */
    public static int drumKey(int row) {
        return DRUM_KEYS[row - 1];
    }
}
