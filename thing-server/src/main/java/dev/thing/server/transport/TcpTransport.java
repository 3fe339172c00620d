package dev.thing.server.transport;

import dev.thing.protocol.codec.ThingCodecFactory;
import dev.thing.protocol.codec.Frame;
import dev.thing.server.ServerConfig;
import dev.thing.server.session.SessionCore;
import dev.thing.server.session.Sessions;
import dev.thing.server.session.Wire;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.executor.ExecutorFilter;
import org.apache.mina.filter.executor.OrderedThreadPoolExecutor;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;

/**
 * The TCP transport: a MINA acceptor with the THING codec and an ordered executor (so no command, disk or SQLite
 * work runs on an I/O thread), and an {@code IoHandler} that only carries frames to the session core and
 * reports what was written. The protocol's rules live in {@link SessionCore}, not here.
 */
public final class TcpTransport extends IoHandlerAdapter {
    private static final Logger LOG = LogManager.getLogger(TcpTransport.class);
    private static final AttributeKey CORE = new AttributeKey(TcpTransport.class, "core");

    private final ServerConfig config;
    private final Sessions sessions;
    private final OrderedThreadPoolExecutor workers;
    private NioSocketAcceptor acceptor;

    public TcpTransport(ServerConfig config, Sessions sessions) {
        this.config = config;
        this.sessions = sessions;
        this.workers = new OrderedThreadPoolExecutor(config.workerThreads());
        workers.setThreadFactory(r -> {
            Thread t = new Thread(r, "thing-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds; returns the address actually bound (port 0 becomes a real port). */
    public InetSocketAddress bind() throws IOException {
        acceptor = new NioSocketAcceptor(config.ioThreads());
        acceptor.setReuseAddress(true);
        // Shutdown unbinds first and then tells every client it is stopping; by default MINA would close every
        // session at unbind, before the NOTIFY could be written.
        acceptor.setCloseOnDeactivation(false);
        acceptor.setBacklog(1024);
        acceptor.getSessionConfig().setTcpNoDelay(true);
        acceptor.getSessionConfig().setIdleTime(IdleStatus.BOTH_IDLE, 0);
        acceptor.getFilterChain().addLast("codec", new ProtocolCodecFilter(new ThingCodecFactory(config.maxLineBytes())));
        acceptor.getFilterChain().addLast("executor", new ExecutorFilter(workers));
        acceptor.setHandler(this);
        acceptor.bind(config.bind());
        return acceptor.getLocalAddress();
    }

    public InetSocketAddress address() {
        return acceptor.getLocalAddress();
    }

    /** Stops accepting; open connections stay until {@link #dispose()}. */
    public void unbind() {
        acceptor.unbind();
    }

    public void dispose() {
        acceptor.dispose(true);
        workers.shutdown();
        try {
            workers.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void sessionOpened(IoSession session) {
        session.setAttribute(CORE, sessions.open(new MinaWire(session)));
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

    @Override
    public void sessionClosed(IoSession session) {
        SessionCore core = (SessionCore) session.getAttribute(CORE);
        if (core != null) {
            core.onClosed();
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        SessionCore core = (SessionCore) session.getAttribute(CORE);
        String who = core == null ? String.valueOf(session.getRemoteAddress()) : core.who();
        if (cause instanceof IOException) {
            LOG.debug("{}: {}", who, cause.toString());
        } else {
            LOG.warn("{}: unexpected failure; closing the connection", who, cause);
        }
        session.closeNow();
    }

    /** A MINA session as the core's wire. */
    private static final class MinaWire implements Wire {
        private final IoSession session;

        MinaWire(IoSession session) {
            this.session = session;
        }

        @Override
        public void write(Object message) {
            session.write(message);
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
            session.closeOnFlush();
        }

        @Override
        public void closeNow() {
            session.closeNow();
        }

        @Override
        public boolean isClosing() {
            return session.isClosing();
        }

        @Override
        public String remote() {
            return String.valueOf(session.getRemoteAddress());
        }
    }
}
