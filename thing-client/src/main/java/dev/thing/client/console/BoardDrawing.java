package dev.thing.client.console;

import dev.thing.client.board.BoardState;
import dev.thing.protocol.board.BoardPitch;
import dev.thing.protocol.board.Cells;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The board for a terminal, in the digit form of the board's first description (one line per row, a base-36 digit
 * per column between bars, {@code 0} a rest, {@code 1234} a note of four beats): for each track a header with its
 * instrument and player, a ruler numbering every fourth column, then its rows, top row first, each labelled with
 * its number and the sound it plays ({@code C4}, {@code kick}). While the board plays, the column sounding when it
 * is drawn is marked by a {@code ^} line under the rows, and (where the terminal can) shown in inverse video.
 *
 * <p>A row takes {@link #LABEL} + columns + 1 characters: 27 for 16 columns, 75 for the widest board (64 columns),
 * so every board fits an 80-column terminal. On a narrower one the columns are drawn in pages of a multiple of 8
 * that fits, one below the other, each with its own ruler.
 */
public final class BoardDrawing {
    /** The characters before a row's first cell: {@code "12 kick  |"}. */
    static final int LABEL = 10;
    private static final String[] NOTE_NAMES = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
    private static final Map<Integer, String> DRUM_NAMES = Map.ofEntries(Map.entry(36, "kick"),
            Map.entry(38, "snare"), Map.entry(42, "hat"), Map.entry(46, "ohat"), Map.entry(45, "ltom"),
            Map.entry(48, "htom"), Map.entry(49, "crash"), Map.entry(51, "ride"), Map.entry(39, "clap"),
            Map.entry(37, "rim"), Map.entry(56, "bell"), Map.entry(54, "tamb"), Map.entry(64, "lcnga"),
            Map.entry(63, "hcnga"), Map.entry(70, "marac"), Map.entry(75, "clave"));

    /**
     * One line of the drawing; {@code [highlightFrom, highlightTo)} is the part to show highlighted (the playing
     * column), empty when {@code highlightFrom} is -1.
     */
    public record Line(String text, int highlightFrom, int highlightTo) {
        static Line plain(String text) {
            return new Line(text, -1, -1);
        }

        public boolean highlighted() {
            return highlightFrom >= 0;
        }
    }

    private BoardDrawing() {
    }

    /**
     * Draws {@code board} for a terminal {@code width} columns wide (0: any width), marking the column that sounds
     * at server instant {@code serverNowUs}; {@code me} is this client's username (its seat is "you").
     */
    public static List<Line> draw(BoardState.Snapshot board, long serverNowUs, String me, int width) {
        List<Line> out = new ArrayList<>();
        int columns = board.shape().columns();
        int playing = board.columnAt(serverNowUs);
        StringBuilder head = new StringBuilder("board: ").append(columns).append(" x ").append(board.shape().rows())
                .append(" at ").append(board.bpm()).append(" bpm, ");
        if (board.playing()) {
            head.append("playing ").append(board.mix() == dev.thing.protocol.board.Mix.OVER ? "over" : "instead of")
                    .append(" the song");
            if (playing >= 0) {
                head.append(", beat ").append(playing + 1).append(" of ").append(columns);
            } else {
                head.append(", starting in a moment");
            }
        } else {
            head.append("stopped (mix ").append(board.mix().name().toLowerCase(java.util.Locale.ROOT)).append(')');
        }
        out.add(Line.plain(head.toString()));
        int page = pageWidth(columns, width);
        for (BoardState.Track t : board.tracks()) {
            String seat = t.player() == null ? "seat free ('board join " + t.number() + "' takes it)"
                    : "played by " + (dev.thing.protocol.Names.key(t.player()).equals(dev.thing.protocol.Names.key(me))
                    ? "you" : t.player());
            out.add(Line.plain("track " + t.number() + ": " + BoardState.describe(t.instrument()) + ", " + seat));
            for (int from = 0; from < columns; from += page) {
                int to = Math.min(columns, from + page);
                out.add(Line.plain(ruler(from, to)));
                for (int r = 0; r < t.rows().size(); r++) {
                    out.add(row(t, r, from, to, playing));
                }
                if (playing >= from && playing < to) {
                    out.add(Line.plain(" ".repeat(LABEL + playing - from) + "^"));
                }
            }
        }
        return out;
    }

    /** How many columns one page shows: all of them when they fit, else the largest multiple of 8 that does. */
    static int pageWidth(int columns, int width) {
        if (width <= 0 || LABEL + columns + 1 <= width) {
            return columns;
        }
        return Math.max(8, (width - LABEL - 1) / 8 * 8);
    }

    private static Line row(BoardState.Track t, int r, int from, int to, int playing) {
        Cells cells = t.rows().get(r);
        String label = String.format(java.util.Locale.ROOT, "%2d %-5s |", r + 1, sound(t, r));
        String text = label + cells.toString().substring(from, to) + (to == cells.length() ? "|" : ">");
        if (playing >= from && playing < to) {
            int at = LABEL + playing - from;
            return new Line(text, at, at + 1);
        }
        return Line.plain(text);
    }

    /** What a row plays, in at most five characters: a note name (C4, D4 ...) or a drum (kick, snare ...). */
    static String sound(BoardState.Track t, int r) {
        int key = BoardPitch.key(t.instrument(), r + 1, t.rows().size());
        if (t.instrument().drums()) {
            return DRUM_NAMES.getOrDefault(key, Integer.toString(key));
        }
        return NOTE_NAMES[key % 12] + (key / 12 - 1);
    }

    /** Column numbers above every fourth column: {@code 1   5   9   13  }. */
    private static String ruler(int from, int to) {
        StringBuilder s = new StringBuilder(" ".repeat(LABEL));
        for (int c = from; c < to; c++) {
            if (c % 4 == 0 && s.length() <= LABEL + c - from) {
                s.append(c + 1);
            } else if (s.length() <= LABEL + c - from) {
                s.append(' ');
            }
        }
        return s.toString().stripTrailing();
    }
}
