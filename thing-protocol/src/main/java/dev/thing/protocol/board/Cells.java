package dev.thing.protocol.board;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One row of a track: a cell per column, each a base-36 digit. {@code 0} is a rest; a note of duration d is the
 * run of cells 1, 2, ..., d, so {@code 1230} is a note of three beats then a rest and {@code 1212} two notes of
 * two. Every run starts at 1 and goes up by exactly 1; anything else is refused, naming the cell. Upper case is
 * read, lower case is written. Immutable.
 */
public final class Cells {
    /** The longest note one run can hold ({@code z}); a longer sound is written as several notes. */
    public static final int MAX_DURATION = 35;
    private static final String DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

    /** A note in a row: its first column (0-based) and how many columns it lasts. */
    public record Note(int start, int duration) {
    }

    private final byte[] values;

    private Cells(byte[] values) {
        this.values = values;
    }

    /** A row of rests. */
    public static Cells empty(int columns) {
        if (columns < BoardShape.MIN_COLUMNS || columns > BoardShape.MAX_COLUMNS) {
            throw new IllegalArgumentException("no row has " + columns + " cells");
        }
        return new Cells(new byte[columns]);
    }

    /** A row of this width with these notes; notes must not overlap, fit the row, and last 1..35 columns. */
    public static Cells of(int columns, List<Note> notes) {
        byte[] values = empty(columns).values.clone();
        for (Note note : notes) {
            if (note.duration() < 1 || note.duration() > MAX_DURATION || note.start() < 0
                    || note.start() + note.duration() > columns) {
                throw new IllegalArgumentException("note " + note + " does not fit a row of " + columns);
            }
            for (int i = 0; i < note.duration(); i++) {
                if (values[note.start() + i] != 0) {
                    throw new IllegalArgumentException("note " + note + " overlaps another");
                }
                values[note.start() + i] = (byte) (i + 1);
            }
        }
        return new Cells(values);
    }

    /**
     * Reads a row of any width the board allows (1..64 cells), checking each digit and the run rule; the width of
     * a particular board is checked by {@link BoardShape#requireWidth}.
     */
    public static Cells parse(String text) throws ProtocolException {
        if (text.length() < BoardShape.MIN_COLUMNS || text.length() > BoardShape.MAX_COLUMNS) {
            throw new ProtocolException(ErrorCode.SYNTAX, "row needs " + BoardShape.MIN_COLUMNS + ".."
                    + BoardShape.MAX_COLUMNS + " cells, got " + text.length());
        }
        byte[] values = new byte[text.length()];
        int previous = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int value = digit(c);
            if (value < 0) {
                throw new ProtocolException(ErrorCode.SYNTAX, "cell " + (i + 1) + " is " + shown(c)
                        + " but a cell is a digit 0-9 or a letter a-z");
            }
            if (value != 0 && value != 1 && value != previous + 1) {
                throw new ProtocolException(ErrorCode.SYNTAX, "cell " + (i + 1) + " is " + shown(c) + " but "
                        + expected(i, previous));
            }
            values[i] = (byte) value;
            previous = value;
        }
        return new Cells(values);
    }

    /** {@link #parse(String)} plus the board's width. */
    public static Cells parse(String text, int columns) throws ProtocolException {
        Cells cells = parse(text);
        if (cells.length() != columns) {
            throw new ProtocolException(ErrorCode.SYNTAX, "row needs " + columns + " cells, got " + cells.length());
        }
        return cells;
    }

    private static String expected(int index, int previous) {
        if (index == 0) {
            return "a row starts with \"0\" (a rest) or \"1\" (a note starts)";
        }
        if (previous == 0) {
            return "after a rest comes \"0\" (a rest) or \"1\" (a note starts)";
        }
        if (previous == MAX_DURATION) {
            return "a note lasts at most " + MAX_DURATION + " beats: after \"z\" comes \"0\" (a rest) or \"1\" "
                    + "(a new note)";
        }
        return "a note there must continue with \"" + DIGITS.charAt(previous + 1) + "\", or \"1\" starts a new "
                + "note, or \"0\" rests";
    }

    /** An ASCII base-36 digit's value, or -1 (Character.digit would also take other scripts' digits). */
    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String shown(char c) {
        return c >= 0x21 && c < 0x7f && c != '"' ? "\"" + c + "\"" : String.format("U+%04X", (int) c);
    }

    public int length() {
        return values.length;
    }

    /** The value (0..35) of a column, 0-based. */
    public int value(int column) {
        return values[column];
    }

    public boolean isEmpty() {
        for (byte v : values) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    /** The notes of the row, left to right. */
    public List<Note> notes() {
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == 1) {
                int d = 1;
                while (i + d < values.length && values[i + d] == d + 1) {
                    d++;
                }
                notes.add(new Note(i, d));
            }
        }
        return notes;
    }

    /**
     * The row at another width: cut (a cut run is a prefix of a run, so it stays valid; the note just ends at
     * the new edge) or padded with rests.
     */
    public Cells resize(int columns) {
        Cells out = empty(columns);
        System.arraycopy(values, 0, out.values, 0, Math.min(columns, values.length));
        return out;
    }

    /** The wire form: one lower-case base-36 digit per column. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(values.length);
        for (byte v : values) {
            s.append(DIGITS.charAt(v));
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cells other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }
}
