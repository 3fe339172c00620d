package dev.thing.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.thing.protocol.Message;
import dev.thing.protocol.codec.Frame;
import dev.thing.protocol.codec.ThingCodecFactory;
import dev.thing.protocol.codec.ThingDecoder;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.DefaultTransportMetadata;
import org.apache.mina.core.session.IoSessionConfig;
import org.apache.mina.filter.codec.ProtocolCodecSession;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link ThingDecoder} on arbitrary bytes. In {@code mvn verify} it only replays
 * the seeds in {@code src/test/resources/dev/thing/protocol/fuzz/DecoderJazzerFuzzTestInputs/decoder}; with
 * {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration} (see the README's Tests section).
 *
 * <p>Invariants, whatever the bytes and however they are cut into reads: the decoder never throws; it hands up only
 * {@link Frame}s (lines within the limit and without LF, chunks of 1..1000 bytes); it never keeps more than the line
 * limit + one chunk buffered between reads; the frames do not depend on how the input was cut; and a
 * resynchronising tail (LF, 66,000 non-LF bytes, LF, {@code QUIT} LF) always ends in the frame {@code QUIT}, so every
 * input, however broken, is followed by frames again.
 */
class DecoderJazzerFuzzTest {
    private static final byte[] TAIL = tail();

    @FuzzTest(maxDuration = "3m")
    void decoder(FuzzedDataProvider data) throws Exception {
        int maxLine = data.consumeBoolean() ? ThingCodecFactory.DEFAULT_MAX_LINE_BYTES : data.consumeInt(16, 300);
        long cutSeed = data.consumeLong();
        int maxPiece = data.consumeInt(1, 4096);
        byte[] input = data.consumeRemainingAsBytes();

        Feeder pieces = new Feeder(maxLine);
        Random cuts = new Random(cutSeed);
        int pos = 0;
        while (pos < input.length) {
            int to = Math.min(input.length, pos + 1 + cuts.nextInt(maxPiece));
            pieces.feed(input, pos, to);
            pos = to;
            assertThat(pieces.bufferedBytes()).as("bytes kept after a read (line limit %d)", maxLine)
                    .isLessThanOrEqualTo(maxLine + 1 + Message.Chunk.MAX_BYTES);
        }
        List<Frame> cut = pieces.frames();

        Feeder whole = new Feeder(maxLine);
        whole.feed(input, 0, input.length);
        assertThat(whole.bufferedBytes()).isLessThanOrEqualTo(maxLine + 1 + Message.Chunk.MAX_BYTES);
        List<Frame> once = whole.frames();
        assertThat(cut).as("frames of the input cut into pieces of up to %d bytes vs. fed at once", maxPiece)
                .isEqualTo(once);

        for (Frame f : once) {
            if (f instanceof Frame.Line line) {
                assertThat(line.text()).doesNotContain("\n");
                assertThat(line.text().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(maxLine);
            } else if (f instanceof Frame.ChunkBody body) {
                assertThat(body.chunk().data().length).isBetween(1, Message.Chunk.MAX_BYTES);
            } else if (f instanceof Frame.Malformed m) {
                assertThat(m.code()).isNotNull();
                assertThat(m.text()).isNotBlank();
                assertThat(m.head()).hasSizeLessThanOrEqualTo(16);
            }
        }

        whole.feed(TAIL, 0, TAIL.length);
        List<Frame> after = whole.frames();
        assertThat(after).as("frames after the resynchronising tail").isNotEmpty();
        assertThat(after.get(after.size() - 1)).isEqualTo(new Frame.Line("QUIT"));
        assertThat(whole.bufferedBytes()).isZero();
    }

    private static byte[] tail() {
        byte[] t = new byte[1 + 66_000 + 1];
        Arrays.fill(t, (byte) 'x');
        t[0] = '\n';
        t[t.length - 1] = '\n';
        byte[] quit = "QUIT\n".getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(t, t.length + quit.length);
        System.arraycopy(quit, 0, all, t.length, quit.length);
        return all;
    }

    /** A decoder on a session that looks like TCP (fragmenting), so partial input is kept between reads. */
    private static final class Feeder {
        final ThingDecoder decoder;
        final ProtocolCodecSession session = new ProtocolCodecSession();

        Feeder(int maxLineBytes) {
            decoder = new ThingDecoder(maxLineBytes);
            session.setTransportMetadata(new DefaultTransportMetadata("test", "tcp-like", false, true,
                    SocketAddress.class, IoSessionConfig.class, Object.class));
        }

        void feed(byte[] bytes, int from, int to) throws Exception {
            if (to > from) {
                decoder.decode(session, IoBuffer.wrap(Arrays.copyOfRange(bytes, from, to)),
                        session.getDecoderOutput());
            }
        }

        List<Frame> frames() {
            List<Frame> frames = new ArrayList<>();
            Object o;
            while ((o = session.getDecoderOutputQueue().poll()) != null) {
                assertThat(o).isInstanceOf(Frame.class);
                frames.add((Frame) o);
            }
            return frames;
        }

        /**
         * Bytes kept between reads: what MINA's cumulative buffer holds for the decoder. Between reads that buffer is
         * left in write mode (compacted, or filled and not flipped), so its position is the count of bytes kept.
         */
        int bufferedBytes() {
            int total = 0;
            for (Object key : session.getAttributeKeys()) {
                if (session.getAttribute(key) instanceof IoBuffer buffer) {
                    total += buffer.position();
                }
            }
            return total;
        }
    }
}
