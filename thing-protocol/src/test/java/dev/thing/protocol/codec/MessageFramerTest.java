package dev.thing.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The WebSocket framing: one text message per line, one binary message per chunk body, every mistake one error. */
class MessageFramerTest {
    private final MessageFramer framer = new MessageFramer(64);

    private static Frame.Malformed malformed(Frame f) {
        assertThat(f).isInstanceOf(Frame.Malformed.class);
        return (Frame.Malformed) f;
    }

    private void assertInStep() {
        assertThat(framer.text("HELP")).containsExactly(new Frame.Line("HELP"));
    }

    @Test
    void aTextMessageIsOneLine() {
        assertThat(framer.text("party alice")).containsExactly(new Frame.Line("party alice"));
        assertThat(framer.text("")).containsExactly(new Frame.Line(""));
        assertThat(framer.text("SONG \"Café del Mar\" SET ARTIST 東京"))
                .containsExactly(new Frame.Line("SONG \"Café del Mar\" SET ARTIST 東京"));
    }

    @Test
    void aTextMessageHoldingALineBreakIsDiscardedWhole() {
        for (String text : List.of("HELP\nLIST", "HELP\n", "HELP\r\n", "HELP\rLIST", "\n")) {
            List<Frame> frames = framer.text(text);
            assertThat(frames).as(text).hasSize(1);
            Frame.Malformed m = malformed(frames.get(0));
            assertThat(m.code()).isEqualTo(ErrorCode.SYNTAX);
            assertThat(m.text()).contains("one line, without CR or LF");
            assertThat(m.inChunk()).isFalse();
            assertInStep();
        }
    }

    @Test
    void aSendHiddenInAMessageWithALineBreakKeepsItsVerbInTheHead() {
        Frame.Malformed m = malformed(framer.text("SEND Tune\nCHUNK 3").get(0));
        assertThat(m.head()).startsWith("SEND Tune");
    }

    @Test
    void aTextMessageOverTheLineLimitIsDiscardedAsOnTcp() {
        String limit = "x".repeat(64);
        assertThat(framer.text(limit)).containsExactly(new Frame.Line(limit));
        List<Frame> frames = framer.text("SEND " + "y".repeat(60));
        assertThat(frames).containsExactly(FrameRules.lineTooLong(64, "SEND yyyyyyyyyyy"));
        assertInStep();
    }

    @Test
    void theLimitCountsUtf8Bytes() {
        String twoBytes = "é".repeat(32);
        assertThat(framer.text(twoBytes)).containsExactly(new Frame.Line(twoBytes));
        assertThat(malformed(framer.text(twoBytes + "a").get(0)).code()).isEqualTo(ErrorCode.LINE_TOO_LONG);
        String fourBytes = "😀".repeat(16);
        assertThat(framer.text(fourBytes)).containsExactly(new Frame.Line(fourBytes));
        assertThat(malformed(framer.text(fourBytes + "a").get(0)).code()).isEqualTo(ErrorCode.LINE_TOO_LONG);
    }

    @Test
    void fragmentsMakeOneLineWhenTheLastArrives() {
        assertThat(framer.text("par", false)).isEmpty();
        assertThat(framer.text("ty al", false)).isEmpty();
        assertThat(framer.text("ice", true)).containsExactly(new Frame.Line("party alice"));
    }

    @Test
    void anOverLongMessageInFragmentsIsDiscardedWithoutBeingKept() {
        assertThat(framer.text("LIST ", false)).isEmpty();
        for (int i = 0; i < 1000; i++) {
            assertThat(framer.text("z".repeat(1000), false)).isEmpty();
        }
        assertThat(framer.text("end", true)).containsExactly(FrameRules.lineTooLong(64, "LIST zzzzzzzzzzz"));
        assertInStep();
    }

    @Test
    void aChunkIsItsHeaderThenOneBinaryMessageOfThatLength() {
        assertThat(framer.text("CHUNK 3")).isEmpty();
        List<Frame> frames = framer.binary(new byte[] {1, 2, 3});
        assertThat(frames).containsExactly(new Frame.ChunkBody(new Message.Chunk(new byte[] {1, 2, 3})));
        assertThat(framer.text("  chunk\t1000")).isEmpty();
        assertThat(framer.binary(new byte[1000])).singleElement().isInstanceOf(Frame.ChunkBody.class);
        assertInStep();
    }

