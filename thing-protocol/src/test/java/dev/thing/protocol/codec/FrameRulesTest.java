package dev.thing.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.Message;
import dev.thing.protocol.ServerMessage;
import org.junit.jupiter.api.Test;

/** The rules both transports share. */
class FrameRulesTest {
    @Test
    void chunkHeadersAreReadOnce() {
        assertThat(FrameRules.isChunkHeader("CHUNK 1")).isTrue();
        assertThat(FrameRules.isChunkHeader(" \tchunk 1")).isTrue();
        assertThat(FrameRules.isChunkHeader("CHUNK")).isTrue();
        assertThat(FrameRules.isChunkHeader("CHUNKY 1")).isFalse();
        assertThat(FrameRules.isChunkHeader("SEND CHUNK")).isFalse();
        assertThat(FrameRules.chunkHeader("CHUNK 1")).isEqualTo(new FrameRules.Body(1));
        assertThat(FrameRules.chunkHeader("CHUNK 1000 ")).isEqualTo(new FrameRules.Body(1000));
        assertThat(FrameRules.chunkHeader("CHUNK 1001")).isEqualTo(new FrameRules.Oversized(1001));
        assertThat(FrameRules.chunkHeader("CHUNK 65536")).isEqualTo(new FrameRules.Oversized(65_536));
        assertThat(FrameRules.chunkHeader("CHUNK 65537")).isEqualTo(new FrameRules.Bad());
        assertThat(FrameRules.chunkHeader("CHUNK 0")).isEqualTo(new FrameRules.Bad());
        assertThat(FrameRules.chunkHeader("CHUNK +5")).isEqualTo(new FrameRules.Bad());
    }

    @Test
    void aMessageGoesOnTheWireAsItsLineAndForAChunkItsBytes() {
        FrameRules.Outgoing chunk = FrameRules.outgoing(new Message.Chunk(new byte[] {1, 2}));
        assertThat(chunk.line()).isEqualTo("CHUNK 2");
        assertThat(chunk.body()).containsExactly(1, 2);
        FrameRules.Outgoing notify = FrameRules.outgoing(new ServerMessage.Notify("hello there"));
        assertThat(notify.line()).isEqualTo("NOTIFY hello there");
        assertThat(notify.body()).isNull();
    }

    @Test
    void theHeadOfADiscardedLineKeepsItsVerbInAscii() {
        assertThat(FrameRules.head("SEND \"Café\" and a lot more")).isEqualTo("SEND \"Caf?\" and ");
        assertThat(FrameRules.head("a\tb")).isEqualTo("a b");
    }
}
