package dev.thing.protocol.codec;

import static dev.thing.protocol.codec.CodecScript.concat;
import static dev.thing.protocol.codec.CodecScript.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;
import dev.thing.protocol.codec.CodecScript.Feeder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThingDecoderTest {

    /** Malformed frames compared by code and inChunk; their text is for people and only checked to exist. */
    static List<Frame> normalized(List<Frame> frames) {
        return frames.stream().map(f -> {
            if (f instanceof Frame.Malformed m) {
                assertThat(m.text()).isNotBlank();
                return new Frame.Malformed(m.code(), "", m.inChunk());
            }
            return f;
        }).collect(Collectors.toList());
    }

    static Frame malformed(ErrorCode code, boolean inChunk) {
        return new Frame.Malformed(code, "", inChunk);
    }

    static Frame line(String text) {
        return new Frame.Line(text);
    }

    static Frame chunk(byte[] data) {
        return new Frame.ChunkBody(new Message.Chunk(data));
    }

    // ---- the mixed script, fed in every way ----

    @Test
    void scriptFedInOneBufferGivesTheExactFrames() throws Exception {
        assertThat(new Feeder().feed(CodecScript.script()).frames()).isEqualTo(CodecScript.expectedFrames());
    }

    @Test
    void scriptFedByteByByteGivesTheExactFrames() throws Exception {
        assertThat(new Feeder().feedByteByByte(CodecScript.script()).frames())
                .isEqualTo(CodecScript.expectedFrames());
    }

    @Test
    void scriptSplitIntoTwoBuffersAtEveryPositionGivesTheExactFrames() throws Exception {
        byte[] script = CodecScript.script();
        for (int cut = 0; cut <= script.length; cut++) {
            Feeder feeder = new Feeder().feed(script, 0, cut).feed(script, cut, script.length);
            assertThat(feeder.frames()).as("cut at %d", cut).isEqualTo(CodecScript.expectedFrames());
        }
    }

    @Test
    void scriptFedInRandomPiecesGivesTheExactFrames() throws Exception {
        byte[] script = CodecScript.script();
        Random random = new Random(7717);
        for (int round = 0; round < 2000; round++) {
            int maxPiece = 1 + random.nextInt(round % 2 == 0 ? 16 : 1200);
            Feeder feeder = new Feeder().feedRandomPieces(script, random, maxPiece);
            assertThat(feeder.frames()).as("round %d", round).isEqualTo(CodecScript.expectedFrames());
        }
    }

    @Test
    void scriptRepeatedManyTimesInRandomPiecesStaysInStep() throws Exception {
        byte[] script = CodecScript.script();
        byte[] tenTimes = concat(script, script, script, script, script, script, script, script, script, script);
        Feeder feeder = new Feeder().feedRandomPieces(tenTimes, new Random(42), 300);
        List<Frame> frames = feeder.frames();
        assertThat(frames).hasSize(10 * CodecScript.expectedFrames().size());
        for (int i = 0; i < 10; i++) {
            int n = CodecScript.expectedFrames().size();
            assertThat(frames.subList(i * n, (i + 1) * n)).isEqualTo(CodecScript.expectedFrames());
        }
    }

    @Test
    void oneSharedDecoderKeepsSeparateStateForEachSession() throws Exception {
        ThingDecoder shared = new ThingDecoder(4096);
        var a = CodecScript.tcpLikeSession();
        var b = CodecScript.tcpLikeSession();
        byte[] script = CodecScript.script();
        for (int i = 0; i < script.length; i++) {
            shared.decode(a, org.apache.mina.core.buffer.IoBuffer.wrap(new byte[] {script[i]}), a.getDecoderOutput());
            shared.decode(b, org.apache.mina.core.buffer.IoBuffer.wrap(new byte[] {script[i]}), b.getDecoderOutput());
        }
        assertThat(List.copyOf(a.getDecoderOutputQueue())).isEqualTo(CodecScript.expectedFrames());
        assertThat(List.copyOf(b.getDecoderOutputQueue())).isEqualTo(CodecScript.expectedFrames());
    }

    // ---- lines ----

    @Test
    void crBeforeLfIsDroppedButALoneCrIsKept() throws Exception {
        assertThat(new Feeder().feed(utf8("a\r\nb\rc\n\r\n\n")).frames())
                .containsExactly(line("a"), line("b\rc"), line(""), line(""));
    }

    @Test
    void incompleteLineIsHeldUntilItsLfArrives() throws Exception {
        Feeder feeder = new Feeder().feed(utf8("LI"));
        assertThat(feeder.frames()).isEmpty();
        assertThat(feeder.feed(utf8("ST")).frames()).isEmpty();
        assertThat(feeder.feed(utf8("\n")).frames()).containsExactly(line("LIST"));
    }

    @Test
    void lineOverTheLimitIsOneLineTooLongAndTheNextLineIsDecodedFedWhole() throws Exception {
        byte[] input = concat(utf8("x".repeat(5000) + "\n"), utf8("LIST\n"));
        assertThat(normalized(new Feeder(4096).feed(input).frames()))
                .containsExactly(malformed(ErrorCode.LINE_TOO_LONG, false), line("LIST"));
    }

    @Test
    void lineOverTheLimitIsOneLineTooLongAndTheNextLineIsDecodedFedByteByByte() throws Exception {
        byte[] input = concat(utf8("x".repeat(5000) + "\r\n"), utf8("LIST\n"));
        assertThat(normalized(new Feeder(4096).feedByteByByte(input).frames()))
                .containsExactly(malformed(ErrorCode.LINE_TOO_LONG, false), line("LIST"));
    }

    @Test
    void lineOfExactlyTheLimitIsKeptAndOneByteMoreIsTooLong() throws Exception {
        String max = "y".repeat(4096);
        String over = "z".repeat(4097);
        byte[] input = utf8(max + "\r\n" + max + "\n" + over + "\n" + over + "\r\n" + "OK\n");
        List<Frame> expected = List.of(line(max), line(max), malformed(ErrorCode.LINE_TOO_LONG, false),
                malformed(ErrorCode.LINE_TOO_LONG, false), line("OK"));
        assertThat(normalized(new Feeder(4096).feed(input).frames())).isEqualTo(expected);
        assertThat(normalized(new Feeder(4096).feedByteByByte(input).frames())).isEqualTo(expected);
        assertThat(normalized(new Feeder(4096).feedRandomPieces(input, new Random(3), 700).frames()))
                .isEqualTo(expected);
    }

    @Test
    void megabyteWithoutLfIsDiscardedWithBoundedBufferingThenTheNextLineIsDecoded() throws Exception {
        Feeder feeder = new Feeder(4096);
        byte[] piece = new byte[1000];
        Arrays.fill(piece, (byte) 'q');
        int maxBuffered = 0;
        for (int i = 0; i < 1024; i++) {
            feeder.feed(piece);
            maxBuffered = Math.max(maxBuffered, feeder.bufferedBytes());
        }
        byte[] tail = new byte[48 * 1024];
        Arrays.fill(tail, (byte) 'r');
        feeder.feedByteByByte(tail);
        maxBuffered = Math.max(maxBuffered, feeder.bufferedBytes());
        assertThat(feeder.frames()).isEmpty();
        feeder.feed(utf8("\n"));
        feeder.feed(utf8("LIST\n"));
        assertThat(normalized(feeder.frames()))
                .containsExactly(malformed(ErrorCode.LINE_TOO_LONG, false), line("LIST"));
        assertThat(maxBuffered).as("bytes held by the session while discarding").isLessThanOrEqualTo(16 * 1024);
        assertThat(feeder.bufferedBytes()).isZero();
    }

    @Test
    void megabyteWithoutLfInOneBufferIsOneLineTooLong() throws Exception {
        byte[] big = new byte[1024 * 1024];
        Arrays.fill(big, (byte) 'q');
        Feeder feeder = new Feeder(4096).feed(concat(big, utf8("\nLIST\n")));
        assertThat(normalized(feeder.frames()))
                .containsExactly(malformed(ErrorCode.LINE_TOO_LONG, false), line("LIST"));
    }

    @Test
    void lineLimitIsConfigurable() throws Exception {
        byte[] input = utf8("0123456789abcdefg\n0123456789abcdef\n");
        assertThat(normalized(new Feeder(16).feedByteByByte(input).frames()))
                .containsExactly(malformed(ErrorCode.LINE_TOO_LONG, false), line("0123456789abcdef"));
        assertThatThrownBy(() -> new ThingDecoder(15)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidUtf8IsSyntaxAndTheNextLineIsFine() throws Exception {
        byte[] input = concat(new byte[] {'G', 'E', 'T', ' ', (byte) 0xC3, 0x28, '\n'}, utf8("LIST\n"));
        List<Frame> expected = List.of(malformed(ErrorCode.SYNTAX, false), line("LIST"));
        assertThat(normalized(new Feeder().feed(input).frames())).isEqualTo(expected);
        assertThat(normalized(new Feeder().feedByteByByte(input).frames())).isEqualTo(expected);
    }

    @Test
    void truncatedOverlongAndSurrogateUtf8AreSyntax() throws Exception {
        byte[] input = concat(new byte[] {(byte) 0xE6, (byte) 0x9D, '\n'}, new byte[] {(byte) 0xC0, (byte) 0xAF, '\n'},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'}, new byte[] {(byte) 0xFF, '\n'},
                utf8("東京\n"));
        assertThat(normalized(new Feeder().feedByteByByte(input).frames())).containsExactly(
                malformed(ErrorCode.SYNTAX, false), malformed(ErrorCode.SYNTAX, false),
                malformed(ErrorCode.SYNTAX, false), malformed(ErrorCode.SYNTAX, false), line("東京"));
    }

    // ---- chunks ----

    @ParameterizedTest
    @ValueSource(strings = {"CHUNK 0", "CHUNK abc", "CHUNK -1", "CHUNK 99999999", "CHUNK 65537", "CHUNK",
            "CHUNK 1 2", "CHUNK 1.5", "CHUNK 9999999999"})
    void badChunkHeaderIsSyntaxAndConsumesNoBytes(String header) throws Exception {
        byte[] input = utf8(header + "\nLIST\nabc\n");
        List<Frame> expected = List.of(malformed(ErrorCode.SYNTAX, true), line("LIST"), line("abc"));
        assertThat(normalized(new Feeder().feed(input).frames())).isEqualTo(expected);
        assertThat(normalized(new Feeder().feedByteByByte(input).frames())).isEqualTo(expected);
    }

    @Test
    void chunkOverTheLimitIsTooLargeItsBytesSkippedAndTheNextLineDecoded() throws Exception {
        byte[] body = new byte[2000];
        new Random(2000).nextBytes(body);
        body[0] = '\n';
        body[1999] = '\n';
        byte[] input = concat(utf8("CHUNK 2000\n"), body, utf8("LIST\n"));
        List<Frame> expected = List.of(malformed(ErrorCode.TOO_LARGE, true), line("LIST"));
        assertThat(normalized(new Feeder().feed(input).frames())).isEqualTo(expected);
        assertThat(normalized(new Feeder().feedByteByByte(input).frames())).isEqualTo(expected);
        assertThat(normalized(new Feeder().feedRandomPieces(input, new Random(5), 333).frames()))
                .isEqualTo(expected);
    }

    @Test
    void largestSkippableChunkIsTooLargeAndStaysInStep() throws Exception {
        byte[] body = new byte[65_536];
        Arrays.fill(body, (byte) '\n');
        byte[] input = concat(utf8("CHUNK 65536\n"), body, utf8("CHUNK 2\nab"), utf8("OKAY\n"));
        assertThat(normalized(new Feeder().feedRandomPieces(input, new Random(9), 5000).frames()))
                .containsExactly(malformed(ErrorCode.TOO_LARGE, true), chunk(utf8("ab")), line("OKAY"));
    }

    @Test
    void chunkHeaderVerbIsCaseInsensitive() throws Exception {
        byte[] input = utf8("chunk 3\nabcChunk\t1\n\nOKAY\n");
        assertThat(new Feeder().feed(input).frames())
                .containsExactly(chunk(utf8("abc")), chunk(utf8("\n")), line("OKAY"));
    }

    @Test
    void chunkHeaderWithCrLfIsAccepted() throws Exception {
        assertThat(new Feeder().feedByteByByte(utf8("CHUNK 2\r\n\r\nABORT\r\n")).frames())
                .containsExactly(chunk(utf8("\r\n")), line("ABORT"));
    }

    @Test
    void wordsThatOnlyStartWithChunkAreLines() throws Exception {
        assertThat(new Feeder().feed(utf8("CHUNKY 3\nabc\n")).frames())
                .containsExactly(line("CHUNKY 3"), line("abc"));
    }

    @Test
    void chunkBodyIsHeldUntilAllItsBytesArrive() throws Exception {
        Feeder feeder = new Feeder().feed(utf8("CHUNK 4\nab"));
        assertThat(feeder.frames()).isEmpty();
        assertThat(feeder.feed(utf8("c")).frames()).isEmpty();
        assertThat(feeder.feed(utf8("dOKAY\n")).frames()).containsExactly(chunk(utf8("abcd")), line("OKAY"));
    }

    @Test
    void maximalChunksBackToBackStayInStep() throws Exception {
        byte[] body = new byte[1000];
        Arrays.fill(body, (byte) '\n');
        byte[] header = utf8("CHUNK 1000\n");
        byte[] input = concat(header, body, header, body, header, body, utf8("OKAY\n"));
        assertThat(new Feeder().feedRandomPieces(input, new Random(11), 64).frames())
                .containsExactly(chunk(body), chunk(body), chunk(body), line("OKAY"));
    }

    /**
     * Tokens ignore leading blanks, so the parser reads " CHUNK 3" as a CHUNK line; the decoder must frame it as a
     * header too, or the three raw bytes behind it would be read as text and the stream would fall out of step.
     */
    @Test
    void chunkHeaderWithLeadingBlanksIsStillAHeader() throws Exception {
        byte[] input = utf8(" CHUNK 3\na\nc\t CHUNK\t 1 \n\nOKAY\n");
        assertThat(new Feeder().feed(input).frames())
                .containsExactly(chunk(utf8("a\nc")), chunk(utf8("\n")), line("OKAY"));
        assertThat(new Feeder().feedByteByByte(input).frames())
                .containsExactly(chunk(utf8("a\nc")), chunk(utf8("\n")), line("OKAY"));
    }
}
