package dev.thing.client;

import dev.thing.client.audio.PlaybackControl;
import dev.thing.client.audio.SongSource;
import dev.thing.client.sync.LocalClock;

/**
 * The player for {@code --no-audio} (and, until dev.thing.client.audio.Player is wired, the only one): plays
 * nothing but keeps the position, so {@code status} still tells where the lobby is.
 */
public final class SilentPlayback implements PlaybackControl {
    private final LocalClock clock;
    private String title;
    private boolean playing;
    private long positionMs;
    private long startNanos;

    public SilentPlayback(LocalClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void play(SongSource source, long positionMs, long startNanos) {
        this.title = source.title();
        this.positionMs = positionMs;
        this.startNanos = startNanos;
        this.playing = true;
    }

    @Override
    public synchronized void pause() {
        positionMs = current();
        playing = false;
    }

    @Override
    public synchronized void stop() {
        title = null;
        playing = false;
        positionMs = 0;
    }

    private long current() {
        if (!playing) {
            return positionMs;
        }
        return positionMs + Math.max(0, (clock.nanoTime() - startNanos) / 1_000_000);
    }

    @Override
    public synchronized PlayerStatus status() {
        return new PlayerStatus(title, playing, current(), 0, "none (no audio)");
    }

    @Override
    public void close() {
        stop();
    }
}
