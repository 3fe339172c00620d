package dev.thing.protocol.board;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.ProtocolException;
import java.util.List;
import java.util.Locale;

/**
 * What a {@code BOARD} line asks for: one record per subcommand. {@link #parse} reads the tokens after the verb,
 * {@link #args} writes them back. Bounds that do not depend on the board (track numbers, tempo, size,
 * instrument names, the run rule of cells) are checked here; those that do (the row count, the width) by the
 * server.
 */
public sealed interface BoardRequest {
    String USAGE = "BOARD [JOIN [1|2] | LEAVE | SET <track> <row> <cells> | CLEAR [<track>] | TEMPO <bpm> | "
            + "SIZE <columns> <rows> | INSTRUMENT <track> <name> | START | STOP | MIX OVER|INSTEAD]";

    /** {@code BOARD}: the whole board as data lines. */
    record Show() implements BoardRequest {
    }

    /** {@code BOARD JOIN [1|2]}: take that seat, or (track null) the first free one. */
    record Join(Integer track) implements BoardRequest {
    }

    /** {@code BOARD LEAVE}: give the seat back. */
    record Leave() implements BoardRequest {
    }

    /** {@code BOARD SET <track> <row> <cells>}: one row of a track. */
    record Set(int track, int row, Cells cells) implements BoardRequest {
    }

    /** {@code BOARD CLEAR [<track>]}: rests everywhere on a track (track null: see the RFC). */
    record Clear(Integer track) implements BoardRequest {
    }

    /** {@code BOARD TEMPO <bpm>}. */
    record Tempo(int bpm) implements BoardRequest {
    }

    /** {@code BOARD SIZE <columns> <rows>}. */
    record Size(BoardShape shape) implements BoardRequest {
    }

    /** {@code BOARD INSTRUMENT <track> <name>}. */
    record SetInstrument(int track, Instrument instrument) implements BoardRequest {
    }

    /** {@code BOARD START}: loop the board from a server instant. */
    record Start() implements BoardRequest {
    }

    /** {@code BOARD STOP}. */
    record Stop() implements BoardRequest {
    }

    /** {@code BOARD MIX OVER|INSTEAD}. */
    record SetMix(Mix mix) implements BoardRequest {
    }

    /** The tokens after {@code BOARD}. */
    static BoardRequest parse(List<String> args) throws ProtocolException {
        if (args.isEmpty()) {
            return new Show();
        }
        String sub = args.get(0).toUpperCase(Locale.ROOT);
        List<String> a = args.subList(1, args.size());
        switch (sub) {
            case "JOIN":
                arity(a, 0, 1, "BOARD JOIN [1|2]");
                return new Join(a.isEmpty() ? null : track(a.get(0)));
            case "LEAVE":
                arity(a, 0, 0, "BOARD LEAVE");
                return new Leave();
            case "SET":
                arity(a, 3, 3, "BOARD SET <track> <row> <cells>");
                return new Set(track(a.get(0)), row(a.get(1)), Cells.parse(a.get(2)));
            case "CLEAR":
                arity(a, 0, 1, "BOARD CLEAR [<track>]");
                return new Clear(a.isEmpty() ? null : track(a.get(0)));
            case "TEMPO":
                arity(a, 1, 1, "BOARD TEMPO <bpm>");
                return new Tempo(BoardShape.requireBpm(number(a.get(0), "tempo")));
            case "SIZE":
                arity(a, 2, 2, "BOARD SIZE <columns> <rows>");
                return new Size(BoardShape.of(number(a.get(0), "columns"), number(a.get(1), "rows")));
            case "INSTRUMENT":
                arity(a, 2, 2, "BOARD INSTRUMENT <track> <name>");
                return new SetInstrument(track(a.get(0)), Instrument.parse(a.get(1)));
            case "START":
                arity(a, 0, 0, "BOARD START");
                return new Start();
            case "STOP":
                arity(a, 0, 0, "BOARD STOP");
                return new Stop();
            case "MIX":
                arity(a, 1, 1, "BOARD MIX OVER|INSTEAD");
                String mix = a.get(0).toUpperCase(Locale.ROOT);
                if (!mix.equals("OVER") && !mix.equals("INSTEAD")) {
                    throw new ProtocolException(ErrorCode.SYNTAX, "usage: BOARD MIX OVER|INSTEAD");
                }
                return new SetMix(Mix.valueOf(mix));
            default:
                throw new ProtocolException(ErrorCode.SYNTAX, "no BOARD " + clip(args.get(0)) + "; usage: " + USAGE);
        }
    }

    /** The tokens after {@code BOARD}, as {@link #parse} reads them. */
    static List<String> args(BoardRequest request) {
        if (request instanceof Join m) {
            return m.track() == null ? List.of("JOIN") : List.of("JOIN", m.track().toString());
        }
        if (request instanceof Set m) {
            return List.of("SET", Integer.toString(m.track()), Integer.toString(m.row()), m.cells().toString());
        }
        if (request instanceof Clear m) {
            return m.track() == null ? List.of("CLEAR") : List.of("CLEAR", m.track().toString());
        }
        if (request instanceof Tempo m) {
            return List.of("TEMPO", Integer.toString(m.bpm()));
        }
        if (request instanceof Size m) {
            return List.of("SIZE", Integer.toString(m.shape().columns()), Integer.toString(m.shape().rows()));
        }
        if (request instanceof SetInstrument m) {
            return List.of("INSTRUMENT", Integer.toString(m.track()), m.instrument().name());
        }
        if (request instanceof SetMix m) {
            return List.of("MIX", m.mix().name());
        }
        if (request instanceof Leave) {
            return List.of("LEAVE");
        }
        if (request instanceof Start) {
            return List.of("START");
        }
        if (request instanceof Stop) {
            return List.of("STOP");
        }
        return List.of();
    }

    private static int track(String token) throws ProtocolException {
        return BoardShape.requireTrack(number(token, "track"));
    }

    private static int row(String token) throws ProtocolException {
        int row = number(token, "row");
        if (row < 1) {
            throw new ProtocolException(ErrorCode.SYNTAX, "no row " + row + " (rows count from 1)");
        }
        return row;
    }

    private static int number(String token, String what) throws ProtocolException {
        if (!token.matches("-?[0-9]{1,9}")) {
            throw new ProtocolException(ErrorCode.SYNTAX, what + " must be a whole number, got " + clip(token));
        }
        return Integer.parseInt(token);
    }

    private static void arity(List<String> args, int min, int max, String usage) throws ProtocolException {
        if (args.size() < min || args.size() > max) {
            throw new ProtocolException(ErrorCode.SYNTAX, "usage: " + usage);
        }
    }

    private static String clip(String text) {
        String safe = text.replaceAll("\\p{Cntrl}", "?");
        return "\"" + (safe.length() > 20 ? safe.substring(0, 20) + "..." : safe) + "\"";
    }
}
