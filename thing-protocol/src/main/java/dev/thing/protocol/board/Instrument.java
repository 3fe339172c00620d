package dev.thing.protocol.board;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.ProtocolException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a track sounds like: a named General MIDI program, {@code gm<N>} for program N (0..127), or
 * {@code drums} (the GM percussion channel, MIDI channel 10, where each row is a drum).
 *
 * @param name    the wire name, lower case
 * @param program the GM program (0..127); 0 for drums, which choose no program
 * @param drums   true for the percussion channel
 */
public record Instrument(String name, int program, boolean drums) {
    /** The named programs, in the order the RFC lists them. */
    public static final Map<String, Integer> NAMED;
    public static final int MAX_PROGRAM = 127;
    public static final Instrument PIANO = new Instrument("piano", 0, false);
    public static final Instrument DRUMS = new Instrument("drums", 0, true);

    static {
        Map<String, Integer> named = new LinkedHashMap<>();
        named.put("piano", 0);
        named.put("epiano", 4);
        named.put("organ", 16);
        named.put("guitar", 24);
        named.put("bass", 33);
        named.put("strings", 48);
        named.put("choir", 52);
        named.put("brass", 61);
        named.put("sax", 65);
        named.put("flute", 73);
        named.put("lead", 80);
        named.put("pad", 88);
        NAMED = java.util.Collections.unmodifiableMap(named);
    }

    /** The instrument a track has on a new board: track 1 piano, track 2 drums. */
    public static Instrument defaultFor(int track) {
        return track == 1 ? PIANO : DRUMS;
    }

    /** An instrument by its wire name, any case. */
    public static Instrument parse(String text) throws ProtocolException {
        String name = text.toLowerCase(Locale.ROOT);
        if (name.equals("drums")) {
            return DRUMS;
        }
        Integer named = NAMED.get(name);
        if (named != null) {
            return new Instrument(name, named, false);
        }
        if (name.matches("gm(0|[1-9][0-9]{0,2})")) {
            int program = Integer.parseInt(name.substring(2));
            if (program <= MAX_PROGRAM) {
                return new Instrument(name, program, false);
            }
        }
        throw new ProtocolException(ErrorCode.SYNTAX, "no instrument " + clip(text) + "; use "
                + String.join(", ", NAMED.keySet()) + ", gm0..gm127 (a General MIDI program) or drums");
    }

    private static String clip(String text) {
        String safe = text.replaceAll("\\p{Cntrl}", "?");
        return "\"" + (safe.length() > 20 ? safe.substring(0, 20) + "..." : safe) + "\"";
    }

    @Override
    public String toString() {
        return name;
    }
}
