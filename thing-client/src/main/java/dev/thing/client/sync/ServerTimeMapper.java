package dev.thing.client.sync;

/**
 * Maps the server's clock (microseconds since the epoch, as in PLAY's start-us) onto this client's monotonic
 * clock. Implemented by ClockSync from TIME samples.
 */
public interface ServerTimeMapper {
    /** The local {@link LocalClock#nanoTime()} at which the server's clock reads {@code serverUs}. */
    long localNanosAt(long serverUs);

    /** The server's clock now, in microseconds since the epoch, as best known. */
    long serverMicrosNow();
}
