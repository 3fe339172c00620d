package dev.thing.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.codec.EncodedLine;
import dev.thing.server.lobby.OutgoingSong;
import dev.thing.server.time.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxTest {
    static final long BOUND = 64 * 1024;

    Wire session = mock(Wire.class);
    ManualClock clock = new ManualClock(0);
    List<Object> written = new ArrayList<>();
    AtomicInteger acceptedCalls = new AtomicInteger();
    Outbox peer;
    /** Chunks written but not yet reported sent, oldest first. */
    int acked;

    @BeforeEach
    void setUp() {
        org.mockito.Mockito.doAnswer(inv -> {
            written.add(inv.getArgument(0));
            return null;
        }).when(session).write(any());
        when(session.isClosing()).thenReturn(false);
        when(session.queuedBytes()).thenReturn(0L);
        peer = new Outbox(session, BOUND, clock);
        peer.onAccepted(acceptedCalls::incrementAndGet);
        peer.capabilities(java.util.EnumSet.allOf(dev.thing.protocol.Capability.class));
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new SplittableRandom(n).nextBytes(b);
        return b;
    }

    static OutgoingSong song(String title, byte[] data, boolean reply) {
        return new OutgoingSong(title, "Artist", "t1", "t2", data.length, () -> new ByteArrayInputStream(data), reply);
    }

    static ServerMessage notify(String text) {
        return new ServerMessage.Notify(text);
    }

    List<Message.Chunk> chunks() {
        return written.stream().filter(Message.Chunk.class::isInstance).map(Message.Chunk.class::cast).toList();
    }

    long chunksInFlight() {
        return chunks().size() - acked;
    }

    /** Reports every written chunk sent, one at a time, until nothing more is in flight. */
    void drain() {
        while (acked < chunks().size()) {
            Message.Chunk next = chunks().get(acked);
            acked++;
            peer.sent(next);
            assertThat(chunksInFlight()).isLessThanOrEqualTo(Outbox.WINDOW);
        }
    }

    @Test
    void linesGoStraightThrough() {
        peer.send(notify("one"));
        peer.send(notify("two"));

        assertThat(written).containsExactly(notify("one"), notify("two"));
    }

    @Test
    void aBroadcastLineGoesOutAsTheOneEncodingSharedWithEveryConnection() {
        EncodedLine line = EncodedLine.of(notify("to everyone"));
        List<Object> other = new ArrayList<>();
        Wire otherWire = mock(Wire.class);
        org.mockito.Mockito.doAnswer(inv -> other.add(inv.getArgument(0))).when(otherWire).write(any());
        Outbox otherPeer = new Outbox(otherWire, BOUND, clock);

        peer.send(line);
        otherPeer.send(line);

        assertThat(written).singleElement().isSameAs(line);
        assertThat(other).singleElement().isSameAs(line);
    }

    @Test
    void aBroadcastEventReachesOnlyAConnectionThatTurnedOnEvents() {
        EncodedLine event = EncodedLine.of(new ServerMessage.MemberEvent("bob", dev.thing.protocol.Role.USER));
        peer.send(event);
        peer.capabilities(java.util.EnumSet.noneOf(dev.thing.protocol.Capability.class));
        peer.send(event);
        peer.send(EncodedLine.of(notify("for people")));

        assertThat(written).hasSize(2);
        assertThat(written.get(0)).isSameAs(event);
        assertThat(((EncodedLine) written.get(1)).line()).isEqualTo("NOTIFY for people");
    }

    @Test
    void broadcastLinesDuringATransferWaitBehindItInOrderWithOtherLines() {
        peer.sendSong(song("Big", bytes(50_000), true));
        EncodedLine shared = EncodedLine.of(notify("shared"));

        peer.send(notify("first"));
        peer.send(shared);
        peer.send(notify("last"));
        assertThat(written).doesNotContain(shared);

        drain();

        int okay = written.indexOf(Message.Okay.PLAIN);
        assertThat(written.subList(okay + 1, written.size())).containsExactly(notify("first"), shared, notify("last"));
    }

    @Test
    void aBroadcastLineNeedsNoReportThatItWasSent() {
        // Never reported sent, as over TCP: it must not hold back the long reply that follows it.
        peer.send(EncodedLine.of(notify("to everyone")));
        List<ServerMessage> reply = new ArrayList<>();
        for (int i = 0; i <= Outbox.LINE_WINDOW; i++) {
            reply.add(notify("line " + i));
        }

        peer.sendReply(reply);

        assertThat(written).as("the broadcast, then a whole window of the paced reply").hasSize(1 + Outbox.LINE_WINDOW);
        peer.sent(written.get(1));
        assertThat(written).hasSize(2 + Outbox.LINE_WINDOW);
    }

    @Test
    void broadcastLinesHeldBehindATransferCountTowardsTheBound() {
        peer.sendSong(song("Big", bytes(100_000), true));
        when(session.queuedBytes()).thenReturn((long) Outbox.WINDOW * 1012);
        EncodedLine big = EncodedLine.of(notify("x".repeat(1_000)));

        for (int i = 0; i < BOUND / 1_000 + 1; i++) {
            peer.send(big);
        }

        verify(session).closeOnFlush();
        int abort = written.indexOf(new Message.Abort());
        assertThat(abort).as("ABORT written").isPositive();
        assertThat(((ServerMessage.Notify) written.get(written.size() - 1)).text())
                .startsWith("disconnected: you are not reading");
    }

    @Test
    void acceptedStartsThePings() {
        peer.accepted();

        assertThat(acceptedCalls).hasValue(1);
    }

    @Test
    void aSmallSongIsSentWholeAtOnce() {
        byte[] data = bytes(2_500);

        peer.sendSong(song("Tiny", data, true));

        assertThat(written).hasSize(1 + 3 + 1);
        assertThat(written.get(0)).isEqualTo(new Message.Send("Tiny", "Artist", "t1", "t2"));
        assertThat(chunks()).extracting(c -> c.data().length).containsExactly(1000, 1000, 500);
        assertThat(written.get(4)).isEqualTo(Message.Okay.PLAIN);
    }

    @Test
    void atMostAWindowOfChunksIsWrittenBeforeTheSocketCatchesUp() {
        byte[] data = bytes(100_000);

        peer.sendSong(song("Big", data, true));

        assertThat(chunks()).hasSize(Outbox.WINDOW);
        assertThat(written).doesNotContain(Message.Okay.PLAIN);

        peer.sent(chunks().get(0));
        acked = 1;
        assertThat(chunks()).hasSize(Outbox.WINDOW + 1);

        peer.sent(notify("not a chunk"));
        assertThat(chunks()).as("only written chunks open the window").hasSize(Outbox.WINDOW + 1);
    }

    @Test
    void theTransferCarriesTheSourceBytesExactly() throws IOException {
        byte[] data = bytes(65_432);

        peer.sendSong(song("Exact", data, false));
        drain();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Message.Chunk c : chunks()) {
            out.write(c.data());
        }
        assertThat(out.toByteArray()).isEqualTo(data);
        assertThat(written.get(0)).isInstanceOf(Message.Send.class);
        assertThat(written.get(written.size() - 1)).isEqualTo(Message.Okay.PLAIN);
        assertThat(chunks()).hasSize(66);
    }

    @Test
    void linesSentDuringATransferWaitUntilItsOkayInOrder() {
        byte[] data = bytes(50_000);
        peer.sendSong(song("Big", data, true));

        peer.send(notify("first"));
        peer.send(notify("second"));
        assertThat(written).doesNotContain(notify("first"), notify("second"));

        drain();

        int okay = written.indexOf(Message.Okay.PLAIN);
        assertThat(okay).isEqualTo(written.size() - 3);
        assertThat(written.subList(okay + 1, written.size())).containsExactly(notify("first"), notify("second"));

        peer.send(notify("third"));
        assertThat(written.get(written.size() - 1)).isEqualTo(notify("third"));
    }

    @Test
    void songsQueuedBehindATransferFollowItOneAtATime() {
        byte[] first = bytes(40_000);
        byte[] second = bytes(3_000);
        peer.sendSong(song("First", first, true));
        peer.send(notify("between"));
        peer.sendSong(song("Second", second, false));

        drain();

        List<Object> framing = written.stream().filter(m -> !(m instanceof Message.Chunk)).toList();
        assertThat(framing).containsExactly(new Message.Send("First", "Artist", "t1", "t2"), Message.Okay.PLAIN,
                notify("between"), new Message.Send("Second", "Artist", "t1", "t2"), Message.Okay.PLAIN);
        assertThat(chunks()).hasSize(40 + 3);
    }

    @Test
    void closeAfterMidTransferAbortsThenSendsTheLastLineAndClosesOnFlush() {
        AtomicBoolean streamClosed = new AtomicBoolean();
        byte[] data = bytes(100_000);
        peer.sendSong(new OutgoingSong("Big", "", "", "", data.length, () -> new ByteArrayInputStream(data) {
            @Override
            public void close() throws IOException {
                streamClosed.set(true);
                super.close();
            }
        }, false));
        peer.send(notify("held"));
        int before = written.size();

        peer.closeAfter(notify("bye"), "test");

        assertThat(written.subList(before, written.size())).containsExactly(new Message.Abort(), notify("bye"));
        verify(session).closeOnFlush();
        verify(session, never()).closeNow();
        assertThat(streamClosed).isTrue();

        // nothing more goes out, whatever happens next
        peer.sent(chunks().get(0));
        peer.send(notify("late"));
        peer.sendSong(song("Other", bytes(10), true));
        assertThat(written).hasSize(before + 2);
    }

    @Test
    void closeAfterWithoutATransferJustSendsTheLineAndClosesNowIfTheClientNeverReads() {
        peer.closeAfter(notify("bye"), "test");

        assertThat(written).containsExactly(notify("bye"));
        verify(session).closeOnFlush();

        clock.advanceMillis(4_999);
        verify(session, never()).closeNow();
        clock.advanceMillis(1);
        verify(session).closeNow();
    }

    @Test
    void closeAfterTwiceClosesOnce() {
        peer.closeAfter(notify("bye"), "test");
        peer.closeAfter(notify("bye again"), "test");

        assertThat(written).containsExactly(notify("bye"));
    }

    @Test
    void aClientThatDoesNotReadIsDisconnectedAtTheUnsentBound() {
        when(session.queuedBytes()).thenReturn(BOUND + Outbox.PACED_ALLOWANCE + 1);

        peer.send(notify("too much"));

        verify(session).closeOnFlush();
        verify(session, never()).closeNow();
        peer.send(notify("after"));
        assertThat(written).hasSize(2).startsWith(notify("too much"));
        assertThat(((ServerMessage.Notify) written.get(1)).text()).as("never a silent drop")
                .startsWith("disconnected: you are not reading");
        clock.advanceMillis(500);
        verify(session).closeNow();
    }

    @Test
    void belowTheBoundNothingIsClosed() {
        when(session.queuedBytes()).thenReturn(BOUND - 100);

        peer.send(notify("fine"));

        verify(session, never()).closeNow();
    }

    @Test
    void chunksInFlightDoNotCountTowardsTheBound() {
        peer.sendSong(song("Big", bytes(100_000), true));
        // the socket holds a full window of chunks (about 32 KB) plus a little
        when(session.queuedBytes()).thenReturn((long) Outbox.WINDOW * 1012 + BOUND - 1_000);

        peer.send(notify("waits behind the song"));

        verify(session, never()).closeNow();
    }

    @Test
    void linesHeldBehindATransferCountTowardsTheBound() {
        peer.sendSong(song("Big", bytes(100_000), true));
        when(session.queuedBytes()).thenReturn((long) Outbox.WINDOW * 1012);
        String text = "x".repeat(1_000);

        for (int i = 0; i < BOUND / 1_000 + 1; i++) {
            peer.send(notify(text));
        }

        verify(session).closeOnFlush();
        clock.advanceMillis(500);
        verify(session).closeNow();
        // The transfer is ended on the wire before the closing NOTIFY, never cut off mid-stream.
        int abort = written.indexOf(new Message.Abort());
        assertThat(abort).as("ABORT written").isPositive();
        assertThat(written.subList(abort + 1, written.size())).singleElement()
                .isInstanceOf(ServerMessage.Notify.class);
    }

    @Test
    void aReplyTransferWhoseFileCannotBeOpenedAnswersErrorInternal() {
        peer.sendSong(new OutgoingSong("Gone", "", "", "", 10, () -> {
            throw new IOException("no such file");
        }, true));

        assertThat(written).hasSize(1);
        ServerMessage.Error error = (ServerMessage.Error) written.get(0);
        assertThat(error.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(error.text()).contains("Gone");

        peer.send(notify("next"));
        assertThat(written).last().isEqualTo(notify("next"));
    }

    @Test
    void aPushedCopyThatCannotBeOpenedIsSkippedSilently() {
        peer.sendSong(new OutgoingSong("Gone", "", "", "", 10, () -> {
            throw new IOException("no such file");
        }, false));
        peer.send(notify("next"));

        assertThat(written).containsExactly(notify("next"));
    }

    static OutgoingSong failingAfter(int good, boolean reply) {
        byte[] data = bytes(good + 10_000);
        return new OutgoingSong("Flaky", "", "", "", data.length, () -> new InputStream() {
            int given;

            @Override
            public int read() throws IOException {
                if (given >= good) {
                    throw new IOException("disk gone");
                }
                return data[given++] & 0xff;
            }
        }, reply);
    }

    @Test
    void aGetWhoseReadFailsMidwayEndsWithAbortThenItsFinalErrorInternal() {
        peer.sendSong(failingAfter(40_000, true));
        peer.send(notify("after"));

        drain();

        List<Object> framing = written.stream().filter(m -> !(m instanceof Message.Chunk)).toList();
        assertThat(framing).hasSize(4);
        assertThat(framing.get(0)).isEqualTo(new Message.Send("Flaky", "", "", ""));
        assertThat(framing.get(1)).isEqualTo(new Message.Abort());
        assertThat(((ServerMessage.Error) framing.get(2)).code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(framing.get(3)).isEqualTo(notify("after"));
    }

    @Test
    void aPushedCopyWhoseReadFailsMidwayEndsWithAbortOnly() {
        peer.sendSong(failingAfter(40_000, false));
        peer.send(notify("after"));

        drain();

        List<Object> framing = written.stream().filter(m -> !(m instanceof Message.Chunk)).toList();
        assertThat(framing).containsExactly(new Message.Send("Flaky", "", "", ""), new Message.Abort(),
                notify("after"));
    }

    @Test
    void theTransferIsUnderWayUntilItsOkay() {
        assertThat(peer.sendingSong()).isFalse();
        peer.sendSong(song("Big", bytes(50_000), true));
        assertThat(peer.sendingSong()).isTrue();

        drain();

        assertThat(peer.sendingSong()).isFalse();
    }
}
