package dev.thing.client;

import dev.thing.client.net.TimeSampleSink;
import dev.thing.client.sync.ServerTimeMapper;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Everything the client needs of clock sync: samples in, the mapping and its figures out. */
public interface ClockSyncPort extends ServerTimeMapper, TimeSampleSink {
    OptionalLong offsetMicros();

    OptionalLong bestRttMicros();

    boolean ready();

    /**
     * Adapts an implementation given as parts; Main wires {@code dev.thing.client.sync.ClockSync} with
     * {@code ClockSyncPort.of(cs::addSample, cs, cs::offsetMicros, cs::bestRttMicros, cs::ready)}.
     */
    static ClockSyncPort of(TimeSampleSink samples, ServerTimeMapper mapper, Supplier<OptionalLong> offset,
                            Supplier<OptionalLong> bestRtt, BooleanSupplier ready) {
        return new ClockSyncPort() {
            @Override
            public void addSample(long clientSendMicros, long serverMicros, long clientReceiveMicros,
                                  long receiveNanos) {
                samples.addSample(clientSendMicros, serverMicros, clientReceiveMicros, receiveNanos);
            }

            @Override
            public long localNanosAt(long serverUs) {
                return mapper.localNanosAt(serverUs);
            }

            @Override
            public long serverMicrosNow() {
                return mapper.serverMicrosNow();
            }

            @Override
            public OptionalLong offsetMicros() {
                return offset.get();
            }

            @Override
            public OptionalLong bestRttMicros() {
                return bestRtt.get();
            }

            @Override
            public boolean ready() {
                return ready.getAsBoolean();
            }
        };
    }
}
