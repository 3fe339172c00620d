package dev.thing.server.transport;

import dev.thing.protocol.Message;
import dev.thing.protocol.codec.EncodedLine;
import dev.thing.protocol.codec.Frame;
import dev.thing.protocol.codec.FrameRules;
import dev.thing.protocol.codec.MessageFramer;
import dev.thing.server.session.SessionCore;
import dev.thing.server.session.Sessions;
import dev.thing.server.session.Wire;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * One WebSocket connection: Jetty's endpoint on one side, the session core's {@link Wire} on the other. It only
 * carries frames: the {@link MessageFramer} turns text and binary messages into the same frames the TCP decoder
 * produces, and every rule of the protocol stays in the {@link SessionCore}.
 *
 * <p>Input: the endpoint demands one WebSocket frame at a time and asks for the next only once the core has
 * handled this one (on the connection's {@link SerialExecutor}, never on Jetty's thread), so a suspended input
 * ({@link #suspendInput()}) stops reading from the socket, as MINA's {@code suspendRead} does for TCP.
 *
 * <p>Output: messages wait in this wire's queue and go out one WebSocket message at a time; a chunk is its
 * {@code CHUNK <n>} text message and then its binary message. {@link #queuedBytes()} counts what waits, so a
 * client that stops reading is found by the core's unsent bound exactly as over TCP. The core hears that a
 * message left ({@link SessionCore#onSent}) on the connection's executor, never inside {@link #write}.
 *
 * <p>Public only because Jetty calls the listener methods through method handles, which need a public class.
 */
public final class WebSocketWire implements Wire, Session.Listener {
    private static final Logger LOG = LogManager.getLogger(WebSocketWire.class);
    /** What a text message costs on the wire besides its characters (frame header), for the unsent bound. */
    private static final int FRAME_OVERHEAD = 4;

    private enum Output { OPEN, CLOSE_WHEN_FLUSHED, CLOSED }

    /** One WebSocket message to send; {@code last} when it completes a protocol message. */
    private record Out(Object message, String text, ByteBuffer binary, long bytes, boolean last) {
    }

    private final Sessions sessions;
    private final SerialExecutor events;
    private final MessageFramer framer;
    private final Consumer<WebSocketWire> onGone;
    private volatile Session session;
    private volatile SessionCore core;
    private volatile String remote = "?";
    private volatile java.net.InetAddress address;

    private final Object lock = new Object();
    private final ArrayDeque<Out> queue = new ArrayDeque<>();
    private long queued;
    private boolean inFlight;
    private boolean pumping;
    private Output output = Output.OPEN;
    private boolean goingAway;
    private boolean suspended;
    private boolean demandOwed;

    WebSocketWire(Sessions sessions, Executor pool, int maxLineBytes, Consumer<WebSocketWire> onGone) {
        this.sessions = sessions;
        this.events = new SerialExecutor(pool);
        this.framer = new MessageFramer(maxLineBytes);
        this.onGone = onGone;
    }

    // ---- Jetty's side: events from the client ----

    @Override
    public void onWebSocketOpen(Session opened) {
        this.session = opened;
        this.remote = opened.getRemoteSocketAddress() + " (WebSocket)";
        this.address = opened.getRemoteSocketAddress() instanceof java.net.InetSocketAddress a ? a.getAddress() : null;
        events.execute(() -> {
            core = sessions.open(this);
            frameDone();
        });
    }

    @Override
    public void onWebSocketPartialText(String fragment, boolean last) {
        events.execute(() -> {
            deliver(framer.text(fragment, last));
            frameDone();
        });
    }

    @Override
    public void onWebSocketPartialBinary(ByteBuffer fragment, boolean last, Callback callback) {
        // Jetty recycles the buffer once the callback completes: keep a copy.
        ByteBuffer copy = ByteBuffer.allocate(fragment.remaining());
        copy.put(fragment).flip();
        callback.succeed();
        events.execute(() -> {
            deliver(framer.binary(copy, last));
            frameDone();
        });
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
        copy.put(payload).flip();
        Session s = session;
        s.sendPong(copy, Callback.NOOP);
        frameDone();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        frameDone();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("{}: {}", who(), cause.toString());
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        LOG.debug("{}: closed ({} {})", who(), statusCode, reason);
        synchronized (lock) {
            output = Output.CLOSED;
            queue.clear();
            queued = 0;
        }
        events.execute(() -> {
            SessionCore c = core;
            if (c != null) {
                c.onClosed();
            }
        });
        onGone.accept(this);
    }

    private void deliver(List<Frame> frames) {
        SessionCore c = core;
        for (Frame frame : frames) {
            c.onFrame(frame);
        }
    }

    /** The frame just delivered is handled: ask for the next one, unless the core stopped reading. */
    private void frameDone() {
        synchronized (lock) {
            if (suspended) {
                demandOwed = true;
                return;
            }
        }
        demand();
    }

    private void demand() {
        Session s = session;
        if (s != null && s.isOpen()) {
            try {
                s.demand();
            } catch (IllegalStateException e) {
                LOG.debug("{}: demand on a closing session: {}", who(), e.toString());
            }
        }
    }

    private String who() {
        SessionCore c = core;
        return c == null ? remote : c.who();
    }

    // ---- the core's side: the Wire ----

    @Override
    public void write(Object message) {
        // A broadcast line was written once for every connection: its text is shared, not written again.
        FrameRules.Outgoing wire = message instanceof EncodedLine encoded
                ? new FrameRules.Outgoing(encoded.line(), null) : FrameRules.outgoing((Message) message);
        synchronized (lock) {
            if (output != Output.OPEN) {
                return;
            }
            boolean chunk = wire.body() != null;
            long textBytes = wire.line().length() + FRAME_OVERHEAD;
            queue.addLast(new Out(message, wire.line(), null, textBytes, !chunk));
            queued += textBytes;
            if (chunk) {
                long bodyBytes = wire.body().length + FRAME_OVERHEAD;
                queue.addLast(new Out(message, null, ByteBuffer.wrap(wire.body()), bodyBytes, true));
                queued += bodyBytes;
            }
        }
        pump();
    }

    /**
     * Sends what waits, one WebSocket message at a time. A send that completes at once (its callback runs inside
     * {@code sendText}) is followed by the next in this loop rather than by recursion; one that completes later
     * calls this again from its callback.
     */
    private void pump() {
        synchronized (lock) {
            if (pumping) {
                return;
            }
            pumping = true;
        }
        while (true) {
            Out next;
            boolean close = false;
            int code = StatusCode.NORMAL;
            synchronized (lock) {
                if (inFlight || output == Output.CLOSED) {
                    pumping = false;
                    return;
                }
                next = queue.pollFirst();
                if (next == null) {
                    pumping = false;
                    if (output != Output.CLOSE_WHEN_FLUSHED) {
                        return;
                    }
                    output = Output.CLOSED;
                    close = true;
                    code = goingAway ? StatusCode.SHUTDOWN : StatusCode.NORMAL;
                } else {
                    inFlight = true;
                }
            }
            Session s = session;
            if (close) {
                s.close(code, code == StatusCode.SHUTDOWN ? "server is shutting down" : null, Callback.NOOP);
                return;
            }
            Out sending = next;
            Callback done = Callback.from(() -> sent(sending), failure -> failed(failure));
            if (sending.text() != null) {
                s.sendText(sending.text(), done);
            } else {
                s.sendBinary(sending.binary(), done);
            }
        }
    }

    private void sent(Out out) {
        synchronized (lock) {
            inFlight = false;
            queued = Math.max(0, queued - out.bytes());
        }
        if (out.last()) {
            events.execute(() -> {
                SessionCore c = core;
                if (c != null) {
                    c.onSent(out.message());
                }
            });
        }
        pump();
    }

    private void failed(Throwable failure) {
        LOG.debug("{}: write failed: {}", who(), failure.toString());
        synchronized (lock) {
            inFlight = false;
            output = Output.CLOSED;
            queue.clear();
            queued = 0;
        }
        Session s = session;
        if (s != null) {
            s.disconnect();
        }
    }

    @Override
    public long queuedBytes() {
        synchronized (lock) {
            return queued;
        }
    }

    @Override
    public void suspendInput() {
        synchronized (lock) {
            suspended = true;
        }
    }

    @Override
    public void resumeInput() {
        synchronized (lock) {
            suspended = false;
            if (!demandOwed) {
                return;
            }
            demandOwed = false;
        }
        demand();
    }

    @Override
    public void closeOnFlush() {
        synchronized (lock) {
            if (output == Output.OPEN) {
                output = Output.CLOSE_WHEN_FLUSHED;
            }
        }
        pump();
    }

    @Override
    public void closeNow() {
        synchronized (lock) {
            output = Output.CLOSED;
            queue.clear();
            queued = 0;
        }
        Session s = session;
        if (s != null) {
            s.disconnect();
        }
    }

    @Override
    public boolean isClosing() {
        synchronized (lock) {
            return output != Output.OPEN;
        }
    }

    @Override
    public String remote() {
        return remote;
    }

    /** The browser's (or proxy's) address: a WebSocket counts against the same per-address limits as TCP. */
    @Override
    public java.net.InetAddress address() {
        return address;
    }

    /** The server is stopping: the close that follows its NOTIFY says so (1001, going away). */
    void goingAway() {
        synchronized (lock) {
            goingAway = true;
        }
    }
}
