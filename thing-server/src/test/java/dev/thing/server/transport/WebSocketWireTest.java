package dev.thing.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.codec.Frame;
import dev.thing.protocol.codec.EncodedLine;
import dev.thing.server.session.SessionCore;
import dev.thing.server.session.Sessions;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * The WebSocket wire on a fake Jetty session: what goes out and in which WebSocket messages, what it counts as
 * queued, when it asks Jetty for the next frame, and how it closes. Events run on the calling thread here.
 */
class WebSocketWireTest {
    private final Sessions sessions = mock(Sessions.class);
    private final SessionCore core = mock(SessionCore.class);
    private final Session session = mock(Session.class);
    /** Callbacks of sends not yet completed, in order. */
    private final List<Callback> pending = new ArrayList<>();
    private final List<Object> sent = new ArrayList<>();
    private final List<WebSocketWire> gone = new ArrayList<>();
    private WebSocketWire wire;

    @BeforeEach
    void open() {
        when(session.isOpen()).thenReturn(true);
        when(session.getRemoteSocketAddress()).thenReturn(new InetSocketAddress("127.0.0.1", 40000));
        doAnswer(a -> {
            sent.add(a.getArgument(0, String.class));
            pending.add(a.getArgument(1));
            return null;
        }).when(session).sendText(anyString(), any());
        doAnswer(a -> {
            ByteBuffer b = a.getArgument(0);
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            sent.add(bytes);
            pending.add(a.getArgument(1));
            return null;
        }).when(session).sendBinary(any(), any());
        wire = new WebSocketWire(sessions, Runnable::run, 64, gone::add);
        when(sessions.open(wire)).thenReturn(core);
        wire.onWebSocketOpen(session);
    }

    private void completeNext() {
        pending.remove(0).succeed();
    }

    @Test
    void openingMakesASessionAndAsksForTheFirstFrame() {
        verify(sessions).open(wire);
        verify(session, times(1)).demand();
        assertThat(wire.remote()).contains("127.0.0.1:40000").contains("WebSocket");
    }

    @Test
    void aLineIsOneTextMessageAndIsReportedSentWhenJettyIsDone() {
        ServerMessage.Notify hello = new ServerMessage.Notify("hello");
        wire.write(hello);
        assertThat(sent).containsExactly("NOTIFY hello");
        assertThat(wire.queuedBytes()).isPositive();
        verify(core, never()).onSent(any());
        completeNext();
        assertThat(wire.queuedBytes()).isZero();
        verify(core).onSent(hello);
    }

    @Test
    void aBroadcastLineIsItsSharedTextInOneTextMessageAndIsReportedSentAsItself() {
        EncodedLine line = EncodedLine.of(new ServerMessage.Notify("to everyone"));
        wire.write(line);
        assertThat(sent).containsExactly("NOTIFY to everyone");
        assertThat(sent.get(0)).isSameAs(line.line());
        assertThat(wire.queuedBytes()).isPositive();
        completeNext();
        assertThat(wire.queuedBytes()).isZero();
        verify(core).onSent(line);
    }

    @Test
    void aChunkIsItsHeaderThenOneBinaryMessageAndIsReportedOnceBothAreOut() {
        Message.Chunk chunk = new Message.Chunk(new byte[] {1, 2, 3});
        wire.write(chunk);
        assertThat(sent).containsExactly("CHUNK 3");
        completeNext();
        verify(core, never()).onSent(any());
        assertThat(sent).hasSize(2);
        assertThat((byte[]) sent.get(1)).containsExactly(1, 2, 3);
        completeNext();
        verify(core).onSent(chunk);
        assertThat(wire.queuedBytes()).isZero();
    }

    @Test
    void oneMessageIsInFlightAtATimeAndTheRestWaitInOrderAndCount() {
        wire.write(new ServerMessage.Notify("one"));
        wire.write(new Message.Chunk(new byte[1000]));
        wire.write(new ServerMessage.Notify("three"));
        assertThat(sent).containsExactly("NOTIFY one");
        assertThat(wire.queuedBytes()).isGreaterThan(1000);
        completeNext();
        completeNext();
        completeNext();
        completeNext();
        assertThat(sent).hasSize(4);
        assertThat(sent.get(0)).isEqualTo("NOTIFY one");
        assertThat(sent.get(1)).isEqualTo("CHUNK 1000");
        assertThat(sent.get(3)).isEqualTo("NOTIFY three");
        assertThat(wire.queuedBytes()).isZero();
    }

