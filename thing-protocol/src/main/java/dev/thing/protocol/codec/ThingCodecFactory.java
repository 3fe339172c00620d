package dev.thing.protocol.codec;

import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFactory;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolEncoder;

/** The one codec of THING, used by the server and the client alike. */
public final class ThingCodecFactory implements ProtocolCodecFactory {
    public static final int DEFAULT_MAX_LINE_BYTES = 4096;

    private final ThingEncoder encoder = new ThingEncoder();
    private final ThingDecoder decoder;

    public ThingCodecFactory() {
        this(DEFAULT_MAX_LINE_BYTES);
    }

    public ThingCodecFactory(int maxLineBytes) {
        this(maxLineBytes, false);
    }

    /** See {@link ThingDecoder#ThingDecoder(int, boolean)}: the server gathers an upload's chunks per read. */
    public ThingCodecFactory(int maxLineBytes, boolean batchChunks) {
        this.decoder = new ThingDecoder(maxLineBytes, batchChunks);
    }

    @Override
    public ProtocolEncoder getEncoder(IoSession session) {
        return encoder;
    }

    @Override
    public ProtocolDecoder getDecoder(IoSession session) {
        return decoder;
    }
}
