package dev.thing.server.party;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Names;
import dev.thing.protocol.ProtocolException;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.board.BoardShape;
import dev.thing.protocol.board.Cells;
import dev.thing.protocol.board.Instrument;
import dev.thing.protocol.board.Mix;
import dev.thing.server.ThingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A lobby's board (seed 001): two tracks, each an instrument and a grid of rows by columns, at most one player per
 * track, a tempo, and a loop that plays from a server instant. Every change is checked in full before anything
 * is touched, so a refused command leaves the board as it was; each change returns the events and the notice it
 * sends. Not thread-safe: the lobby calls it under its lock.
 */
public final class Board {
    /** Who is asking: their name and whether they are the lobby's staff (admin, moderator, or an operator). */
    public record Actor(String username, boolean staff) {
    }

    private BoardShape shape = BoardShape.DEFAULT;
    private int bpm = BoardShape.DEFAULT_BPM;
    private Mix mix = Mix.OVER;
    private final Instrument[] instruments = {Instrument.defaultFor(1), Instrument.defaultFor(2)};
    private final String[] players = new String[BoardShape.TRACKS];
    private final Cells[][] rows = new Cells[BoardShape.TRACKS][];
    /** The loop's start instant in microseconds since the epoch while playing, else null. */
    private Long startUs;

    public Board() {
        for (int t = 0; t < BoardShape.TRACKS; t++) {
            rows[t] = emptyRows(shape);
        }
    }

    // ---- reading ----

    public BoardShape shape() {
        return shape;
    }

    public int bpm() {
        return bpm;
    }

    public Mix mix() {
        return mix;
    }

    public boolean playing() {
        return startUs != null;
    }

    /** The start instant while playing. */
    public Long startUs() {
        return startUs;
    }

    public Instrument instrument(int track) {
        return instruments[track - 1];
    }

    /** The player of a track, or null while its seat is free. */
    public String player(int track) {
        return players[track - 1];
    }

    public Cells row(int track, int row) {
        return rows[track - 1][row - 1];
    }

    /** The data lines of a BOARD reply. */
    public List<ServerMessage> lines() {
        List<ServerMessage> lines = new ArrayList<>();
        lines.add(new ServerMessage.BoardLine(shape, bpm, startUs, mix));
        for (int t = 1; t <= BoardShape.TRACKS; t++) {
            lines.add(new ServerMessage.TrackLine(t, instrument(t), player(t)));
        }
        for (int t = 1; t <= BoardShape.TRACKS; t++) {
            for (int r = 1; r <= shape.rows(); r++) {
                lines.add(new ServerMessage.RowLine(t, r, row(t, r)));
            }
        }
        return lines;
    }

    /** The whole board as events, for a program that just joined: SIZE, TEMPO, MIX, both TRACKs, every ROW, START. */
    public List<ServerMessage.BoardEvent> snapshot() {
        List<ServerMessage.BoardEvent> events = new ArrayList<>();
        events.add(new ServerMessage.BoardSizeEvent(shape));
        events.add(new ServerMessage.BoardTempoEvent(bpm));
        events.add(new ServerMessage.BoardMixEvent(mix));
        for (int t = 1; t <= BoardShape.TRACKS; t++) {
            events.add(trackEvent(t));
        }
        events.addAll(allRows());
        if (startUs != null) {
            events.add(new ServerMessage.BoardStartEvent(startUs));
        }
        return events;
    }

    // ---- seats ----

    /** {@code BOARD JOIN [track]}: takes that seat, or the first free one. */
    public BoardOutcome join(Actor actor, Integer track) {
        int held = seatOf(actor.username());
        if (held != 0) {
            throw refused("you already hold seat " + held);
        }
        int seat;
        if (track == null) {
            seat = players[0] == null ? 1 : players[1] == null ? 2 : 0;
            if (seat == 0) {
                throw refused("both seats are taken (" + players[0] + ", " + players[1] + ")");
            }
        } else {
            seat = track;
            if (players[seat - 1] != null) {
                throw refused("seat " + seat + " is taken by " + players[seat - 1]);
            }
        }
        players[seat - 1] = actor.username();
        return new BoardOutcome(List.of(trackEvent(seat)),
                actor.username() + " took seat " + seat + " (" + instrument(seat) + ")");
    }