    @Test
    void aChunkBodyInFragmentsIsAssembled() {
        assertThat(framer.text("CHUNK 5")).isEmpty();
        assertThat(framer.binary(ByteBuffer.wrap(new byte[] {1, 2}), false)).isEmpty();
        assertThat(framer.binary(ByteBuffer.wrap(new byte[] {3, 4, 5}), true))
                .containsExactly(new Frame.ChunkBody(new Message.Chunk(new byte[] {1, 2, 3, 4, 5})));
    }

    @Test
    void aBinaryMessageWithoutAChunkBeforeItIsAnError() {
        Frame.Malformed m = malformed(framer.binary(new byte[10]).get(0));
        assertThat(m.code()).isEqualTo(ErrorCode.SYNTAX);
        assertThat(m.inChunk()).isTrue();
        assertThat(m.text()).contains("right after its CHUNK <n>").contains("10 bytes");
        assertInStep();
        // A second body after one CHUNK has no header of its own either.
        framer.text("CHUNK 2");
        assertThat(framer.binary(new byte[2])).singleElement().isInstanceOf(Frame.ChunkBody.class);
        assertThat(malformed(framer.binary(new byte[2]).get(0)).code()).isEqualTo(ErrorCode.SYNTAX);
    }

    @Test
    void aBinaryMessageOfTheWrongLengthIsAnError() {
        for (int length : new int[] {0, 2, 4, 2000, 100_000}) {
            framer.text("CHUNK 3");
            Frame.Malformed m = malformed(framer.binary(new byte[length]).get(0));
            assertThat(m.code()).as("length %d", length).isEqualTo(ErrorCode.SYNTAX);
            assertThat(m.inChunk()).isTrue();
            assertThat(m.text()).contains("CHUNK 3 announced 3 bytes but its binary message held " + length);
            assertInStep();
        }
    }

    @Test
    void aTextMessageWhereTheBodyShouldBeIsAnErrorAndThenTheLineItIs() {
        framer.text("CHUNK 3");
        List<Frame> frames = framer.text("OKAY");
        assertThat(frames).hasSize(2);
        Frame.Malformed m = malformed(frames.get(0));
        assertThat(m.code()).isEqualTo(ErrorCode.SYNTAX);
        assertThat(m.inChunk()).isTrue();
        assertThat(m.text()).contains("CHUNK 3 must be followed by a binary message of 3 bytes");
        assertThat(frames.get(1)).isEqualTo(new Frame.Line("OKAY"));
        // Not waiting for the body any more: a binary message now has no header.
        assertThat(malformed(framer.binary(new byte[3]).get(0)).text()).contains("right after its CHUNK");
    }

    @Test
    void aChunkOverTheLimitIsReadAndRefusedAsOnTcp() {
        assertThat(framer.text("CHUNK 5000")).isEmpty();
        assertThat(framer.binary(new byte[5000])).containsExactly(FrameRules.oversized(5000));
        assertInStep();
    }

    @Test
    void aBadChunkHeaderIsOneErrorAndSwallowsTheBinaryMessageAfterIt() {
        for (String header : List.of("CHUNK", "CHUNK 0", "CHUNK -1", "CHUNK abc", "CHUNK 99999999", "CHUNK 3 4")) {
            assertThat(framer.text(header)).as(header).containsExactly(FrameRules.badChunkHeader());
            assertThat(framer.binary(new byte[3])).as(header).isEmpty();
            assertInStep();
        }
        framer.text("CHUNK x");
        assertThat(framer.text("OKAY")).containsExactly(new Frame.Line("OKAY"));
    }

    @Test
    void aStreamOfMistakesGivesOneErrorEachAndStaysInStep() {
        List<Frame> all = new ArrayList<>();
        all.addAll(framer.binary(new byte[1]));
        all.addAll(framer.text("a\nb"));
        all.addAll(framer.text("CHUNK 2"));
        all.addAll(framer.binary(new byte[1]));
        all.addAll(framer.text("CHUNK 2"));
        all.addAll(framer.binary(new byte[] {7, 8}));
        all.addAll(framer.text("OKAY"));
        assertThat(all).hasSize(5);
        assertThat(all.subList(0, 3)).allSatisfy(f -> assertThat(f).isInstanceOf(Frame.Malformed.class));
        assertThat(all.get(3)).isEqualTo(new Frame.ChunkBody(new Message.Chunk(new byte[] {7, 8})));
        assertThat(all.get(4)).isEqualTo(new Frame.Line("OKAY"));
    }
}
