package dev.thing.protocol.codec;

import static dev.thing.protocol.codec.CodecScript.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.MessageWriter;
import dev.thing.protocol.ServerMessage;
import java.nio.ReadOnlyBufferException;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.filter.codec.ProtocolCodecSession;
import org.junit.jupiter.api.Test;

class EncodedLineTest {
    private static byte[] drain(IoBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Test
    void holdsTheSameLineAndBytesTheWriterAndEncoderWouldProduce() {
        ServerMessage update = new ServerMessage.Update("Café del Mar", "東京", "", "a \\ b");
        EncodedLine encoded = EncodedLine.of(update);

        assertThat(encoded.message()).isEqualTo(update);
        assertThat(encoded.line()).isEqualTo(MessageWriter.line(update));
        assertThat(drain(encoded.buffer())).isEqualTo(utf8(MessageWriter.line(update) + "\n"));
        assertThat(encoded.wireBytes()).isEqualTo(utf8(MessageWriter.line(update) + "\n").length);
    }

    @Test
    void eachConnectionReadsItsOwnViewSoOneReaderDoesNotMoveAnother() {
        EncodedLine encoded = EncodedLine.of(new ServerMessage.Notify("hello everyone"));
        IoBuffer first = encoded.buffer();
        IoBuffer second = encoded.buffer();

        byte[] all = drain(first);

        assertThat(first.hasRemaining()).isFalse();
        assertThat(second.remaining()).isEqualTo(all.length);
        assertThat(drain(second)).isEqualTo(all);
        assertThat(drain(encoded.buffer())).isEqualTo(utf8("NOTIFY hello everyone\n"));
    }

    @Test
    void noConnectionCanChangeTheSharedBytes() {
        EncodedLine encoded = EncodedLine.of(new ServerMessage.Notify("shared"));
        IoBuffer view = encoded.buffer();

        assertThatThrownBy(() -> view.put(0, (byte) 'X')).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(drain(encoded.buffer())).isEqualTo(utf8("NOTIFY shared\n"));
    }

    @Test
    void theEncoderWritesAnEncodedLineAsItsBytes() throws Exception {
        ThingEncoder encoder = new ThingEncoder();
        ProtocolCodecSession session = CodecScript.tcpLikeSession();
        encoder.encode(session, EncodedLine.of(new ServerMessage.Notify("once")), session.getEncoderOutput());

        assertThat(drain((IoBuffer) session.getEncoderOutputQueue().poll())).isEqualTo(utf8("NOTIFY once\n"));
    }
}
