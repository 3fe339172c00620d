package dev.thing.client;

import dev.thing.client.sync.LocalClock;
import java.util.OptionalLong;

/**
 * TODO: temporary stand-in until dev.thing.client.sync.ClockSync is merged; Main then wires ClockSync through
 * {@link ClockSyncPort#of}. Keeps the minimum-RTT sample and assumes a symmetric path.
 */
final class StandInClockSync implements ClockSyncPort {
    private final LocalClock clock;
    private long bestRtt = Long.MAX_VALUE;
    private long bestServerAtReceive;
    private long bestReceiveNanos;
    private long bestOffset;
    private int samples;

    StandInClockSync(LocalClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void addSample(long clientSendMicros, long serverMicros, long clientReceiveMicros,
                                       long receiveNanos) {
        long rtt = clientReceiveMicros - clientSendMicros;
        if (rtt < 0) {
            return;
        }
        samples++;
        if (rtt <= bestRtt) {
            bestRtt = rtt;
            bestServerAtReceive = serverMicros + rtt / 2;
            bestReceiveNanos = receiveNanos;
            bestOffset = serverMicros - (clientSendMicros + clientReceiveMicros) / 2;
        }
    }

    @Override
    public synchronized long localNanosAt(long serverUs) {
        if (samples == 0) {
            return clock.nanoTime() + (serverUs - clock.epochMicros()) * 1000;
        }
        return bestReceiveNanos + (serverUs - bestServerAtReceive) * 1000;
    }

    @Override
    public synchronized long serverMicrosNow() {
        if (samples == 0) {
            return clock.epochMicros();
        }
        return bestServerAtReceive + (clock.nanoTime() - bestReceiveNanos) / 1000;
    }

    @Override
    public synchronized OptionalLong offsetMicros() {
        return samples == 0 ? OptionalLong.empty() : OptionalLong.of(bestOffset);
    }

    @Override
    public synchronized OptionalLong bestRttMicros() {
        return samples == 0 ? OptionalLong.empty() : OptionalLong.of(bestRtt);
    }

    @Override
    public synchronized boolean ready() {
        return samples >= 3;
    }
}
