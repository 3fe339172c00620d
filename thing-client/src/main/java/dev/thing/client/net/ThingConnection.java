package dev.thing.client.net;

import dev.thing.protocol.Message;
import dev.thing.protocol.codec.Frame;
import dev.thing.protocol.codec.ThingCodecFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.ssl.SslFilter;
import org.apache.mina.transport.socket.nio.NioSocketConnector;

/**
 * The MINA side of the client: a NioSocketConnector with the THING codec. Every I/O event (frames, "sent",
 * close) is handed to one single-threaded executor, so the protocol state and the disk writes of incoming transfers
 * never run on the I/O thread and always run in order.
 */
public final class ThingConnection implements Transport, AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ThingConnection.class);

    private final NioSocketConnector connector = new NioSocketConnector();
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "thing-client-events");
        t.setDaemon(true);
        return t;
    });
    private volatile IoSession session;
    private volatile ClientProtocol protocol;
    private volatile String lastNotify;
    private volatile Throwable failure;

    private ThingConnection() {
    }

    /**
     * Connects and builds the protocol on top of the new transport. The server's greeting may arrive at once; the
     * protocol answers it with the join line.
     */
    public static ThingConnection open(String host, int port, Duration timeout,
                                       Function<Transport, ClientProtocol> protocolFactory) throws IOException {
        return open(host, port, timeout, null, protocolFactory);
    }

    /**
     * As {@link #open(String, int, Duration, Function)}, over TLS (1.2 or 1.3) when {@code tls} is not null: the
     * server's certificate is checked by {@code tls}, and the protocol starts once the handshake is over.
     */
    public static ThingConnection open(String host, int port, Duration timeout, ServerTrust tls,
                                       Function<Transport, ClientProtocol> protocolFactory) throws IOException {
        ThingConnection c = new ThingConnection();
        c.protocol = protocolFactory.apply(c);
        if (tls != null) {
            SslFilter filter = new SslFilter(tls.sslContext());
            filter.setEnabledProtocols("TLSv1.3", "TLSv1.2");
            c.connector.getFilterChain().addLast("tls", filter);
        }
        c.connector.getFilterChain().addLast("codec", new ProtocolCodecFilter(new ThingCodecFactory()));
        c.connector.getSessionConfig().setTcpNoDelay(true);
        c.connector.setConnectTimeoutMillis(timeout.toMillis());
        c.connector.setHandler(c.new Handler());
        ConnectFuture future = c.connector.connect(new InetSocketAddress(host, port));
        future.awaitUninterruptibly();
        if (!future.isConnected()) {
            c.dispose();
            Throwable cause = future.getException();
            throw new IOException("cannot connect to " + host + ":" + port
                    + (cause == null ? "" : ": " + cause.getMessage()), cause);
        }
        c.session = future.getSession();
        return c;
    }

    public ClientProtocol protocol() {
        return protocol;
    }

    /** What broke the connection (a TLS handshake failure, say), or null: for telling people why. */
    public Throwable failure() {
        return failure;
    }

    /**
     * The text of the last NOTIFY line received (the greeting included), or null: for showing people why a
     * connection closed, never for deciding protocol state.
     */
    public String lastNotify() {
        return lastNotify;
    }

    @Override
    public void write(Message message, Runnable onSent) {
        IoSession s = session;
        if (s == null || !s.isConnected()) {
            LOG.debug("write on a closed connection dropped: {}", message);
            return;
        }
        if (LOG.isDebugEnabled() && !(message instanceof Message.Chunk)) {
            LOG.debug(">> {}", dev.thing.protocol.MessageWriter.line(message));
        }
        WriteFuture wf = s.write(message);
        if (onSent != null) {
            // The write future is completed where MINA fires messageSent: once the bytes are in the socket.
            wf.addListener(f -> {
                if (((WriteFuture) f).isWritten()) {
                    dispatch(onSent);
                }
            });
        }
    }

    @Override
    public void close() {
        IoSession s = session;
        if (s != null) {
            s.closeOnFlush();
        }
    }

    /** Waits up to {@code timeout} for the connection to close, then releases everything. */
    public void dispose(Duration timeout) {
        IoSession s = session;
        if (s != null) {
            s.closeOnFlush().awaitUninterruptibly(timeout.toMillis());
            s.closeNow();
        }
        dispose();
    }

    private void dispose() {
        connector.dispose(false);
        events.shutdown();
        try {
            events.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(Runnable r) {
        try {
            events.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.error("event handler failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("event after shutdown dropped");
        }
    }

    private final class Handler extends IoHandlerAdapter {
        /**
         * The session is known from here on, before any line can arrive: the server's greeting may be handled (and
         * the join line written) before {@link #open} gets the session from its connect future.
         */
        @Override
        public void sessionCreated(IoSession s) {
            session = s;
        }

        @Override
        public void messageReceived(IoSession s, Object message) {
            Frame frame = (Frame) message;
            if (frame instanceof Frame.Line line && line.text().startsWith("NOTIFY ")) {
                lastNotify = line.text().substring("NOTIFY ".length());
            }
            dispatch(() -> protocol.onFrame(frame));
        }

        @Override
        public void sessionClosed(IoSession s) {
            LOG.info("connection closed");
            dispatch(() -> protocol.onClosed());
        }

        @Override
        public void exceptionCaught(IoSession s, Throwable cause) {
            if (failure == null) {
                failure = cause;
            }
            if (cause instanceof javax.net.ssl.SSLException) {
                LOG.warn("TLS failure: {}", cause.toString());
                if (s.getAttribute(SslFilter.SSL_SECURED) == null) {
                    // A failed handshake (a refused certificate, say) is the end of this connection whether or not
                    // MINA reports the close: MINA's TLS handler reports it from its task thread, where the close
                    // has been seen not to come through.
                    dispatch(() -> protocol.onClosed());
                }
            } else if (cause instanceof org.apache.mina.core.write.WriteToClosedSessionException || s.isClosing()) {
                // TLS's close_notify after the socket is gone: nothing was lost.
                LOG.debug("write after close: {}", cause.toString());
            } else {
                LOG.warn("connection error", cause);
            }
            s.closeNow();
        }
    }
}
