package dev.thing.protocol.board;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Names;
import dev.thing.protocol.ProtocolException;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.ServerMessage.BoardEvent;
import java.util.List;
import java.util.Locale;

/**
 * The server's board lines, both ways: the data lines of a BOARD reply ({@code BOARD}, {@code TRACK},
 * {@code ROW}) and the {@code EVENT BOARD ...} lines. The message parser and writer hand these over here.
 */
public final class BoardLines {
    private BoardLines() {
    }

    /** {@code BOARD <columns> <rows> <bpm> STOPPED <mix>} or {@code ... PLAYING <start-us> <mix>}. */
    public static ServerMessage.BoardLine boardLine(List<String> a) throws ProtocolException {
        if (a.size() < 5) {
            throw usage("BOARD <columns> <rows> <bpm> STOPPED|PLAYING <start-us> OVER|INSTEAD");
        }
        BoardShape shape = BoardShape.of(number(a.get(0)), number(a.get(1)));
        int bpm = BoardShape.requireBpm(number(a.get(2)));
        String state = a.get(3).toUpperCase(Locale.ROOT);
        if (state.equals("STOPPED") && a.size() == 5) {
            return new ServerMessage.BoardLine(shape, bpm, null, mix(a.get(4)));
        }
        if (state.equals("PLAYING") && a.size() == 6) {
            return new ServerMessage.BoardLine(shape, bpm, longNumber(a.get(4)), mix(a.get(5)));
        }
        throw usage("BOARD <columns> <rows> <bpm> STOPPED|PLAYING <start-us> OVER|INSTEAD");
    }

    /** {@code TRACK <track> <instrument> <player|->}. */
    public static ServerMessage.TrackLine trackLine(List<String> a) throws ProtocolException {
        arity(a, 3, "TRACK <track> <instrument> <player|->");
        return new ServerMessage.TrackLine(BoardShape.requireTrack(number(a.get(0))), Instrument.parse(a.get(1)),
                player(a.get(2)));
    }

    /** {@code ROW <track> <row> <cells>}. */
    public static ServerMessage.RowLine rowLine(List<String> a) throws ProtocolException {
        arity(a, 3, "ROW <track> <row> <cells>");
        return new ServerMessage.RowLine(BoardShape.requireTrack(number(a.get(0))), row(a.get(1)),
                Cells.parse(a.get(2)));
    }

    /** The tokens after {@code EVENT BOARD}. */
    public static BoardEvent event(List<String> args) throws ProtocolException {
        if (args.isEmpty()) {
            throw usage("EVENT BOARD SIZE|TEMPO|TRACK|ROW|MIX|START|STOP ...");
        }
        String kind = args.get(0).toUpperCase(Locale.ROOT);
        List<String> a = args.subList(1, args.size());
        switch (kind) {
            case "SIZE":
                arity(a, 2, "EVENT BOARD SIZE <columns> <rows>");
                return new ServerMessage.BoardSizeEvent(BoardShape.of(number(a.get(0)), number(a.get(1))));
            case "TEMPO":
                arity(a, 1, "EVENT BOARD TEMPO <bpm>");
                return new ServerMessage.BoardTempoEvent(BoardShape.requireBpm(number(a.get(0))));
            case "TRACK": {
                ServerMessage.TrackLine t = trackLine(a);
                return new ServerMessage.BoardTrackEvent(t.track(), t.instrument(), t.player());
            }
            case "ROW": {
                ServerMessage.RowLine r = rowLine(a);
                return new ServerMessage.BoardRowEvent(r.track(), r.row(), r.cells());
            }
            case "MIX":
                arity(a, 1, "EVENT BOARD MIX OVER|INSTEAD");
                return new ServerMessage.BoardMixEvent(mix(a.get(0)));
            case "START":
                arity(a, 1, "EVENT BOARD START <start-us>");
                return new ServerMessage.BoardStartEvent(longNumber(a.get(0)));
            case "STOP":
                arity(a, 0, "EVENT BOARD STOP");
                return new ServerMessage.BoardStopEvent();
            default:
                throw new ProtocolException(ErrorCode.UNKNOWN_COMMAND, "unknown board event " + clip(kind));
        }
    }

