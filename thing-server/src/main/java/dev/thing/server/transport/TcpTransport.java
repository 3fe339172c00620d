package dev.thing.server.transport;

import dev.thing.protocol.codec.EncodedLine;
import dev.thing.protocol.codec.ThingCodecFactory;
import dev.thing.protocol.codec.Frame;
import dev.thing.server.ServerConfig;
import dev.thing.server.session.SessionCore;
import dev.thing.server.session.Sessions;
import dev.thing.server.session.Wire;
import dev.thing.server.time.Timers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.write.WriteRequest;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.executor.ExecutorFilter;
import org.apache.mina.filter.executor.OrderedThreadPoolExecutor;
import org.apache.mina.filter.ssl.SslEvent;
import org.apache.mina.filter.ssl.SslFilter;
import org.apache.mina.transport.socket.nio.NioSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;

/**
 * The TCP transport: a MINA acceptor with the THING codec and an ordered executor (so no command, disk or SQLite
 * work runs on an I/O thread), and an {@code IoHandler} that only carries frames to the session core and
 * reports what was written. The protocol's rules live in {@link SessionCore}, not here.
 *
 * <p>With TLS on, a second acceptor puts MINA's {@link SslFilter} (TLS 1.2 and 1.3 only) in front of the same
 * chain and hands its connections to the same {@link Sessions}: the protocol over TLS is the protocol. Its
 * connections are opened in the core at once (counted against every limit, the handshake timeout running), but
 * what the core writes before the TLS handshake is over is held in the wire and written once it is, so that a
 * refusal NOTIFY reaches the client before the close instead of racing the handshake.
 */
public final class TcpTransport extends IoHandlerAdapter {
    private static final Logger LOG = LogManager.getLogger(TcpTransport.class);
    private static final AttributeKey CORE = new AttributeKey(TcpTransport.class, "core");

