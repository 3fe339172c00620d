package dev.thing.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.thing.client.audio.PlaybackControl;
import dev.thing.client.audio.SongSource;
import dev.thing.client.audio.GrowingFileSource;
import dev.thing.client.cache.SongCache;
import dev.thing.client.net.Reply;
import dev.thing.client.net.TransferSink;
import dev.thing.client.sync.ServerTimeMapper;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Message;
import dev.thing.protocol.ServerMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

class PlaybackCoordinatorTest {
    @TempDir
    Path dir;

    @Test
    void playsACachedSongWhoseHashMatchesElseFetchesAndStreamsIt() throws Exception {
        SongCache cache = SongCache.open(dir.resolve("cache"), 1 << 30, System::currentTimeMillis,
                GrowingFileSource::new);
        Path mp3 = dir.resolve("mono.mp3");
        try (InputStream in = getClass().getResourceAsStream("/audio/mono-22k-1s.mp3")) {
            Files.copy(in, mp3);
        }
        SongCache.Entry cached = cache.add(mp3, "Mono", "", "", "");
        LobbyState state = new LobbyState("party", "alice");
        state.absorb(new Reply(new ClientMessage.ListSongs(), List.of(
                new ServerMessage.SongLine(1, "Mono", "", "", "", 1000, cached.size(), cached.hash()),
                new ServerMessage.SongLine(2, "Chirp", "", "", "", 5000, 24576, "ab".repeat(32))),
                Message.Okay.PLAIN));
        PlaybackControl player = mock(PlaybackControl.class);
        ServerTimeMapper mapper = mock(ServerTimeMapper.class);
        when(mapper.localNanosAt(5_000_000L)).thenReturn(777L);
        List<ClientMessage> sent = new CopyOnWriteArrayList<>();
        PlaybackCoordinator coordinator = new PlaybackCoordinator(cache, player, mapper, state, m -> {
            sent.add(m);
            return new CompletableFuture<Reply>();
        }, text -> { });

        coordinator.onPlay(new ServerMessage.PlayEvent("mono", 5_000_000L, 1500));
        ArgumentCaptor<SongSource> source = ArgumentCaptor.forClass(SongSource.class);
        verify(player, timeout(5000)).play(source.capture(), eq(1500L), eq(777L), eq(5_000_000L));
        assertThat(source.getValue().title()).isEqualTo("Mono");
        assertThat(sent).isEmpty();

        coordinator.onPlay(new ServerMessage.PlayEvent("Chirp", 5_000_000L, 0));
        // not cached: it is fetched, and plays once the GET's transfer begins
        for (int i = 0; i < 500 && sent.isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertThat(sent).containsExactly(new ClientMessage.Get("Chirp"));
        TransferSink.IncomingTransfer transfer = coordinator.open(new Message.Send("Chirp", "", "", ""), true);
        verify(player, timeout(5000)).play(source.capture(), eq(0L), eq(777L), eq(5_000_000L));
        assertThat(source.getValue().title()).isEqualTo("Chirp");
        transfer.append(new byte[] {1, 2, 3});
        transfer.abort();

        coordinator.onStop();
        verify(player, timeout(5000)).stop();
        coordinator.close();
    }
}
