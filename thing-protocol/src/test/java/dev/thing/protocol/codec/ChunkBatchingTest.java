package dev.thing.protocol.codec;

import static dev.thing.protocol.codec.CodecScript.concat;
import static dev.thing.protocol.codec.CodecScript.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.Message;
import dev.thing.protocol.codec.CodecScript.Feeder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The server's decoder hands on the chunk bodies of one read together, and that changes nothing they mean. */
class ChunkBatchingTest {
    private static Feeder batching() {
        return new Feeder(new ThingDecoder(ThingCodecFactory.DEFAULT_MAX_LINE_BYTES, true));
    }

    private static byte[] chunk(byte[] body) {
        return concat(utf8("CHUNK " + body.length + "\n"), body);
    }

    private static byte[] body(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Frames with every run spread out into its chunk bodies, one each. */
    private static List<Frame> spread(List<Frame> frames) {
        List<Frame> out = new ArrayList<>();
        for (Frame f : frames) {
            if (f instanceof Frame.ChunkBodies run) {
                run.chunks().forEach(c -> out.add(new Frame.ChunkBody(c)));
            } else {
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void chunksThatArriveInOneReadAreHandedOnAsOneRunAndTheLineBehindThemFollows() throws Exception {
        byte[] a = body(1000, 1);
        byte[] b = body(1000, 2);
        byte[] c = body(17, 3);

        List<Frame> frames = batching().feed(concat(chunk(a), chunk(b), chunk(c), utf8("OKAY\n"))).frames();

        assertThat(frames).containsExactly(
                new Frame.ChunkBodies(List.of(new Message.Chunk(a), new Message.Chunk(b), new Message.Chunk(c))),
                new Frame.Line("OKAY"));
    }

    @Test
    void aLoneChunkIsAChunkBodyAsBefore() throws Exception {
        byte[] a = body(5, 4);

        assertThat(batching().feed(concat(utf8("SEND x\n"), chunk(a), utf8("OKAY\n"))).frames()).containsExactly(
                new Frame.Line("SEND x"), new Frame.ChunkBody(new Message.Chunk(a)), new Frame.Line("OKAY"));
    }

    @Test
    void aLineBetweenChunksEndsTheRunAndKeepsItsPlace() throws Exception {
        byte[] a = body(10, 5);
        byte[] b = body(20, 6);
        byte[] c = body(30, 7);

        List<Frame> frames = batching().feed(concat(chunk(a), chunk(b), utf8("OKAY 3\n"), chunk(c))).frames();

        assertThat(frames).containsExactly(
                new Frame.ChunkBodies(List.of(new Message.Chunk(a), new Message.Chunk(b))),
                new Frame.Line("OKAY 3"),
                new Frame.ChunkBody(new Message.Chunk(c)));
    }

    @Test
    void howeverTheBytesAreCutTheChunksAndLinesAreTheSameAsWithoutBatching() throws Exception {
        List<byte[]> parts = new ArrayList<>();
        parts.add(utf8("SEND \"a song\"\n"));
        for (int i = 0; i < 40; i++) {
            parts.add(chunk(body(i % 7 == 0 ? 1 : 1000, i)));
            if (i % 13 == 0) {
                parts.add(utf8("OKAY " + i + "\r\n"));
            }
        }
        parts.add(utf8("OKAY\n"));
        byte[] all = concat(parts.toArray(new byte[0][]));
        List<Frame> plain = new Feeder().feed(all).frames();

        for (int seed = 0; seed < 20; seed++) {
            List<Frame> batched = batching().feedRandomPieces(all, new Random(seed), 5000).frames();
            assertThat(spread(batched)).as("seed %d", seed).isEqualTo(plain);
        }
        assertThat(batching().feed(all).frames()).anyMatch(Frame.ChunkBodies.class::isInstance);
    }
}