    private static final AttributeKey WIRE = new AttributeKey(TcpTransport.class, "wire");
    private static final AttributeKey TLS_FAILED = new AttributeKey(TcpTransport.class, "tlsFailed");
    /** The TLS versions the listener speaks; older ones are refused in the handshake. */
    static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final ServerConfig config;
    private final Sessions sessions;
    private final Timers timers;
    private final OrderedThreadPoolExecutor workers;
    /** Where a lingering close's end reaches the core (see {@link #outputShut}). */
    private final java.util.concurrent.ExecutorService closer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "thing-closer");
        t.setDaemon(true);
        return t;
    });
    /** Connections whose output is shut and whose input is drained until the client closes (lingering close). */
    private final java.util.concurrent.atomic.AtomicInteger lingering = new java.util.concurrent.atomic.AtomicInteger();
    private NioSocketAcceptor acceptor;
    private NioSocketAcceptor tlsAcceptor;

    public TcpTransport(ServerConfig config, Sessions sessions, Timers timers) {
        this.config = config;
        this.sessions = sessions;
        this.timers = timers;
        this.workers = new OrderedThreadPoolExecutor(config.workerThreads());
        workers.setThreadFactory(r -> {
            Thread t = new Thread(r, "thing-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds; returns the address actually bound (port 0 becomes a real port). */
    public InetSocketAddress bind() throws IOException {
        acceptor = acceptor(null);
        acceptor.bind(config.bind());
        return acceptor.getLocalAddress();
    }

    /**
     * Binds the TLS listener at {@code address} with {@code context}'s certificate; returns the address actually
     * bound.
     */
    public InetSocketAddress bindTls(InetSocketAddress address, SSLContext context) throws IOException {
        tlsAcceptor = acceptor(context);
        tlsAcceptor.bind(address);
        return tlsAcceptor.getLocalAddress();
    }

    private NioSocketAcceptor acceptor(SSLContext tls) {
        NioSocketAcceptor a = new NioSocketAcceptor(config.ioThreads());
        a.setReuseAddress(true);
        // Shutdown unbinds first and then tells every client it is stopping; by default MINA would close every
        // session at unbind, before the NOTIFY could be written.
        a.setCloseOnDeactivation(false);
        a.setBacklog(1024);
        a.getSessionConfig().setTcpNoDelay(true);
        a.getSessionConfig().setIdleTime(IdleStatus.BOTH_IDLE, 0);
        if (tls != null) {
            a.getFilterChain().addLast("tls", new ServerTlsFilter(tls));
        }
        a.getFilterChain().addLast("codec", new ProtocolCodecFilter(new ThingCodecFactory(config.maxLineBytes(), true)));
        a.getFilterChain().addLast("broadcastSent", new BroadcastSentFilter());
        a.getFilterChain().addLast("executor", new ExecutorFilter(workers));
        a.setHandler(this);
        return a;
    }

    public InetSocketAddress address() {
        return acceptor.getLocalAddress();
    }

    /** The TLS listener's address, or null when TLS is off. */
    public InetSocketAddress tlsAddress() {
        return tlsAcceptor == null ? null : tlsAcceptor.getLocalAddress();
    }

    /** Stops accepting; open connections stay until {@link #dispose()}. */
    public void unbind() {
        acceptor.unbind();
        if (tlsAcceptor != null) {
            tlsAcceptor.unbind();
        }
    }

    /**
     * Connections in a lingering close: their output is shut and their input drained until the client closes. The
     * server's stop waits for these as for open sessions, since closing one while its client still sends resets it.
     */
    public int lingering() {
        return Math.max(0, lingering.get());
    }

    /** Closes every connection (lingering ones too) and stops. */
    public void dispose() {
        acceptor.dispose(true);
        if (tlsAcceptor != null) {
            tlsAcceptor.dispose(true);
        }
        workers.shutdown();
        closer.shutdown();
        try {
            workers.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            closer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void sessionOpened(IoSession session) {
        boolean tls = session.getFilterChain().contains(SslFilter.class) && !isSecured(session);
        // A lingering close is the end of the session as the protocol sees it once the output is shut; the socket
        // only drains. The core's end (the member leaves its lobby) runs off the I/O thread.
        MinaWire wire = new MinaWire(session, tls ? timers : null, config.handshakeTimeout().toNanos(),
                () -> outputShut(session));
        session.setAttribute(WIRE, wire);
        session.setAttribute(CORE, sessions.open(wire));
        // This runs on a worker while the handshake goes on on the I/O thread: had it finished before the wire was
        // there to hear of it, the held greeting would wait for ever. (secured() runs once, whoever calls first.)
        if (tls && isSecured(session)) {
            wire.secured();
        }
    }

    private static boolean isSecured(IoSession session) {
        return session.getAttribute(SslFilter.SSL_SECURED) != null;
    }

    /** The TLS handshake is over: what the core wrote meanwhile goes out now. Runs on the I/O thread. */
    @Override
    public void event(IoSession session, FilterEvent event) {
        if (event == SslEvent.SECURED) {
            MinaWire wire = (MinaWire) session.getAttribute(WIRE);
            SSLSession tls = (SSLSession) session.getAttribute(SslFilter.SSL_SECURED);
            if (tls != null) {
                LOG.debug("{}: TLS handshake done ({}, {})", session.getRemoteAddress(), tls.getProtocol(),
                        tls.getCipherSuite());
            }
            if (wire != null) {
                wire.secured();
            }
        }
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        SessionCore core = (SessionCore) session.getAttribute(CORE);
        if (core != null && !session.isClosing()) {
            core.onFrame((Frame) message);
        }
    }

    @Override
    public void messageSent(IoSession session, Object message) {
        SessionCore core = (SessionCore) session.getAttribute(CORE);
        if (core != null) {
            core.onSent(message);
        }
    }

    /**
     * A session whose output was shut ends for the core now, on a thread of its own: not an I/O thread (the member
     * leaves its lobby, which tells the others), and not the timers (tests run those on a manual clock).
     */
    private void outputShut(IoSession session) {
        lingering.incrementAndGet();
        SessionCore core = (SessionCore) session.getAttribute(CORE);
        if (core == null) {
            return;
        }
        try {
            closer.execute(() -> {
                try {
                    core.onClosed();
                } catch (RuntimeException e) {
                    LOG.error("ending {} failed", core.who(), e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            core.onClosed(); // stopping: the socket's close follows at once anyway
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        MinaWire wire = (MinaWire) session.getAttribute(WIRE);
        if (wire != null && wire.socketClosed()) {
            lingering.decrementAndGet();
        }
        SessionCore core = (SessionCore) session.getAttribute(CORE);
        if (core != null) {
            core.onClosed();
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        SessionCore core = (SessionCore) session.getAttribute(CORE);
        String who = core == null ? String.valueOf(session.getRemoteAddress()) : core.who();
        if (cause instanceof SSLException && !isSecured(session)) {
            // A client that speaks no TLS, TLS 1.1 or older, or distrusts the certificate: a line, not a trace (once:
            // MINA reports the failure again as it sends the alert).
            if (session.setAttributeIfAbsent(TLS_FAILED, Boolean.TRUE) == null) {
                LOG.info("{}: TLS handshake failed: {}", who, cause.getMessage());
            }
        } else if (cause instanceof IOException) {
            LOG.debug("{}: {}", who, cause.toString());
        } else {
            LOG.warn("{}: unexpected failure; closing the connection", who, cause);
        }
        session.closeNow();
    }

    /**
     * Stops MINA's report that a broadcast line was written, before it reaches the executor: the core does not count
     * those lines ({@code Outbox}), and each report would cost a hand-off to a worker thread for every member at
     * every broadcast. A broadcast line is the only write that was a buffer before the codec ({@link MinaWire}
     * writes it so); every other write was a THING message, which stays the request's original message.
     */
    static final class BroadcastSentFilter extends IoFilterAdapter {
        @Override
        public void messageSent(NextFilter next, IoSession session, WriteRequest request) throws Exception {
            if (!(request.getOriginalMessage() instanceof IoBuffer)) {
                next.messageSent(session, request);
            }
        }
    }

    /**
     * The TLS filter of the second listener: TLS 1.2 and 1.3 only, and an engine made without the peer's host
     * name (MINA's default asks the resolver for it, a reverse lookup on an I/O thread that a server never needs).
     */
    private static final class ServerTlsFilter extends SslFilter {
        ServerTlsFilter(SSLContext context) {
            super(context);
            setEnabledProtocols(TLS_PROTOCOLS);
        }

        @Override
        protected SSLEngine createEngine(IoSession session, InetSocketAddress addr) {
            return super.createEngine(session, null);
        }

        /**
         * Ends TLS on {@code session} the way TLS says a sender must (RFC 8446 6.1): what is queued is encrypted and
         * sent, then a close_notify alert. MINA 2.2 sends none when a session is simply closed, so a peer such as
         * {@code openssl s_client} would report an unexpected end of file after QUIT, and could not tell a clean
         * close from a cut connection. Nothing is written in the clear afterwards: the session has no TLS handler
         * left, and a later write fails.
         */
        static void closeNotify(IoSession session) {
            ServerTlsFilter filter = (ServerTlsFilter) session.getFilterChain().get(ServerTlsFilter.class);
            if (filter == null || !isSecured(session)) {
                return;
            }
            // The handler stays on the session (SslFilter.onClose would remove it, and the acknowledgements of the
            // writes still on their way would find none): only its engine is closed, which sends the alert.
            org.apache.mina.filter.ssl.SslHandler handler =
                    (org.apache.mina.filter.ssl.SslHandler) session.getAttribute(SSL_HANDLER);
            if (handler == null) {
                return;
            }
            try {
                handler.close(session.getFilterChain().getNextFilter(filter), false);
            } catch (SSLException | RuntimeException e) {
                LOG.debug("{}: sending close_notify failed", session.getRemoteAddress(), e);
            }
        }
    }

    /**
     * A MINA session as the core's wire. On a TLS connection whose handshake is still under way, what the core
     * writes (its greeting or a refusal, at most a few lines, since the client cannot speak yet) is held and written
     * once the handshake is over, and a close asked for meanwhile follows it. A TLS handshake not over within the
     * handshake timeout closes the connection.
     */
    private static final class MinaWire implements Wire {
        private final IoSession session;
        /** Writes held until the TLS handshake is over and flushed (in order); null for plain TCP. */
        private final List<Object> held;
        /** False while writes are held (TLS handshake under way, or the held ones being flushed). */
        private boolean open;
        private boolean flushing;
        private boolean closeWhenSecured;
        /** Closing: the output is (being) shut, input is read and dropped until the client closes. */
        private boolean lingerStarted;
        /** The future of the latest write (plain TCP): a lingering close shuts the output once it is done. */
        private volatile WriteFuture lastWrite;
        /** Set once the output is shut (lingering close): the session is over but for draining. */
        private boolean outputShut;
        private boolean socketClosed;
        /** Told once, when the output has been shut. */
        private final Runnable onOutputShut;

        /** MINA closed the session; true if its output had been shut (it was lingering until now). */
        synchronized boolean socketClosed() {
            socketClosed = true;
            return outputShut;
        }
        private Timers.Cancellable deadline;

        MinaWire(IoSession session, Timers timers, long handshakeNanos, Runnable onOutputShut) {
            this.session = session;
            this.onOutputShut = onOutputShut;
            if (timers != null) {
                held = new ArrayList<>();
                deadline = timers.schedule(this::handshakeOver, handshakeNanos);
            } else {
                held = null;
                open = true;
            }
        }

        /**
         * The TLS handshake is over: the held writes go out in order, then the close asked for, if any. The writes
         * are made outside this object's monitor (the TLS handler takes its own lock inside session.write, and
         * fires the end of the handshake holding it); writes that come meanwhile join the held ones, so nothing
         * overtakes them. One thread flushes; a second caller finds it at work and leaves.
         */
        void secured() {
            synchronized (this) {
                if (open || flushing) {
                    return;
                }
                flushing = true;
                if (deadline != null) {
                    deadline.cancel();
                }
            }
            boolean close;
            while (true) {
                List<Object> batch;
                synchronized (this) {
                    if (held.isEmpty()) {
                        open = true;
                        flushing = false;
                        close = closeWhenSecured;
                        break;
                    }
                    batch = new ArrayList<>(held);
                    held.clear();
                }
                for (Object m : batch) {
                    session.write(forMina(m));
                }
            }
            if (close) {
                ServerTlsFilter.closeNotify(session);
                session.closeOnFlush();
            }
        }

        @Override
        public void write(Object message) {
            synchronized (this) {
                if (!open) {
                    held.add(message);
                    return;
                }
            }
            lastWrite = session.write(forMina(message));
        }

        /**
         * A broadcast line goes down as a buffer of its shared bytes, which the codec filter passes on without
         * encoding it again (and the TLS filter, if any, encrypts like any other buffer); MINA reports that buffer
         * as sent, which the core counts as the line it is.
         */
        private static Object forMina(Object message) {
            return message instanceof EncodedLine encoded ? encoded.buffer() : message;
        }

        @Override
        public long queuedBytes() {
            return session.getScheduledWriteBytes();
        }

        @Override
        public void suspendInput() {
            session.suspendRead();
        }

        @Override
        public void resumeInput() {
            if (session.isReadSuspended()) {
                session.resumeRead();
            }
        }

        @Override
        public void closeOnFlush() {
            synchronized (this) {
                if (!open) {
                    closeWhenSecured = true;
                    return;
                }
            }
            if (held != null) {
                ServerTlsFilter.closeNotify(session);
                session.closeOnFlush();
                return;
            }
            lingeringClose();
        }

        /**
         * Closes plain TCP so that what was written arrives whatever the client is still sending. A socket closed
         * with unread input answers with a reset, and a reset makes the client's system drop what it had received
         * and not yet handed to the program: an uploader's "server is shutting down" NOTIFY would be lost to its
         * own CHUNKs still on the way. So the output is shut once everything queued is sent (the client reads the
         * lines, then end of stream), reading goes on and what comes is dropped (the core ignores a closing
         * session's input), and the session closes when the client closes its side, at the core's close grace
         * timer, or at the server's stop. Once the output is shut the core is told the connection ended (the member
         * leaves at once, not when the client gets round to closing).
         */
        private void lingeringClose() {
            synchronized (this) {
                if (lingerStarted) {
                    return;
                }
                lingerStarted = true;
            }
            resumeInput();
            WriteFuture last = lastWrite;
            if (last == null) {
                shutOutput();
            } else {
                // Writes go out in order: the last one written means everything was.
                last.addListener(f -> {
                    if (((WriteFuture) f).isWritten()) {
                        shutOutput();
                    } else {
                        session.closeNow();
                    }
                });
            }
        }

        private void shutOutput() {
            if (!(session instanceof NioSession nio) || !(nio.getChannel() instanceof SocketChannel channel)) {
                session.closeOnFlush();
                return;
            }
            synchronized (this) {
                if (outputShut || socketClosed) {
                    return;
                }
                outputShut = true;
            }
            try {
                channel.shutdownOutput();
                onOutputShut.run();
            } catch (IOException | RuntimeException e) {
                LOG.debug("{}: shutting the output failed: {}", session.getRemoteAddress(), e.toString());
                session.closeNow();
            }
        }

        private void handshakeOver() {
            synchronized (this) {
                if (open || flushing) {
                    return;
                }
            }
            LOG.info("{}: no TLS handshake within the handshake timeout; closing", session.getRemoteAddress());
            session.closeNow();
        }

        @Override
        public void closeNow() {
            session.closeNow();
        }

        @Override
        public boolean isClosing() {
            synchronized (this) {
                if (lingerStarted) {
                    return true;
                }
            }
            return session.isClosing();
        }

        @Override
        public String remote() {
            return String.valueOf(session.getRemoteAddress());
        }

        @Override
        public InetAddress address() {
            return session.getRemoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        }
    }
}
