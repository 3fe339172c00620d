package dev.thing.protocol.codec;

import dev.thing.protocol.Message;
import java.io.ByteArrayOutputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.DefaultTransportMetadata;
import org.apache.mina.core.session.IoSessionConfig;
import org.apache.mina.filter.codec.ProtocolCodecSession;

/** The mixed input script shared by the codec tests, and helpers to drive the decoder. */
final class CodecScript {
    private CodecScript() {
    }

    static final String UNICODE_LINE = "SEND \"Café del Mar – Ñandú\" 東京 🎵";
    static final byte[] FIVE = {'\n', '\r', 0x00, (byte) 0xFF, '\n'};
    static final byte[] THOUSAND = thousand();

    private static byte[] thousand() {
        byte[] data = new byte[1000];
        new Random(1000).nextBytes(data);
        data[0] = '\n';
        data[1] = '\r';
        data[2] = '\n';
        data[999] = '\n';
        return data;
    }

    /** Several lines (CRLF, LF, Unicode), CHUNK 5 + raw bytes, OKAY right behind them, CHUNK 1000, more lines. */
    static byte[] script() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8("HELLO world\r\n"));
        out.writeBytes(utf8("LIST\n"));
        out.writeBytes(utf8(UNICODE_LINE + "\n"));
        out.writeBytes(utf8("CHUNK 5\n"));
        out.writeBytes(FIVE);
        out.writeBytes(utf8("OKAY\n"));
        out.writeBytes(utf8("CHUNK 1000\n"));
        out.writeBytes(THOUSAND);
        out.writeBytes(utf8("\r\n"));
        out.writeBytes(utf8("QUIT\r\n"));
        return out.toByteArray();
    }

    static List<Frame> expectedFrames() {
        return List.of(
                new Frame.Line("HELLO world"),
                new Frame.Line("LIST"),
                new Frame.Line(UNICODE_LINE),
                new Frame.ChunkBody(new Message.Chunk(FIVE)),
                new Frame.Line("OKAY"),
                new Frame.ChunkBody(new Message.Chunk(THOUSAND)),
                new Frame.Line(""),
                new Frame.Line("QUIT"));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /**
     * A codec session that looks like TCP to the decoder. A plain DummySession's transport metadata says
     * "no fragmentation", and then MINA's CumulativeProtocolDecoder does not keep partial input between calls.
     */
    static ProtocolCodecSession tcpLikeSession() {
        ProtocolCodecSession session = new ProtocolCodecSession();
        session.setTransportMetadata(new DefaultTransportMetadata("test", "tcp-like", false, true,
                SocketAddress.class, IoSessionConfig.class, Object.class));
        return session;
    }

    /** Feeds the pieces one decode() call each; returns every frame handed up, in order. */
    static final class Feeder {
        final ThingDecoder decoder;
        final ProtocolCodecSession session = tcpLikeSession();

        Feeder(int maxLineBytes) {
            this(new ThingDecoder(maxLineBytes));
        }

        Feeder(ThingDecoder decoder) {
            this.decoder = decoder;
        }

        Feeder() {
            this(ThingCodecFactory.DEFAULT_MAX_LINE_BYTES);
        }

        Feeder feed(byte[] bytes, int from, int to) throws Exception {
            if (to > from) {
                IoBuffer buffer = IoBuffer.wrap(java.util.Arrays.copyOfRange(bytes, from, to));
                decoder.decode(session, buffer, session.getDecoderOutput());
            }
            return this;
        }

        Feeder feed(byte[] bytes) throws Exception {
            return feed(bytes, 0, bytes.length);
        }

        Feeder feedByteByByte(byte[] bytes) throws Exception {
            for (int i = 0; i < bytes.length; i++) {
                feed(bytes, i, i + 1);
            }
            return this;
        }

        Feeder feedRandomPieces(byte[] bytes, Random random, int maxPiece) throws Exception {
            int i = 0;
            while (i < bytes.length) {
                int n = 1 + random.nextInt(maxPiece);
                int to = Math.min(bytes.length, i + n);
                feed(bytes, i, to);
                i = to;
            }
            return this;
        }

        List<Frame> frames() {
            List<Frame> frames = new ArrayList<>();
            Object o;
            while ((o = session.getDecoderOutputQueue().poll()) != null) {
                frames.add((Frame) o);
            }
            return frames;
        }

        /** Bytes the decoder (or MINA for it) keeps between calls, in session buffers. */
        int bufferedBytes() {
            int total = 0;
            for (Object key : session.getAttributeKeys()) {
                if (session.getAttribute(key) instanceof IoBuffer buffer) {
                    total += buffer.capacity();
                }
            }
            return total;
        }
    }
}
