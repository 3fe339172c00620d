package dev.thing.client.net;

/**
 * Receives one NTP-style sample per TIME exchange. Same shape as {@code dev.thing.client.sync.ClockSync#addSample},
 * so {@code clockSync::addSample} is one.
 */
@FunctionalInterface
public interface TimeSampleSink {
    /**
     * @param clientSendMicros    local wall clock (epoch microseconds) when the TIME line was written
     * @param serverMicros        the server's clock in the TIME reply
     * @param clientReceiveMicros local wall clock when the reply line arrived
     * @param receiveNanos        local monotonic clock when the reply line arrived
     */
    void addSample(long clientSendMicros, long serverMicros, long clientReceiveMicros, long receiveNanos);

    TimeSampleSink NONE = (a, b, c, d) -> { };
}
