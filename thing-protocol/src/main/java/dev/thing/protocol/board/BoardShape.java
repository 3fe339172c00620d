package dev.thing.protocol.board;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.ProtocolException;

/**
 * The bounds of a board: its width in columns (beats), its height in rows (sounds), its tempo, and its two
 * tracks. A record of one board's size, with the checks every side applies to a size, tempo or track number.
 */
public record BoardShape(int columns, int rows) {
    public static final int MIN_COLUMNS = 1;
    public static final int MAX_COLUMNS = 64;
    public static final int DEFAULT_COLUMNS = 16;
    public static final int MIN_ROWS = 1;
    public static final int MAX_ROWS = 16;
    public static final int DEFAULT_ROWS = 8;
    public static final int MIN_BPM = 30;
    public static final int MAX_BPM = 300;
    public static final int DEFAULT_BPM = 120;
    /** Tracks are numbered 1 and 2. */
    public static final int TRACKS = 2;
    public static final BoardShape DEFAULT = new BoardShape(DEFAULT_COLUMNS, DEFAULT_ROWS);

    public BoardShape {
        if (columns < MIN_COLUMNS || columns > MAX_COLUMNS || rows < MIN_ROWS || rows > MAX_ROWS) {
            throw new IllegalArgumentException("no board is " + columns + " x " + rows);
        }
    }

    /** A size as typed: each bound named in its own refusal. */
    public static BoardShape of(int columns, int rows) throws ProtocolException {
        requireColumns(columns);
        requireRows(rows);
        return new BoardShape(columns, rows);
    }

    public static int requireColumns(int columns) throws ProtocolException {
        if (columns < MIN_COLUMNS || columns > MAX_COLUMNS) {
            throw new ProtocolException(ErrorCode.SYNTAX,
                    "columns must be " + MIN_COLUMNS + ".." + MAX_COLUMNS + ", got " + columns);
        }
        return columns;
    }

    public static int requireRows(int rows) throws ProtocolException {
        if (rows < MIN_ROWS || rows > MAX_ROWS) {
            throw new ProtocolException(ErrorCode.SYNTAX, "rows must be " + MIN_ROWS + ".." + MAX_ROWS + ", got " + rows);
        }
        return rows;
    }

    public static int requireBpm(int bpm) throws ProtocolException {
        if (bpm < MIN_BPM || bpm > MAX_BPM) {
            throw new ProtocolException(ErrorCode.SYNTAX,
                    "tempo must be " + MIN_BPM + ".." + MAX_BPM + " beats per minute, got " + bpm);
        }
        return bpm;
    }

    public static int requireTrack(int track) throws ProtocolException {
        if (track < 1 || track > TRACKS) {
            throw new ProtocolException(ErrorCode.SYNTAX, "no track " + track + " (tracks are 1 and 2)");
        }
        return track;
    }

    /** A row of this board, or the refusal naming how many rows it has. */
    public int requireRow(int row) throws ProtocolException {
        if (row < 1 || row > rows) {
            throw new ProtocolException(ErrorCode.SYNTAX,
                    "no row " + row + " (the board has " + rows + (rows == 1 ? " row)" : " rows)"));
        }
        return row;
    }

    /** A row's cells for this board's width, or the refusal naming the count. */
    public Cells requireWidth(Cells cells) throws ProtocolException {
        if (cells.length() != columns) {
            throw new ProtocolException(ErrorCode.SYNTAX,
                    "row needs " + columns + " cells, got " + cells.length());
        }
        return cells;
    }
}
