package dev.thing.server.party;

import java.util.Collection;
import java.util.OptionalLong;

/**
 * How far ahead a {@code PLAY}'s start instant is put so that every member can prepare:
 * clamp(2 x the largest known smoothed RTT + 100 ms, floor, cap). Unknown RTTs (a telnet user who never
 * answers PINGs) are ignored; with none known the floor applies.
 */
public final class StartLead {
    /** Default lower bound of the lead, in milliseconds. */
    public static final long DEFAULT_FLOOR_MS = 250;
    /** Default upper bound of the lead, in milliseconds. */
    public static final long DEFAULT_CAP_MS = 3000;
    /** Added to twice the largest RTT, in milliseconds. */
    public static final long MARGIN_MS = 100;

    private StartLead() {
    }

    /** The lead in microseconds with the default floor and cap. */
    public static long leadMicros(Collection<OptionalLong> smoothedRttMicros) {
        return leadMicros(smoothedRttMicros, DEFAULT_FLOOR_MS, DEFAULT_CAP_MS);
    }

    /**
     * The lead in microseconds.
     *
     * @param smoothedRttMicros each member's smoothed RTT in microseconds, empty when unknown
     * @param floorMs           the least lead, in milliseconds
     * @param capMs             the greatest lead, in milliseconds (at least {@code floorMs})
     */
    public static long leadMicros(Collection<OptionalLong> smoothedRttMicros, long floorMs, long capMs) {
        if (floorMs < 0 || capMs < floorMs) {
            throw new IllegalArgumentException("need 0 <= floor <= cap, got floor " + floorMs + " cap " + capMs);
        }
        long floorUs = floorMs * 1000L;
        long capUs = capMs * 1000L;
        long largest = 0;
        for (OptionalLong rtt : smoothedRttMicros) {
            if (rtt != null && rtt.isPresent() && rtt.getAsLong() > largest) {
                largest = rtt.getAsLong();
            }
        }
        // Saturate before doubling so that an absurd RTT cannot overflow.
        long wanted = largest >= capUs ? capUs : 2 * largest + MARGIN_MS * 1000L;
        return Math.max(floorUs, Math.min(capUs, wanted));
    }
}
