package dev.thing.client.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.thing.client.sync.LocalClock;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.codec.Frame;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientProtocolTest {
    private final RecordingTransport transport = new RecordingTransport();
    private final ProtocolListener listener = mock(ProtocolListener.class);
    private final TransferSink sink = mock(TransferSink.class);
    private final TimeSampleSink samples = mock(TimeSampleSink.class);
    private final List<TransferSink.IncomingTransfer> transfers = new ArrayList<>();
    private final FakeClock clock = new FakeClock();
    private ClientProtocol protocol;

    static final class FakeClock implements LocalClock {
        long nanos = 1_000_000_000L;
        long micros = 1_700_000_000_000_000L;

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public long epochMicros() {
            return micros;
        }

        @Override
        public void sleepUntil(long deadlineNanos) {
            nanos = Math.max(nanos, deadlineNanos);
        }

        void advanceMicros(long us) {
            micros += us;
            nanos += us * 1000;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        when(sink.open(any(), anyBoolean())).thenAnswer(inv -> {
            TransferSink.IncomingTransfer t = mock(TransferSink.IncomingTransfer.class);
            transfers.add(t);
            return t;
        });
        protocol = new ClientProtocol(transport, new ClientMessage.Join("party", "alice"), listener, sink, samples,
                clock, ref -> ref.equals("#7") ? Optional.of("Under Pressure") : Optional.empty(), 4);
    }

    private void line(String text) {
        protocol.onFrame(new Frame.Line(text));
    }

    private void chunk(int n) {
        protocol.onFrame(new Frame.ChunkBody(new Message.Chunk(new byte[n])));
    }

    private void join() {
        line("NOTIFY THING/1.0 ready: send \"<lobby> <username>\" to join, or HELP, LOBBIES, CAP, QUIT");
        assertThat(transport.lines()).containsExactly("CAP EVENTS SONGS PING", "party alice");
        line("OKAY"); // CAP's
        assertThat(protocol.joined()).isNotDone();
        line("OKAY");
        assertThat(protocol.joined()).isCompletedWithValue(new JoinResult(JoinResult.Outcome.JOINED, "joined party"));
        transport.written.clear();
    }

    @Test
    void handshakeCanWaitForApproval() {
        line("NOTIFY THING/1.0 ready");
        line("OKAY"); // CAP's
        line("NOTIFY waiting for approval to join party");
        verify(listener, never()).onPending(any());
        line("EVENT APPROVAL party WAITING");
        verify(listener).onPending("party");
        verify(listener).onNotify("waiting for approval to join party");
        assertThat(protocol.joined()).isNotDone();
        line("PING 1");
        assertThat(transport.lines()).containsExactly("CAP EVENTS SONGS PING", "party alice", "OKAY 1");
        line("OKAY");
        assertThat(protocol.joined().join().joined()).isTrue();
    }

    @Test
    void handshakeTakenAndRefused() {
        line("NOTIFY THING/1.0 ready");
        line("alice TAKEN");
        assertThat(protocol.joined().join()).isEqualTo(new JoinResult(JoinResult.Outcome.TAKEN, "alice"));

        ClientProtocol other = new ClientProtocol(transport, new ClientMessage.Join("party", "bob"), listener, sink,
                samples, clock, r -> Optional.empty(), 4);
        other.onFrame(new Frame.Line("NOTIFY THING/1.0 ready"));
        other.onFrame(new Frame.Line("NOTIFY waiting for approval to join party"));
        other.onFrame(new Frame.Line("NOTIFY your request to join party was refused by alice"));
        other.onClosed();
        assertThat(other.joined().join())
                .isEqualTo(new JoinResult(JoinResult.Outcome.CLOSED, "your request to join party was refused by alice"));
    }

    @Test
    void dataAndFinalLinesGoToTheOldestCommandWhileUnsolicitedLinesGoToTheListener() {
        join();
        CompletableFuture<Reply> users = protocol.send(new ClientMessage.Users());
        CompletableFuture<Reply> list = protocol.send(new ClientMessage.ListSongs());
        CompletableFuture<Reply> play = protocol.send(new ClientMessage.Play("Nope", null));
        assertThat(transport.lines()).containsExactly("USERS", "LIST", "PLAY Nope");

        line("USER alice ADMIN 1.5");
        line("NOTIFY bob joined party");
        line("USER bob USER -");
        line("PING 42");
        line("OKAY");
        line("SONG 7 \"Under Pressure\" Queen rock \"\" 248000 5000000 abcd");
        line("PLAY \"Under Pressure\" 1700000000000000 0");
        line("OKAY");
        line("UPDATE \"Under Pressure\" Queen glam \"\"");
        line("ERROR NO_SUCH_SONG no song Nope");

        Reply u = users.join();
        assertThat(u.ok()).isTrue();
        assertThat(u.data()).hasSize(2).allMatch(m -> m instanceof ServerMessage.UserLine);
        Reply l = list.join();
        assertThat(l.data(ServerMessage.SongLine.class)).singleElement()
                .satisfies(s -> assertThat(s.title()).isEqualTo("Under Pressure"));
        Reply p = play.join();
        assertThat(p.ok()).isFalse();
        assertThat(p.error()).get().extracting(ServerMessage.Error::code).isEqualTo(ErrorCode.NO_SUCH_SONG);

        verify(listener).onNotify("bob joined party");
        verify(listener).onPlay(new ServerMessage.PlayEvent("Under Pressure", 1_700_000_000_000_000L, 0));
        verify(listener).onUpdate(new ServerMessage.Update("Under Pressure", "Queen", "glam", ""));
        assertThat(transport.lines()).containsExactly("USERS", "LIST", "PLAY Nope", "OKAY 42");
        assertThat(protocol.pendingCount()).isZero();
    }

    @Test
    void aPushedTransferWhileAGetIsPendingIsNotTheGetsReply() throws Exception {
        join();
        CompletableFuture<Reply> get = protocol.send(new ClientMessage.Get("#7"));
        CompletableFuture<Reply> queue = protocol.send(new ClientMessage.ShowQueue());

        line("SEND \"Fresh Upload\" Band \"\" \"\"");
        chunk(1000);
        chunk(10);
        line("OKAY");
        line("PING 5");
        assertThat(get).isNotDone();
        verify(sink).open(new Message.Send("Fresh Upload", "Band", "", ""), false);
        verify(transfers.get(0)).complete();

        line("SEND \"under pressure\" Queen rock \"\"");
        chunk(500);
        line("OKAY");
        verify(sink).open(new Message.Send("under pressure", "Queen", "rock", ""), true);
        verify(transfers.get(1)).append(any(byte[].class));
        verify(transfers.get(1)).complete();
        assertThat(get.join().ok()).isTrue();
        assertThat(queue).isNotDone();

        line("ENTRY 1 7 \"Under Pressure\" bob");
        line("OKAY");
        assertThat(queue.join().data()).hasSize(1);
        assertThat(transport.lines()).containsExactly("GET #7", "QUEUE", "OKAY 5");
    }

    @Test
    void aGetThatFailsGetsItsErrorAndAnAbortedTransferFailsIt() {
        join();
        CompletableFuture<Reply> missing = protocol.send(new ClientMessage.Get("Nope"));
        line("ERROR NO_SUCH_SONG no song Nope");
        assertThat(missing.join().error()).isPresent();

        CompletableFuture<Reply> broken = protocol.send(new ClientMessage.Get("Song"));
        line("SEND Song");
        chunk(3);
        line("ABORT");
        verify(transfers.get(0)).abort();
        assertThat(broken.join().ok()).isFalse();
    }

    @Test
    void timeRepliesFeedClockSamples() {
        join();
        long t0 = clock.epochMicros();
        CompletableFuture<Reply> time = protocol.send(new ClientMessage.Time("c1"));
        clock.advanceMicros(800);
        line("TIME c1 1800000000000000");
        line("OKAY");
        assertThat(time.join().ok()).isTrue();
        verify(samples).addSample(t0, 1_800_000_000_000_000L, t0 + 800, clock.nanoTime());
    }

    @Test
    void pingIsAnsweredAtOnceButHeldWhileOurUploadIsOnTheWire() {
        join();
        line("PING 1");
        assertThat(transport.lines()).containsExactly("OKAY 1");

        byte[] file = new byte[9500];
        UploadHandle upload = protocol.upload(new Message.Send("New Song", "Me", null, null),
                new ByteArrayInputStream(file), file.length, UploadProgress.NONE);
        line("PING 2");
        CompletableFuture<Reply> time = protocol.send(new ClientMessage.Time("c9"));
        assertThat(transport.linesExceptChunks()).containsExactly("OKAY 1", "SEND \"New Song\" Me");
        transport.sentAll();
        // the chunks, the upload's closing OKAY, then the held PING answer and TIME
        List<String> lines = transport.lines();
        assertThat(lines).filteredOn(s -> s.startsWith("CHUNK")).hasSize(10);
        assertThat(lines.subList(lines.size() - 4, lines.size())).containsExactly("CHUNK 500", "OKAY", "OKAY 2",
                "TIME c9");
        line("OKAY 12");
        assertThat(upload.reply().join().okayDetail()).isEqualTo("12");
        line("TIME c9 5");
        line("OKAY");
        assertThat(time.join().ok()).isTrue();
    }

    @Test
    void uploadNeverHasMoreThanTheWindowInFlight() {
        join();
        int chunks = 50;
        byte[] file = new byte[chunks * 1000 - 1];
        long[] progress = new long[1];
        UploadHandle upload = protocol.upload(new Message.Send("Big", null, null, null),
                new ByteArrayInputStream(file), file.length, (sent, total) -> progress[0] = sent);
        int maxSeen = 0;
        while (!transport.unsent.isEmpty()) {
            maxSeen = Math.max(maxSeen, transport.unsent.size());
            transport.sent(1 + transport.unsent.size() / 3);
        }
        assertThat(maxSeen).isEqualTo(4);
        assertThat(upload.maxInFlight()).isLessThanOrEqualTo(4);
        assertThat(progress[0]).isEqualTo(file.length);
        List<String> lines = transport.lines();
        assertThat(lines.get(0)).isEqualTo("SEND Big");
        assertThat(lines).filteredOn(s -> s.startsWith("CHUNK")).hasSize(chunks);
        assertThat(lines.get(lines.size() - 1)).isEqualTo("OKAY");
    }

    @Test
    void cancelSendsAbortAndTheServersErrorIsTheReply() {
        join();
        byte[] file = new byte[20_000];
        UploadHandle upload = protocol.upload(new Message.Send("Big", null, null, null),
                new ByteArrayInputStream(file), file.length, UploadProgress.NONE);
        transport.sent(2);
        upload.cancel();
        transport.sentAll();
        List<String> lines = transport.lines();
        assertThat(lines.get(lines.size() - 1)).isEqualTo("ABORT");
        assertThat(lines).filteredOn(s -> s.startsWith("CHUNK")).hasSize(6);
        line("ERROR ABORTED upload of Big cancelled; nothing stored");
        assertThat(upload.reply().join().error()).get().extracting(ServerMessage.Error::code)
                .isEqualTo(ErrorCode.ABORTED);
    }

    @Test
    void anEarlyErrorEndsTheUploadWithAbort() {
        join();
        byte[] file = new byte[20_000];
        UploadHandle upload = protocol.upload(new Message.Send("Taken Title", null, null, null),
                new ByteArrayInputStream(file), file.length, UploadProgress.NONE);
        line("ERROR TITLE_EXISTS a song called Taken Title exists");
        assertThat(upload.reply().join().ok()).isFalse();
        assertThat(protocol.uploading()).isFalse();
        transport.sentAll();
        List<String> lines = transport.lines();
        assertThat(lines.get(lines.size() - 1)).isEqualTo("ABORT");
        assertThat(lines).filteredOn(s -> s.startsWith("CHUNK")).hasSize(4);
    }

    @Test
    void disconnectFailsPendingCommandsAndDropsTheTransfer() {
        join();
        CompletableFuture<Reply> list = protocol.send(new ClientMessage.ListSongs());
        line("SEND Pushed");
        chunk(10);
        protocol.onClosed();
        verify(transfers.get(0)).abort();
        verify(transfers.get(0), never()).complete();
        assertThat(list).isCompletedExceptionally();
        assertThat(protocol.send(new ClientMessage.Users())).isCompletedExceptionally();
        verify(listener).onClosed(eq("connection closed by the server"));
        verify(samples, never()).addSample(anyLong(), anyLong(), anyLong(), anyLong());
    }
}
