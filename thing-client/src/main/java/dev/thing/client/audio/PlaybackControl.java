package dev.thing.client.audio;

/**
 * What the rest of the client asks of the audio side. Positions are milliseconds into the song; instants are
 * local {@code LocalClock.nanoTime()} values (already mapped from the server's clock by the caller).
 */
public interface PlaybackControl extends AutoCloseable {
    /**
     * Plays {@code source} so that the sample at {@code positionMs} sounds at local instant {@code startNanos}.
     * If that instant has passed, starts at once at the position the elapsed time implies. Replaces whatever plays.
     */
    void play(SongSource source, long positionMs, long startNanos);

    /** Stops sound at once and holds the position. */
    void pause();

    /** Stops sound and forgets the song. */
    void stop();

    /** What plays now, for the status line. */
    PlayerStatus status();

    @Override
    void close();

    /** A snapshot of the player. {@code title} is null when nothing is loaded. */
    record PlayerStatus(String title, boolean playing, long positionMs, long driftMs, String sinkName) {
    }
}