    @Test
    void sendsThatCompleteAtOnceGoOutInOrderWithoutRecursion() {
        Session instant = mock(Session.class);
        when(instant.isOpen()).thenReturn(true);
        List<String> texts = new ArrayList<>();
        doAnswer(a -> {
            texts.add(a.getArgument(0));
            a.getArgument(1, Callback.class).succeed();
            return null;
        }).when(instant).sendText(anyString(), any());
        WebSocketWire w = new WebSocketWire(sessions, Runnable::run, 64, x -> { });
        SessionCore c = mock(SessionCore.class);
        when(sessions.open(w)).thenReturn(c);
        w.onWebSocketOpen(instant);
        // Each report of a sent line writes the next one, as a paced reply does: a loop, not a deep stack.
        doAnswer(a -> {
            ServerMessage.Notify n = a.getArgument(0);
            int i = Integer.parseInt(n.text());
            if (i < 20_000) {
                w.write(new ServerMessage.Notify(Integer.toString(i + 1)));
            }
            return null;
        }).when(c).onSent(any());
        w.write(new ServerMessage.Notify("1"));
        assertThat(texts).hasSize(20_000);
        assertThat(texts.get(19_999)).isEqualTo("NOTIFY 20000");
        assertThat(w.queuedBytes()).isZero();
    }

    @Test
    void closeOnFlushClosesNormallyOnceTheQueueIsOut() {
        wire.write(new ServerMessage.Notify("bye"));
        wire.closeOnFlush();
        assertThat(wire.isClosing()).isTrue();
        verify(session, never()).close(anyInt(), any(), any());
        wire.write(new ServerMessage.Notify("dropped: written after the close"));
        completeNext();
        verify(session).close(eq(StatusCode.NORMAL), any(), any());
        assertThat(sent).containsExactly("NOTIFY bye");
    }

    @Test
    void atShutdownTheCloseIsGoingAway() {
        wire.goingAway();
        wire.write(new ServerMessage.Notify("server is shutting down"));
        wire.closeOnFlush();
        completeNext();
        verify(session).close(eq(StatusCode.SHUTDOWN), eq("server is shutting down"), any());
    }

    @Test
    void closeNowDropsWhatWaitsAndDisconnects() {
        wire.write(new ServerMessage.Notify("one"));
        wire.write(new ServerMessage.Notify("two"));
        wire.closeNow();
        assertThat(wire.queuedBytes()).isZero();
        verify(session).disconnect();
        completeNext();
        assertThat(sent).containsExactly("NOTIFY one");
    }

    @Test
    void aFailedSendClosesTheConnection() {
        wire.write(new ServerMessage.Notify("one"));
        wire.write(new ServerMessage.Notify("two"));
        pending.remove(0).fail(new java.io.IOException("broken pipe"));
        assertThat(wire.isClosing()).isTrue();
        assertThat(wire.queuedBytes()).isZero();
        verify(session).disconnect();
        assertThat(sent).containsExactly("NOTIFY one");
    }

    @Test
    void textAndBinaryMessagesReachTheCoreAsFramesAndEachFrameIsDemandedAfterItIsHandled() {
        InOrder order = inOrder(core, session);
        order.verify(session).demand();
        wire.onWebSocketPartialText("party alice", true);
        order.verify(core).onFrame(new Frame.Line("party alice"));
        order.verify(session).demand();
        wire.onWebSocketPartialText("CHUNK 2", true);
        Callback released = mock(Callback.class);
        wire.onWebSocketPartialBinary(ByteBuffer.wrap(new byte[] {4, 5}).asReadOnlyBuffer(), true, released);
        verify(released).succeed();
        verify(core).onFrame(new Frame.ChunkBody(new Message.Chunk(new byte[] {4, 5})));
        verify(session, times(4)).demand(); // open, and one per message
    }

    @Test
    void framingErrorsReachTheCoreAsMalformedFrames() {
        wire.onWebSocketPartialBinary(ByteBuffer.wrap(new byte[3]), true, mock(Callback.class));
        wire.onWebSocketPartialText("LIST\nUSERS", true);
        List<Frame> frames = new ArrayList<>();
        org.mockito.ArgumentCaptor<Frame> captor = org.mockito.ArgumentCaptor.forClass(Frame.class);
        verify(core, times(2)).onFrame(captor.capture());
        frames.addAll(captor.getAllValues());
        assertThat(frames).allSatisfy(f -> assertThat(((Frame.Malformed) f).code()).isEqualTo(ErrorCode.SYNTAX));
    }

    @Test
    void aSuspendedInputDemandsNothingUntilResumed() {
        doAnswer(a -> {
            wire.suspendInput();
            return null;
        }).when(core).onFrame(new Frame.Line("FLOOD"));
        wire.onWebSocketPartialText("FLOOD", true);
        verify(session, times(1)).demand(); // only the one after opening
        wire.resumeInput();
        verify(session, times(2)).demand();
        wire.resumeInput(); // nothing owed: no second demand
        verify(session, times(2)).demand();
    }

    @Test
    void pingsAreAnsweredAndTheNextFrameDemanded() {
        wire.onWebSocketPing(ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII)));
        verify(session).sendPong(eq(ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII))), any());
        verify(session, times(2)).demand();
    }

    @Test
    void theCloseReachesTheCoreOnceAndTheTransportForgetsTheWire() {
        wire.write(new ServerMessage.Notify("late"));
        wire.onWebSocketClose(StatusCode.NORMAL, "bye");
        verify(core).onClosed();
        assertThat(gone).containsExactly(wire);
        assertThat(wire.isClosing()).isTrue();
        assertThat(wire.queuedBytes()).isZero();
    }
}
