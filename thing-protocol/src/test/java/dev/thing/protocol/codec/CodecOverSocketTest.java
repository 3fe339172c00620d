package dev.thing.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The codec in a real MINA acceptor, fed by a plain socket one byte per TCP write. */
class CodecOverSocketTest {
    private NioSocketAcceptor acceptor;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void startAcceptor() throws Exception {
        acceptor = new NioSocketAcceptor();
        acceptor.getFilterChain().addLast("codec", new ProtocolCodecFilter(new ThingCodecFactory()));
        acceptor.setHandler(new IoHandlerAdapter() {
            @Override
            public void messageReceived(IoSession session, Object message) {
                received.add(message);
            }

            @Override
            public void exceptionCaught(IoSession session, Throwable cause) {
                received.add(cause);
            }
        });
        acceptor.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void disposeAcceptor() {
        acceptor.unbind();
        acceptor.dispose(true);
    }

    @Test
    @Timeout(60)
    void scriptWrittenByteByByteOverTcpArrivesAsTheExactFrames() throws Exception {
        int port = ((InetSocketAddress) acceptor.getLocalAddress()).getPort();
        byte[] script = CodecScript.script();
        List<Frame> expected = CodecScript.expectedFrames();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            for (byte b : script) {
                out.write(b);
                out.flush();
            }
            List<Object> frames = new ArrayList<>();
            while (frames.size() < expected.size()) {
                Object frame = received.poll(20, TimeUnit.SECONDS);
                assertThat(frame).as("frame %d of %d (got %s)", frames.size() + 1, expected.size(), frames)
                        .isNotNull();
                frames.add(frame);
            }
            assertThat(frames).isEqualTo(expected);
        }
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).as("nothing more").isNull();
    }
}
