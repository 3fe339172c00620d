package dev.thing.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.MessageParser;
import dev.thing.protocol.ProtocolException;
import dev.thing.protocol.codec.Frame;
import dev.thing.protocol.codec.ThingCodecFactory;
import dev.thing.protocol.codec.ThingDecoder;
import java.io.ByteArrayOutputStream;
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
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the line parser and of the frame decoder. The seed is printed; set the system property
 * {@code thing.fuzz.seed} to replay a failure.
 */
class ParserCodecFuzzTest {
    static final long SEED = Long.getLong("thing.fuzz.seed", 0x7417_2024L);
    static final int PARSER_CASES = 20_000;
    static final int DECODER_CASES = 1_500;

    /** Parser: whatever the line, the only exception is ProtocolException. */
    @Test
    void parsersThrowOnlyProtocolException() {
        long seed = SEED;
        System.out.println("ParserCodecFuzzTest.parsersThrowOnlyProtocolException seed=" + seed);
        Random rnd = new Random(seed);
        int parsed = 0;
        int refused = 0;
        for (int i = 0; i < PARSER_CASES; i++) {
            String line = Fuzz.line(rnd);
            for (int mode = 0; mode < 3; mode++) {
                try {
                    switch (mode) {
                        case 0 -> MessageParser.parseClient(line);
                        case 1 -> MessageParser.parseBeforeJoin(line);
                        default -> MessageParser.parseServer(line);
                    }
                    parsed++;
                } catch (ProtocolException e) {
                    refused++;
                    assertThat(e.code()).as("code of refusal of %s", Fuzz.show(line)).isNotNull();
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("case " + i + " (seed " + seed + "), parser mode " + mode + ": "
                            + e + " for line " + Fuzz.show(line), e);
                }
            }
        }
        System.out.println("  parsed " + parsed + ", refused " + refused);
        assertThat(parsed).isPositive();
        assertThat(refused).isPositive();
    }

    /** Decoder: no exception, bounded buffering, only Frame objects, whatever the bytes and however they are cut. */
    @Test
    void decoderSurvivesGarbageAndResynchronises() throws Exception {
        long seed = SEED + 1;
        System.out.println("ParserCodecFuzzTest.decoderSurvivesGarbageAndResynchronises seed=" + seed);
        Random rnd = new Random(seed);
        int maxLine = ThingCodecFactory.DEFAULT_MAX_LINE_BYTES;
        for (int i = 0; i < DECODER_CASES; i++) {
            byte[] garbage = Fuzz.bytes(rnd, 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 20_000 : 3_000), true);
            // Whatever state the garbage leaves (inside a line, a chunk of <= 1000 bytes, a skipped chunk of
            // <= 65536 bytes), an LF, 66,000 non-LF bytes and an LF bring the decoder back to reading lines.
            byte[] tail = tailThatResynchronises("QUIT");
            byte[] all = concat(garbage, tail);
            Feeder f = new Feeder(maxLine);
            int maxPiece = 1 + rnd.nextInt(rnd.nextBoolean() ? 16 : 9_000);
            String ctx = "case " + i + " (seed " + seed + ", pieces up to " + maxPiece + ")";
            try {
                int pos = 0;
                while (pos < all.length) {
                    int to = Math.min(all.length, pos + 1 + rnd.nextInt(maxPiece));
                    f.feed(all, pos, to);
                    pos = to;
                    // Progress: what is kept between calls is bounded (a line, a chunk, or one piece of input).
                    assertThat(f.bufferedBytes()).as(ctx + " buffered bytes")
                            .isLessThanOrEqualTo(4 * (maxLine + 1_100 + maxPiece));
                }
            } catch (Exception | Error e) {
                throw new AssertionError(ctx + ": decoder failed on " + Fuzz.show(garbage), e);
            }
            List<Object> frames = f.frames();
            for (Object o : frames) {
                assertThat(o).as(ctx).isInstanceOf(Frame.class);
            }
            assertThat(frames).as(ctx + " frames").isNotEmpty();
            assertThat(frames.get(frames.size() - 1)).as(ctx + " last frame").isEqualTo(new Frame.Line("QUIT"));
            assertThat(f.bufferedBytes()).as(ctx + " nothing left over").isLessThanOrEqualTo(4 * (maxLine + 1_100));
        }
    }

    /** Garbage with no CHUNK header: a plain LF is enough to resynchronise; every byte becomes part of a frame. */
    @Test
    void decoderResynchronisesAfterLineGarbageWithAPlainNewline() throws Exception {
        long seed = SEED + 2;
        System.out.println("ParserCodecFuzzTest.decoderResynchronisesAfterLineGarbageWithAPlainNewline seed=" + seed);
        Random rnd = new Random(seed);
        int maxLine = 256;
        for (int i = 0; i < DECODER_CASES; i++) {
            byte[] garbage = Fuzz.bytes(rnd, 1 + rnd.nextInt(2_000), false);
            assertThat(new String(garbage, StandardCharsets.ISO_8859_1).toUpperCase().contains("CHUNK")).isFalse();
            byte[] all = concat(garbage, "\nQUIT\n".getBytes(StandardCharsets.US_ASCII));
            Feeder f = new Feeder(maxLine);
            int maxPiece = 1 + rnd.nextInt(300);
            String ctx = "case " + i + " (seed " + seed + ")";
            try {
                int pos = 0;
                while (pos < all.length) {
                    int to = Math.min(all.length, pos + 1 + rnd.nextInt(maxPiece));
                    f.feed(all, pos, to);
                    pos = to;
                }
            } catch (Exception | Error e) {
                throw new AssertionError(ctx + ": decoder failed on " + Fuzz.show(garbage), e);
            }
            List<Object> frames = f.frames();
            long lfs = 0;
            for (byte b : all) {
                if (b == '\n') {
                    lfs++;
                }
            }
            // Without chunks every LF ends exactly one frame: a line, a too-long line, or bad UTF-8.
            assertThat(frames).as(ctx).hasSize((int) lfs);
            assertThat(frames).as(ctx).allMatch(o -> o instanceof Frame.Line || o instanceof Frame.Malformed);
            assertThat(frames.get(frames.size() - 1)).as(ctx).isEqualTo(new Frame.Line("QUIT"));
        }
    }

    static byte[] tailThatResynchronises(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('\n');
        byte[] x = new byte[66_000];
        Arrays.fill(x, (byte) 'x');
        out.writeBytes(x);
        out.write('\n');
        out.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** A decoder on a session that looks like TCP (fragmenting), so partial input is kept between calls. */
    static final class Feeder {
        final ThingDecoder decoder;
        final ProtocolCodecSession session = new ProtocolCodecSession();

        Feeder(int maxLineBytes) {
            decoder = new ThingDecoder(maxLineBytes);
            session.setTransportMetadata(new DefaultTransportMetadata("test", "tcp-like", false, true,
                    SocketAddress.class, IoSessionConfig.class, Object.class));
        }

        void feed(byte[] bytes, int from, int to) throws Exception {
            decoder.decode(session, IoBuffer.wrap(Arrays.copyOfRange(bytes, from, to)), session.getDecoderOutput());
        }

        List<Object> frames() {
            List<Object> frames = new ArrayList<>();
            Object o;
            while ((o = session.getDecoderOutputQueue().poll()) != null) {
                frames.add(o);
            }
            return frames;
        }

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