    /** {@code BOARD LEAVE}. */
    public BoardOutcome leave(Actor actor) {
        int held = seatOf(actor.username());
        if (held == 0) {
            throw refused("you hold no seat on the board");
        }
        players[held - 1] = null;
        return new BoardOutcome(List.of(trackEvent(held)), actor.username() + " left seat " + held);
    }

    /** A member left the lobby: their seat, if any, is free again. */
    public BoardOutcome memberLeft(String username) {
        int held = seatOf(username);
        if (held == 0) {
            return BoardOutcome.NONE;
        }
        players[held - 1] = null;
        return new BoardOutcome(List.of(trackEvent(held)), "seat " + held + " is free: " + username + " left");
    }

    // ---- the grid ----

    /** {@code BOARD SET <track> <row> <cells>}: the track's player only. */
    public BoardOutcome set(Actor actor, int track, int row, Cells cells) {
        requirePlayer(actor, track);
        check(() -> shape.requireRow(row));
        check(() -> shape.requireWidth(cells));
        rows[track - 1][row - 1] = cells;
        return new BoardOutcome(List.of(new ServerMessage.BoardRowEvent(track, row, cells)),
                actor.username() + " set track " + track + " row " + row + ": " + cells);
    }

    /**
     * {@code BOARD CLEAR [track]}: a player clears their own track, staff any track; with no track, staff clear
     * both and a player their own.
     */
    public BoardOutcome clear(Actor actor, Integer track) {
        List<Integer> tracks;
        if (track != null) {
            if (!actor.staff()) {
                requirePlayer(actor, track);
            }
            tracks = List.of(track);
        } else if (actor.staff()) {
            tracks = List.of(1, 2);
        } else {
            int held = seatOf(actor.username());
            if (held == 0) {
                throw refused("you hold no seat; BOARD JOIN first (staff may clear any track)");
            }
            tracks = List.of(held);
        }
        List<ServerMessage.BoardEvent> events = new ArrayList<>();
        for (int t : tracks) {
            rows[t - 1] = emptyRows(shape);
            for (int r = 1; r <= shape.rows(); r++) {
                events.add(new ServerMessage.BoardRowEvent(t, r, row(t, r)));
            }
        }
        return new BoardOutcome(events, actor.username() + " cleared "
                + (tracks.size() == 2 ? "the board" : "track " + tracks.get(0)));
    }

    // ---- settings ----

    /** {@code BOARD TEMPO <bpm>}: staff or a player; a playing board starts over from column 0. */
    public BoardOutcome tempo(Actor actor, int newBpm, long nowUs, long leadUs) {
        requireControl(actor, "TEMPO");
        check(() -> BoardShape.requireBpm(newBpm));
        bpm = newBpm;
        List<ServerMessage.BoardEvent> events = new ArrayList<>(List.of(new ServerMessage.BoardTempoEvent(bpm)));
        reanchor(events, nowUs, leadUs);
        return new BoardOutcome(events, actor.username() + " set the board's tempo to " + bpm + " bpm");
    }

    /**
     * {@code BOARD SIZE <columns> <rows>}: rows are cut or padded with rests, rows past the new count dropped, new
     * rows empty. The events are SIZE then every row (then START when it plays).
     */
    public BoardOutcome size(Actor actor, BoardShape newShape, long nowUs, long leadUs) {
        requireControl(actor, "SIZE");
        for (int t = 0; t < BoardShape.TRACKS; t++) {
            Cells[] resized = emptyRows(newShape);
            for (int r = 0; r < Math.min(newShape.rows(), shape.rows()); r++) {
                resized[r] = rows[t][r].resize(newShape.columns());
            }
            rows[t] = resized;
        }
        shape = newShape;
        List<ServerMessage.BoardEvent> events = new ArrayList<>(List.of(new ServerMessage.BoardSizeEvent(shape)));
        events.addAll(allRows());
        reanchor(events, nowUs, leadUs);
        return new BoardOutcome(events, actor.username() + " made the board " + shape.columns() + " columns by "
                + shape.rows() + " rows");
    }

