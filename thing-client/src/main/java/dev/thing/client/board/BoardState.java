package dev.thing.client.board;

import dev.thing.client.net.Reply;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Names;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.board.BoardShape;
import dev.thing.protocol.board.BoardTiming;
import dev.thing.protocol.board.Cells;
import dev.thing.protocol.board.Instrument;
import dev.thing.protocol.board.Mix;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The lobby's board as this client knows it, kept from the server's {@code EVENT BOARD} lines (the client runs with
 * EVENTS on, and a joiner is sent the whole board as events, RFC 10.9) and from a BOARD reply's data lines. It
 * starts as a new board is (16 x 8 at 120 bpm, stopped, OVER, piano and drums, seats free), so the events of a
 * joiner to an untouched board change nothing and say nothing. Thread-safe; readers get immutable snapshots.
 */
public final class BoardState {

    /** One track: its number (1 or 2), instrument, player (null: the seat is free) and rows, top row first. */
    public record Track(int number, Instrument instrument, String player, List<Cells> rows) {
        public Track {
            rows = List.copyOf(rows);
        }
    }

    /**
     * The whole board at one moment. {@code startUs} is the server instant the board loops from, null while it is
     * stopped.
     */
    public record Snapshot(BoardShape shape, int bpm, Long startUs, Mix mix, List<Track> tracks) {
        public Snapshot {
            tracks = List.copyOf(tracks);
        }

        public boolean playing() {
            return startUs != null;
        }

        public Track track(int number) {
            return tracks.get(number - 1);
        }

        /** The column (0-based) sounding at server instant {@code serverNowUs}, or -1 when none does. */
        public int columnAt(long serverNowUs) {
            if (startUs == null) {
                return -1;
            }
            long step = BoardTiming.stepAt(startUs, bpm, serverNowUs);
            return step < 0 ? -1 : (int) (step % shape.columns());
        }

        /** The seat {@code username} holds (1 or 2), or 0. */
        public int seatOf(String username) {
            for (Track t : tracks) {
                if (t.player() != null && Names.key(t.player()).equals(Names.key(username))) {
                    return t.number();
                }
            }
            return 0;
        }
    }

    private final String username;
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private BoardShape shape = BoardShape.DEFAULT;
    private int bpm = BoardShape.DEFAULT_BPM;
    private Long startUs;
    private Mix mix = Mix.OVER;
    private final Instrument[] instruments = {Instrument.defaultFor(1), Instrument.defaultFor(2)};
    private final String[] players = new String[BoardShape.TRACKS];
    private final Cells[][] rows = new Cells[BoardShape.TRACKS][];

    /** @param username this client's name, so that its own seat is told as "you" */
    public BoardState(String username) {
        this.username = username;
        for (int t = 0; t < BoardShape.TRACKS; t++) {
            rows[t] = emptyRows(shape);
        }
    }

    /** Calls {@code listener} with the new snapshot after every change (on the thread that made it). */
    public void onChange(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }

    public synchronized Snapshot snapshot() {
        List<Track> tracks = new ArrayList<>();
        for (int t = 0; t < BoardShape.TRACKS; t++) {
            tracks.add(new Track(t + 1, instruments[t], players[t], List.of(rows[t])));
        }
        return new Snapshot(shape, bpm, startUs, mix, tracks);
    }

    /**
     * Takes one {@code EVENT BOARD} line. Returns what a person should be told of it, if anything: a seat taken or
     * given back, an instrument, tempo, size or mix changed, the board started or stopped. A row's change is not
     * told (a CLEAR alone would be sixteen lines); {@code board} shows it. An event that changes nothing says nothing.
     */
    public Optional<String> absorb(ServerMessage.BoardEvent event) {
        Optional<String> notice;
        Snapshot after;
        synchronized (this) {
            notice = apply(event);
            if (notice == null) {
                return Optional.empty();
            }
            after = snapshot();
        }
        for (Consumer<Snapshot> l : listeners) {
            l.accept(after);
        }
        return notice;
    }

    /** Takes a BOARD reply's data lines: the whole board as the server has it. */
    public void absorb(Reply reply) {
        if (!reply.ok() || !reply.isFor(ClientMessage.Board.class)
                || reply.data(ServerMessage.BoardLine.class).isEmpty()) {
            return;
        }
        Snapshot after;
        synchronized (this) {
            ServerMessage.BoardLine b = reply.data(ServerMessage.BoardLine.class).get(0);
            shape = b.shape();
            bpm = b.bpm();
            startUs = b.startUs();
            mix = b.mix();
            rows[0] = emptyRows(shape);
            rows[1] = emptyRows(shape);
            for (ServerMessage.TrackLine t : reply.data(ServerMessage.TrackLine.class)) {
                instruments[t.track() - 1] = t.instrument();
                players[t.track() - 1] = t.player();
            }
            for (ServerMessage.RowLine r : reply.data(ServerMessage.RowLine.class)) {
                setRow(r.track(), r.row(), r.cells());
            }
            after = snapshot();
        }
        for (Consumer<Snapshot> l : listeners) {
            l.accept(after);
        }
    }

