package dev.thing.client;

import dev.thing.client.audio.GrowingSongSource;

import dev.thing.client.audio.PlaybackControl;
import dev.thing.client.cache.SongCache;
import dev.thing.client.net.Reply;
import dev.thing.client.net.TransferSink;
import dev.thing.client.sync.ServerTimeMapper;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Message;
import dev.thing.protocol.Names;
import dev.thing.protocol.ServerMessage;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Turns the lobby's playback events into player calls. PLAY: map start-us onto the local clock; play the cached
 * copy if its hash matches LIST's, else stream the download under way, else GET the song and start as soon as its
 * transfer begins. Also the sink of incoming transfers (written into the cache as they arrive).
 *
 * <p>Player calls and cache checks run on its own worker thread, never on the connection's event thread.
 */
public final class PlaybackCoordinator implements TransferSink, AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(PlaybackCoordinator.class);

    private final SongCache cache;
    private final PlaybackControl player;
    private final ServerTimeMapper mapper;
    private final LobbyState state;
    private final Function<ClientMessage, CompletableFuture<Reply>> sender;
    private final Consumer<String> notice;
    private final Map<String, SongCache.Download> downloads = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "thing-client-playback");
        t.setDaemon(true);
        return t;
    });
    private ServerMessage.PlayEvent current;
    private ServerMessage.PlayEvent waiting;
    private SongCache.Download streaming;
    private final Object pauseLock = new Object();
    private ServerMessage.PauseEvent paused;

    public PlaybackCoordinator(SongCache cache, PlaybackControl player, ServerTimeMapper mapper, LobbyState state,
                               Function<ClientMessage, CompletableFuture<Reply>> sender, Consumer<String> notice) {
        this.cache = cache;
        this.player = player;
        this.mapper = mapper;
        this.state = state;
        this.sender = sender;
        this.notice = notice;
        player.warmUp(); // decoder and line ready before the first PLAY
    }

    public void onPlay(ServerMessage.PlayEvent event) {
        synchronized (pauseLock) {
            paused = null;
        }
        run(() -> play(event, true));
    }

    /** The lobby's last PAUSE while the lobby is paused (a later PLAY or STOP clears it), else null. */
    public ServerMessage.PauseEvent pausedEvent() {
        synchronized (pauseLock) {
            return paused;
        }
    }

    public void onPause(ServerMessage.PauseEvent event) {
        synchronized (pauseLock) {
            paused = event;
        }
        run(() -> {
            synchronized (this) {
                waiting = null;
                player.pause();
            }
        });
    }

    public void onStop() {
        synchronized (pauseLock) {
            paused = null;
        }
        run(() -> {
            synchronized (this) {
                current = null;
                waiting = null;
                player.stop();
                releaseStreaming();
            }
        });
    }

    /** The title of the lobby's current song, or null. */
    public synchronized String currentTitle() {
        return current == null ? null : current.title();
    }

    private synchronized void play(ServerMessage.PlayEvent event, boolean mayList) {
        current = event;
        waiting = null;
        Optional<ServerMessage.SongLine> line = state.song(event.title());
        if (line.isEmpty() && mayList) {
            // A song newer than our LIST: learn its hash first.
            sender.apply(new ClientMessage.ListSongs()).whenComplete((r, e) -> run(() -> {
                synchronized (this) {
                    if (current == event) {
                        play(event, false);
                    }
                }
            }));
            return;
        }
        String hash = line.map(ServerMessage.SongLine::audioHash).orElse(null);
        long startNanos = mapper.localNanosAt(event.startUs());
        LOG.info("PLAY {} at {} ms: start {} us server time = local {} ns ({} ms from now)", event.title(),
                event.positionMs(), event.startUs(), startNanos, (startNanos - System.nanoTime()) / 1_000_000);
        Optional<SongCache.Entry> hit = cache.lookup(event.title(), hash);
        if (hit.isPresent()) {
            releaseStreaming();
            cache.markPlayed(hit.get().hash());
            LOG.info("playing {} from the cache at {} ms", event.title(), event.positionMs());
            player.play(cache.source(hit.get()), event.positionMs(), startNanos, event.startUs());
            return;
        }
        SongCache.Download d = downloads.get(Names.key(event.title()));
        if (d != null) {
            stream(d, event);
            return;
        }
        waiting = event;
        notice.accept("fetching " + event.title() + " to play it");
        sender.apply(new ClientMessage.Get(event.title())).whenComplete((r, e) -> {
            if (e != null || !r.ok()) {
                String why = e != null ? e.getMessage() : r.error().map(x -> x.code() + " " + x.text()).orElse("?");
                notice.accept("cannot fetch " + event.title() + ": " + why);
            }
        });
    }

    private void stream(SongCache.Download d, ServerMessage.PlayEvent event) {
        Optional<GrowingSongSource> source = d.source();
        if (source.isEmpty()) {
            // The download finished between our look at the cache and now: look again.
            play(event, false);
            return;
        }
        if (streaming != d) {
            releaseStreaming();
        }
        streaming = d;
        LOG.info("streaming {} while it downloads, from {} ms", event.title(), event.positionMs());
        player.play(source.get(), event.positionMs(), mapper.localNanosAt(event.startUs()), event.startUs());
    }

    private void releaseStreaming() {
        if (streaming != null) {
            streaming.release();
            streaming = null;
        }
    }

    @Override
    public IncomingTransfer open(Message.Send header, boolean isReply) throws IOException {
        SongCache.Download d = cache.begin(header.title(), header.artist(), header.tag1(), header.tag2());
        String key = Names.key(header.title());
        downloads.put(key, d);
        LOG.info("receiving {} ({})", header.title(), isReply ? "our GET" : "pushed");
        run(() -> {
            synchronized (this) {
                if (waiting != null && Names.key(waiting.title()).equals(key)) {
                    ServerMessage.PlayEvent e = waiting;
                    waiting = null;
                    stream(d, e);
                }
            }
        });
        return new IncomingTransfer() {
            @Override
            public void append(byte[] bytes) throws IOException {
                d.append(bytes);
            }

            @Override
            public void complete() {
                downloads.remove(key, d);
                String expected = state.song(header.title()).map(ServerMessage.SongLine::audioHash).orElse(null);
                Optional<SongCache.Entry> e = d.complete(expected);
                LOG.info("received {}: {}", header.title(), e.isPresent() ? "cached" : "not cached");
            }

            @Override
            public void abort() {
                downloads.remove(key, d);
                d.abort();
                LOG.info("transfer of {} dropped", header.title());
            }
        };
    }

    private void run(Runnable r) {
        try {
            worker.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.error("playback handling failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("playback event after close dropped");
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        synchronized (this) {
            releaseStreaming();
        }
    }
}