    /** The line of a BOARD reply's data line, or null when the message is none. */
    public static String write(ServerMessage message) {
        if (message instanceof ServerMessage.BoardLine m) {
            return "BOARD " + m.shape().columns() + " " + m.shape().rows() + " " + m.bpm() + " "
                    + (m.playing() ? "PLAYING " + m.startUs() : "STOPPED") + " " + m.mix().name();
        }
        if (message instanceof ServerMessage.TrackLine m) {
            return "TRACK " + m.track() + " " + m.instrument().name() + " " + seat(m.player());
        }
        if (message instanceof ServerMessage.RowLine m) {
            return "ROW " + m.track() + " " + m.row() + " " + m.cells();
        }
        return null;
    }

    /** The tokens after {@code EVENT }, starting with {@code BOARD}. */
    public static String writeEvent(BoardEvent event) {
        if (event instanceof ServerMessage.BoardSizeEvent e) {
            return "BOARD SIZE " + e.shape().columns() + " " + e.shape().rows();
        }
        if (event instanceof ServerMessage.BoardTempoEvent e) {
            return "BOARD TEMPO " + e.bpm();
        }
        if (event instanceof ServerMessage.BoardTrackEvent e) {
            return "BOARD TRACK " + e.track() + " " + e.instrument().name() + " " + seat(e.player());
        }
        if (event instanceof ServerMessage.BoardRowEvent e) {
            return "BOARD ROW " + e.track() + " " + e.row() + " " + e.cells();
        }
        if (event instanceof ServerMessage.BoardMixEvent e) {
            return "BOARD MIX " + e.mix().name();
        }
        if (event instanceof ServerMessage.BoardStartEvent e) {
            return "BOARD START " + e.startUs();
        }
        return "BOARD STOP";
    }

    private static String seat(String player) {
        return player == null ? "-" : player;
    }

    private static String player(String token) throws ProtocolException {
        if (token.equals("-")) {
            return null;
        }
        Names.requireName("player", token);
        return token;
    }

    private static Mix mix(String token) throws ProtocolException {
        String mix = token.toUpperCase(Locale.ROOT);
        if (!mix.equals("OVER") && !mix.equals("INSTEAD")) {
            throw new ProtocolException(ErrorCode.SYNTAX, "mix must be OVER or INSTEAD, got " + clip(token));
        }
        return Mix.valueOf(mix);
    }

    private static int row(String token) throws ProtocolException {
        int row = number(token);
        if (row < 1 || row > BoardShape.MAX_ROWS) {
            throw new ProtocolException(ErrorCode.SYNTAX, "no row " + row + " on any board");
        }
        return row;
    }

    private static int number(String token) throws ProtocolException {
        if (!token.matches("-?[0-9]{1,9}")) {
            throw new ProtocolException(ErrorCode.SYNTAX, "expected a whole number, got " + clip(token));
        }
        return Integer.parseInt(token);
    }

    private static long longNumber(String token) throws ProtocolException {
        if (!token.matches("-?[0-9]{1,18}")) {
            throw new ProtocolException(ErrorCode.SYNTAX, "expected a whole number, got " + clip(token));
        }
        return Long.parseLong(token);
    }

    private static void arity(List<String> args, int count, String usage) throws ProtocolException {
        if (args.size() != count) {
            throw usage(usage);
        }
    }

    private static ProtocolException usage(String usage) {
        return new ProtocolException(ErrorCode.SYNTAX, "usage: " + usage);
    }

    private static String clip(String text) {
        String safe = Names.oneLine(text);
        return safe.length() > 40 ? safe.substring(0, 40) + "..." : safe;
    }
}
