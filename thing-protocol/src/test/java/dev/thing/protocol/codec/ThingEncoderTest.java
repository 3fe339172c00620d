package dev.thing.protocol.codec;

import static dev.thing.protocol.codec.CodecScript.concat;
import static dev.thing.protocol.codec.CodecScript.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;
import dev.thing.protocol.MessageParser;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.codec.CodecScript.Feeder;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.filter.codec.ProtocolCodecSession;
import org.junit.jupiter.api.Test;

class ThingEncoderTest {

    private static byte[] encode(Object... messages) throws Exception {
        ThingEncoder encoder = new ThingEncoder();
        ProtocolCodecSession session = CodecScript.tcpLikeSession();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object message : messages) {
            encoder.encode(session, message, session.getEncoderOutput());
            Object o;
            while ((o = session.getEncoderOutputQueue().poll()) != null) {
                IoBuffer buffer = (IoBuffer) o;
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                out.writeBytes(bytes);
            }
        }
        return out.toByteArray();
    }

    @Test
    void chunkIsItsHeaderLineThenExactlyItsBytes() throws Exception {
        byte[] data = {'\n', '\r', 0x00, (byte) 0xFF, 'x'};
        assertThat(encode(new Message.Chunk(data))).isEqualTo(concat(utf8("CHUNK 5\n"), data));
    }

    @Test
    void maximalChunkIsItsHeaderLineThenThousandBytes() throws Exception {
        assertThat(encode(new Message.Chunk(CodecScript.THOUSAND)))
                .isEqualTo(concat(utf8("CHUNK 1000\n"), CodecScript.THOUSAND));
    }

    @Test
    void notifyIsOneUtf8LineEndedByLf() throws Exception {
        assertThat(encode(new ServerMessage.Notify("Café del Mar – Ñandú 東京 🎵")))
                .isEqualTo(utf8("NOTIFY Café del Mar – Ñandú 東京 🎵\n"));
    }

    @Test
    void lineBreaksInFreeTextCannotSplitTheLine() throws Exception {
        assertThat(encode(new ServerMessage.Notify("one\ntwo\r\nthree")))
                .isEqualTo(utf8("NOTIFY one two  three\n"));
        assertThat(encode(new ServerMessage.Error(ErrorCode.INTERNAL, "a\nb")))
                .isEqualTo(utf8("ERROR INTERNAL a b\n"));
    }

    @Test
    void quotedTokensAreWrittenWithEscapes() throws Exception {
        assertThat(encode(new Message.Send("Don\"t Stop", "", null, null)))
                .isEqualTo(utf8("SEND \"Don\\\"t Stop\" \"\"\n"));
    }

    @Test
    void somethingThatIsNotAMessageIsRefused() {
        assertThatThrownBy(() -> encode("LIST")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodedTransferDecodesBackToTheSameMessages() throws Exception {
        List<Message> messages = List.of(
                new Message.Send("Café del Mar – Ñandú", "東京", "", "a \\ b"),
                new Message.Chunk(CodecScript.FIVE), new Message.Chunk(CodecScript.THOUSAND),
                new Message.Chunk(new byte[] {'\n'}), new Message.Okay(null),
                new ServerMessage.Notify("done \"x\""), new ClientMessage.Get("Let It Be"));
        byte[] bytes = encode(messages.toArray());
        List<Frame> frames = new Feeder().feedByteByByte(bytes).frames();
        List<Message> decoded = new ArrayList<>();
        for (Frame frame : frames) {
            if (frame instanceof Frame.ChunkBody body) {
                decoded.add(body.chunk());
            } else if (frame instanceof Frame.Line line) {
                decoded.add(line.text().startsWith("NOTIFY") ? MessageParser.parseServer(line.text())
                        : MessageParser.parseClient(line.text()));
            } else {
                throw new AssertionError("unexpected " + frame);
            }
        }
        assertThat(decoded).isEqualTo(messages);
    }
}
