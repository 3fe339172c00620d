package dev.thing.server.lobby;

import java.util.OptionalLong;

/** A member's round-trip times: the last sample and a smoothed value (EWMA with gain 1/8, as TCP's SRTT). */
public final class RttStats {
    private long lastMicros = -1;
    private long smoothedMicros = -1;

    public synchronized void sample(long rttMicros) {
        lastMicros = rttMicros;
        smoothedMicros = smoothedMicros < 0 ? rttMicros : smoothedMicros + (rttMicros - smoothedMicros) / 8;
    }

    public synchronized OptionalLong smoothedMicros() {
        return smoothedMicros < 0 ? OptionalLong.empty() : OptionalLong.of(smoothedMicros);
    }

    public synchronized OptionalLong lastMicros() {
        return lastMicros < 0 ? OptionalLong.empty() : OptionalLong.of(lastMicros);
    }
}
