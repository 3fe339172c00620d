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

    /**
     * As {@link #play(SongSource, long, long)}; {@code serverStartUs} is the same instant on the server's clock
     * (PLAY's start-us), only for the log, which records each start scheduled and measured.
     */
    default void play(SongSource source, long positionMs, long startNanos, long serverStartUs) {
        play(source, positionMs, startNanos);
    }

    /**
     * Gets ready for the first song ahead of time (the decoder's code warmed, the output line opened and running),
     * so that the first start is as tight as the rest. Returns at once; does nothing by default.
     */
    default void warmUp() {
    }

    /**
     * The lobby's board changed (cells, instruments, size, tempo, mix, start or stop): {@code startNanos} is its
     * START instant mapped to the local clock as a PLAY's is (meaningless while it is stopped). A player that sounds
     * the board mixes it into the song's output; the default sounds nothing (a stand-in without sound).
     */
    default void board(dev.thing.client.board.BoardState.Snapshot board, long startNanos) {
    }

    /** Why the board cannot be heard (its last render failed), or null when all is well or it is not sounded. */
    default String boardProblem() {
        return null;
    }

    /** Stops sound at once and holds the position. */
    void pause();

    /** Stops sound and forgets the song. */
    void stop();

    /** What plays now, for the status line. */
    PlayerStatus status();

    @Override
    void close();

    /**
     * A snapshot of the player. {@code title} is null when nothing is loaded. {@code driftMs} is how far the song
     * sounds ahead of the lobby (negative: behind), as the player estimates it from the device's reports.
     */
    record PlayerStatus(String title, boolean playing, long positionMs, double driftMs, String sinkName) {
    }
}