    /** Applies an event; null when it changed nothing, else the (possibly empty) notice. */
    private Optional<String> apply(ServerMessage.BoardEvent event) {
        if (event instanceof ServerMessage.BoardSizeEvent e) {
            if (e.shape().equals(shape)) {
                return null;
            }
            shape = e.shape();
            for (int t = 0; t < BoardShape.TRACKS; t++) {
                Cells[] resized = emptyRows(shape);
                for (int r = 0; r < Math.min(rows[t].length, resized.length); r++) {
                    resized[r] = rows[t][r].resize(shape.columns());
                }
                rows[t] = resized;
            }
            return Optional.of("the board is now " + shape.columns() + " columns by " + shape.rows() + " rows");
        }
        if (event instanceof ServerMessage.BoardTempoEvent e) {
            if (e.bpm() == bpm) {
                return null;
            }
            bpm = e.bpm();
            return Optional.of("the board's tempo is now " + bpm + " bpm");
        }
        if (event instanceof ServerMessage.BoardMixEvent e) {
            if (e.mix() == mix) {
                return null;
            }
            mix = e.mix();
            return Optional.of(mix == Mix.OVER ? "the board now plays over the song"
                    : "the board now plays instead of the song (the song is muted while the board plays)");
        }
        if (event instanceof ServerMessage.BoardTrackEvent e) {
            return track(e);
        }
        if (event instanceof ServerMessage.BoardRowEvent e) {
            if (e.row() > shape.rows() || e.cells().length() != shape.columns()) {
                // A row that does not fit the board as we know it: kept out rather than guessed at.
                return null;
            }
            if (e.cells().equals(rows[e.track() - 1][e.row() - 1])) {
                return null;
            }
            setRow(e.track(), e.row(), e.cells());
            return Optional.empty();
        }
        if (event instanceof ServerMessage.BoardStartEvent e) {
            if (startUs != null && startUs == e.startUs()) {
                return null;
            }
            startUs = e.startUs();
            return Optional.of("the board plays at " + bpm + " bpm (" + (mix == Mix.OVER ? "over the song"
                    : "instead of the song") + "); 'board' shows it");
        }
        if (event instanceof ServerMessage.BoardStopEvent) {
            if (startUs == null) {
                return null;
            }
            startUs = null;
            return Optional.of("the board stopped");
        }
        return null;
    }

    private Optional<String> track(ServerMessage.BoardTrackEvent e) {
        int t = e.track() - 1;
        String before = players[t];
        Instrument instrumentBefore = instruments[t];
        if (e.instrument().equals(instrumentBefore) && java.util.Objects.equals(e.player(), before)) {
            return null;
        }
        players[t] = e.player();
        instruments[t] = e.instrument();
        List<String> said = new ArrayList<>();
        if (!java.util.Objects.equals(e.player(), before)) {
            if (before != null) {
                said.add(who(before) + " left seat " + e.track());
            }
            if (e.player() != null) {
                said.add(who(e.player()) + " took seat " + e.track() + " (" + e.instrument() + ")");
            }
        }
        if (!e.instrument().equals(instrumentBefore)) {
            said.add("track " + e.track() + " now plays " + describe(e.instrument()));
        }
        return Optional.of(String.join("; ", said));
    }

    private String who(String player) {
        return Names.key(player).equals(Names.key(username)) ? "you" : player;
    }

    /** "organ", "gm12 (General MIDI program 12)", "drums". */
    public static String describe(Instrument instrument) {
        if (instrument.drums() || Instrument.NAMED.containsKey(instrument.name().toLowerCase(Locale.ROOT))) {
            return instrument.name();
        }
        return instrument.name() + " (General MIDI program " + instrument.program() + ")";
    }

    private void setRow(int track, int row, Cells cells) {
        if (row >= 1 && row <= shape.rows() && cells.length() == shape.columns()) {
            rows[track - 1][row - 1] = cells;
        }
    }

    private static Cells[] emptyRows(BoardShape shape) {
        Cells[] out = new Cells[shape.rows()];
        java.util.Arrays.fill(out, Cells.empty(shape.columns()));
        return out;
    }
}
