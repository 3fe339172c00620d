package dev.thing.protocol.codec;

import dev.thing.protocol.Message;
import java.nio.charset.StandardCharsets;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolEncoderAdapter;
import org.apache.mina.filter.codec.ProtocolEncoderOutput;

/**
 * Writes a {@link Message} as its line and LF; a chunk as its {@code CHUNK <n>} line and the n bytes; an
 * {@link EncodedLine} as the bytes it already holds.
 */
public final class ThingEncoder extends ProtocolEncoderAdapter {
    @Override
    public void encode(IoSession session, Object message, ProtocolEncoderOutput out) {
        if (message instanceof EncodedLine encoded) {
            out.write(encoded.buffer());
            return;
        }
        if (!(message instanceof Message m)) {
            throw new IllegalArgumentException("not a THING message: " + message);
        }
        FrameRules.Outgoing wire = FrameRules.outgoing(m);
        byte[] line = (wire.line() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = wire.body();
        IoBuffer buffer = IoBuffer.allocate(line.length + (body == null ? 0 : body.length));
        buffer.put(line);
        if (body != null) {
            buffer.put(body);
        }
        buffer.flip();
        out.write(buffer);
    }
}