    /** {@code BOARD INSTRUMENT <track> <name>}: staff or a player. */
    public BoardOutcome instrument(Actor actor, int track, Instrument instrument) {
        requireControl(actor, "INSTRUMENT");
        instruments[track - 1] = instrument;
        return new BoardOutcome(List.of(trackEvent(track)),
                actor.username() + " set track " + track + " to " + instrument);
    }

    /** {@code BOARD MIX OVER|INSTEAD}: staff only. */
    public BoardOutcome mix(Actor actor, Mix newMix) {
        if (!actor.staff()) {
            throw refused("BOARD MIX is for the admin and moderators");
        }
        mix = newMix;
        return new BoardOutcome(List.of(new ServerMessage.BoardMixEvent(mix)), actor.username()
                + (mix == Mix.OVER ? " set the board to play over the song"
                : " set the board to play instead of the song (the song is muted while the board plays)"));
    }

    // ---- playback ----

    /** {@code BOARD START}: loops from {@code now + lead}, column 0 (a playing board starts over). */
    public BoardOutcome start(Actor actor, long nowUs, long leadUs) {
        requireControl(actor, "START");
        startUs = nowUs + leadUs;
        return new BoardOutcome(List.of(new ServerMessage.BoardStartEvent(startUs)),
                actor.username() + " started the board at " + bpm + " bpm");
    }

    /** {@code BOARD STOP}: a stopped board stays stopped, and nobody is told. */
    public BoardOutcome stop(Actor actor) {
        requireControl(actor, "STOP");
        if (startUs == null) {
            return BoardOutcome.NONE;
        }
        startUs = null;
        return new BoardOutcome(List.of(new ServerMessage.BoardStopEvent()), actor.username() + " stopped the board");
    }

    // ---- helpers ----

    private void reanchor(List<ServerMessage.BoardEvent> events, long nowUs, long leadUs) {
        if (startUs != null) {
            startUs = nowUs + leadUs;
            events.add(new ServerMessage.BoardStartEvent(startUs));
        }
    }

    private List<ServerMessage.BoardEvent> allRows() {
        List<ServerMessage.BoardEvent> events = new ArrayList<>();
        for (int t = 1; t <= BoardShape.TRACKS; t++) {
            for (int r = 1; r <= shape.rows(); r++) {
                events.add(new ServerMessage.BoardRowEvent(t, r, row(t, r)));
            }
        }
        return events;
    }

    private ServerMessage.BoardTrackEvent trackEvent(int track) {
        return new ServerMessage.BoardTrackEvent(track, instrument(track), player(track));
    }

    private static Cells[] emptyRows(BoardShape shape) {
        Cells[] out = new Cells[shape.rows()];
        java.util.Arrays.fill(out, Cells.empty(shape.columns()));
        return out;
    }

    /** The seat (1 or 2) this name holds, or 0. */
    private int seatOf(String username) {
        String key = Names.key(username);
        for (int t = 0; t < BoardShape.TRACKS; t++) {
            if (players[t] != null && Names.key(players[t]).equals(key)) {
                return t + 1;
            }
        }
        return 0;
    }

    private void requirePlayer(Actor actor, int track) {
        check(() -> BoardShape.requireTrack(track));
        String player = players[track - 1];
        if (player == null) {
            throw refused("track " + track + " has no player; BOARD JOIN " + track + " first");
        }
        if (!Names.key(player).equals(Names.key(actor.username()))) {
            throw refused("track " + track + " is played by " + player);
        }
    }

    private void requireControl(Actor actor, String what) {
        if (!actor.staff() && seatOf(actor.username()) == 0) {
            throw refused("BOARD " + what + " is for the admin, moderators and the board's two players; "
                    + "BOARD JOIN to play");
        }
    }

    private static ThingException refused(String text) {
        return new ThingException(ErrorCode.NOT_ALLOWED, text);
    }

    @FunctionalInterface
    private interface Check {
        Object run() throws ProtocolException;
    }

    private static void check(Check check) {
        try {
            check.run();
        } catch (ProtocolException e) {
            throw new ThingException(e.code(), e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "Board[" + shape.columns() + "x" + shape.rows() + " " + bpm + " bpm "
                + (playing() ? "playing" : "stopped") + " " + mix.name().toLowerCase(Locale.ROOT) + "]";
    }
}
