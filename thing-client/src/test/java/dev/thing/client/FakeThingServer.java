package dev.thing.client;

import dev.thing.protocol.MessageParser;
import dev.thing.protocol.ProtocolException;
import dev.thing.protocol.codec.Frame;
import dev.thing.protocol.codec.ThingCodecFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.nio.channels.SocketChannel;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.transport.socket.nio.NioSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;

/**
 * A scripted THING server on 127.0.0.1 and a free port: greets, then answers each line with the lines the script
 * gives ("CLOSE" closes the connection).
 */
final class FakeThingServer implements AutoCloseable {
    static final String GREETING = "NOTIFY THING/1.0 ready: send \"<lobby> <username>\" to join, or HELP, LOBBIES, CAP, QUIT";
    final List<String> received = new CopyOnWriteArrayList<>();
    private final NioSocketAcceptor acceptor = new NioSocketAcceptor();

    /** The CAP lines the client sent (they are answered OKAY and kept out of {@code received}). */
    final List<String> capabilities = new java.util.concurrent.CopyOnWriteArrayList<>();

    FakeThingServer(Function<String, List<String>> script) throws IOException {
        acceptor.getFilterChain().addLast("codec", new ProtocolCodecFilter(new ThingCodecFactory()));
        acceptor.setHandler(new IoHandlerAdapter() {
            @Override
            public void sessionOpened(IoSession session) throws Exception {
                write(session, GREETING);
            }

            @Override
            public void messageReceived(IoSession session, Object message) throws Exception {
                if (session.containsAttribute(CLOSING)) {
                    return;
                }
                if (message instanceof Frame.Line line && line.text().startsWith("CAP ")) {
                    // Like the real server, it takes the client's capabilities before the join line.
                    capabilities.add(line.text());
                    write(session, "OKAY");
                } else if (message instanceof Frame.Line line) {
                    received.add(line.text());
                    WriteFuture last = null;
                    for (String reply : script.apply(line.text())) {
                        if (reply.equals("CLOSE")) {
                            // As the real server closes (RFC 2.1): the output is shut once the lines are written,
                            // and what the client still sends (an upload's chunks) is read and dropped until it
                            // closes. Closing with unread bytes would answer them with a reset, which can destroy
                            // the lines just written before the client has read them.
                            session.setAttribute(CLOSING, Boolean.TRUE);
                            if (last == null) {
                                shutOutput(session);
                            } else {
                                last.addListener(f -> shutOutput(session));
                            }
                            CLOSER.schedule(() -> session.closeNow(), 10, TimeUnit.SECONDS);
                        } else {
                            last = write(session, reply);
                        }
                    }
                }
            }
        });
        acceptor.bind(new InetSocketAddress("127.0.0.1", 0));
    }

    private static final String CLOSING = "fake.closing";
    private static final ScheduledExecutorService CLOSER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-server-closer");
        t.setDaemon(true);
        return t;
    });

    private static WriteFuture write(IoSession session, String line) throws ProtocolException {
        return session.write(MessageParser.parseServer(line));
    }

    private static void shutOutput(IoSession session) {
        try {
            ((SocketChannel) ((NioSession) session).getChannel()).shutdownOutput();
        } catch (IOException e) {
            session.closeNow();
        }
    }

    int port() {
        return acceptor.getLocalAddress().getPort();
    }

    @Override
    public void close() {
        acceptor.unbind();
        acceptor.dispose(true);
    }
}
