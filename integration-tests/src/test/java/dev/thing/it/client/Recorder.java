package dev.thing.it.client;

import dev.thing.client.ClockSyncPort;
import dev.thing.client.ThingClient;
import dev.thing.client.audio.PlaybackControl;
import dev.thing.client.audio.Player;
import dev.thing.client.audio.RecordingSink;
import dev.thing.client.audio.SongSource;
import dev.thing.client.sync.ClockSync;
import dev.thing.client.sync.LocalClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The client's parts for playback tests: the real {@link ClockSync} (kept, so that the test can read its mapping)
 * and the real {@link Player} over {@link RecordingSink}s, wrapped so that every call the client makes to its
 * player is recorded with the values it computed.
 */
final class Recorder implements ThingClient.Components {
    /** One {@code play} call: what the client computed, and the start mapped back through its own ClockSync. */
    record PlayCall(String title, Class<?> sourceType, long positionMs, long startNanos, long startServerUsBack,
                    long calledAtNanos) {
    }

    volatile ClockSync sync;
    final List<PlayCall> plays = new CopyOnWriteArrayList<>();
    final List<RecordingSink> sinks = new CopyOnWriteArrayList<>();
    volatile long pauseEnteredNanos = -1;
    volatile long pauseReturnedNanos = -1;

    @Override
    public ClockSyncPort clockSync(LocalClock clock) {
        ClockSync cs = new ClockSync(clock);
        sync = cs;
        return ClockSyncPort.of(cs::addSample, cs, cs::offsetMicros, cs::bestRttMicros, cs::ready);
    }

    @Override
    public PlaybackControl playback(ThingClient.Config config, LocalClock clock, Consumer<String> warn) {
        Player player = new Player(() -> {
            RecordingSink s = new RecordingSink(clock);
            sinks.add(s);
            return s;
        }, clock, 0);
        return new PlaybackControl() {
            @Override
            public void play(SongSource source, long positionMs, long startNanos) {
                plays.add(new PlayCall(source.title(), source.getClass(), positionMs, startNanos,
                        serverUsAt(startNanos), clock.nanoTime()));
                player.play(source, positionMs, startNanos);
            }

            @Override
            public void pause() {
                pauseEnteredNanos = clock.nanoTime();
                player.pause();
                pauseReturnedNanos = clock.nanoTime();
            }

            @Override
            public void stop() {
                player.stop();
            }

            @Override
            public PlayerStatus status() {
                return player.status();
            }

            @Override
            public void close() {
                player.close();
            }
        };
    }

    /**
     * The server time (us) that the client's ClockSync puts at local instant {@code localNanos}: the inverse of
     * {@code localNanosAt}, which is {@code serverUs * 1000 - k} for the current constant k = -localNanosAt(0).
     */
    long serverUsAt(long localNanos) {
        return Math.floorDiv(localNanos - sync.localNanosAt(0), 1000L);
    }

    boolean synced() {
        ClockSync s = sync;
        return s != null && s.ready();
    }

    PlayCall onlyPlay() {
        if (plays.size() != 1) {
            throw new AssertionError("expected one play call, got " + plays);
        }
        return plays.get(0);
    }

    RecordingSink firstSink() {
        if (sinks.isEmpty()) {
            throw new AssertionError("no sink was opened");
        }
        return sinks.get(0);
    }

    boolean hasPlayedFrames(long frames) {
        return !sinks.isEmpty() && sinks.get(0).recordedFrames() >= frames;
    }
}
