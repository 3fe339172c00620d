package dev.thing.client.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp3DecoderTest {
    /** A click's first samples clear this easily; MP3 pre-echo before it stays far below. */
    static final int CLICK_THRESHOLD = 2_000;

    @Test
    void monoMpeg2HasHalfSizedFramesAndExactLength() throws IOException {
        try (Mp3Decoder d = Mp3Decoder.open(Fixtures.source("mono-22k-1s.mp3"))) {
            assertThat(d.sampleRate()).isEqualTo(22_050);
            assertThat(d.channels()).isEqualTo(1);
            assertThat(d.samplesPerFrame()).isEqualTo(576);
            assertThat(d.msPerFrame()).isCloseTo(576_000f / 22_050, org.assertj.core.data.Offset.offset(0.01f));
            assertThat(d.hasInfoFrame()).isFalse(); // this file has no Xing/Info frame: no gapless trim
            assertThat(d.totalSamples()).isEqualTo(-1);
            long samples = 0;
            byte[] pcm;
            while ((pcm = d.decodeNext()) != null) {
                assertThat(pcm.length % 2).isZero();
                samples += pcm.length / 2;
            }
            // Untrimmed: whole 576-sample frames, the encoder delay and padding included.
            assertThat(samples % 576).isZero();
            assertThat(samples).isBetween(22_050L, 22_050L + 1105 + 576);
            assertThat(d.positionSamples()).isEqualTo(samples);
        }
    }

    @Test
    void monoMpeg2SeeksToTheSample() throws IOException {
        byte[] all = Fixtures.decodeAll(Fixtures.source("mono-22k-1s.mp3"), 0);
        byte[] from = Fixtures.decodeAll(Fixtures.source("mono-22k-1s.mp3"), 600);
        int skip = 600 * 22_050 / 1000; // 13230 samples = 22.97 frames of 576
        assertThat(from.length).isEqualTo(all.length - 2 * skip);
        assertThat(Arrays.equals(from, Arrays.copyOfRange(all, 2 * skip, all.length))).isTrue();
    }

    @Test
    void stereoCbrIsSampleExact() throws IOException {
        try (Mp3Decoder d = Mp3Decoder.open(Fixtures.source("sine-440-3s.mp3"))) {
            assertThat(d.sampleRate()).isEqualTo(44_100);
            assertThat(d.channels()).isEqualTo(2);
            assertThat(d.samplesPerFrame()).isEqualTo(1152);
            assertThat(d.encoderDelay()).isEqualTo(576);
        }
        assertThat(Fixtures.decodeAll(Fixtures.source("sine-440-3s.mp3"), 0).length).isEqualTo(3 * 44_100 * 4);
    }

    @Test
    void clickTrackStartsAtSampleZero() throws IOException {
        byte[] pcm = Fixtures.decodeAll(Fixtures.source("click-track-30s.mp3"), 0);
        long first = RecordingSink.firstNonSilentFrame(pcm, 4, CLICK_THRESHOLD);
        System.out.println("click track: first click at frame " + first);
        assertThat(first).isBetween(0L, 10L);
        assertThat(pcm.length / 4).isEqualTo(30 * 44_100);
    }

    @Test
    void seekLandsOnTheExactSample() throws IOException {
        byte[] pcm = Fixtures.decodeAll(Fixtures.source("click-track-30s.mp3"), 2250);
        long first = RecordingSink.firstNonSilentFrame(pcm, 4, CLICK_THRESHOLD);
        System.out.println("click track from 2250 ms: first click at frame " + first + " (750 ms = 33075)");
        assertThat(first).isBetween(33_075L - 5, 33_075L + 10);
    }

    @Test
    void vbrPositionArithmeticAndSeekEqualsFullDecode() throws IOException {
        try (Mp3Decoder d = Mp3Decoder.open(Fixtures.source("chirp-5s-vbr.mp3"))) {
            assertThat(d.hasInfoFrame()).isTrue();
            assertThat(d.channels()).isEqualTo(1);
            assertThat(d.samplesPerFrame()).isEqualTo(1152);
            assertThat(d.totalSamples()).isEqualTo(5 * 44_100);
            assertThat(d.durationMs()).isEqualTo(5_000);
            assertThat(d.skipTo(2_000)).isEqualTo(88_200);
            assertThat(d.positionMs()).isEqualTo(2_000);
            byte[] first = d.decodeNext();
            // 88200 + 1105 (delay) = 89305 = frame 77 (77 * 1152 = 88704) + 601: the rest of that frame comes out.
            assertThat(first.length / 2).isEqualTo(1152 - (88_200 + d.encoderDelay() + 529) % 1152);
        }
        byte[] all = Fixtures.decodeAll(Fixtures.source("chirp-5s-vbr.mp3"), 0);
        byte[] from = Fixtures.decodeAll(Fixtures.source("chirp-5s-vbr.mp3"), 2_000);
        assertThat(all.length).isEqualTo(2 * 5 * 44_100);
        assertThat(Arrays.equals(from, Arrays.copyOfRange(all, 2 * 88_200, all.length))).isTrue();
    }

    @Test
    void truncatedFileStopsCleanly() throws IOException {
        byte[] pcm = Fixtures.decodeAll(Fixtures.source("truncated.mp3"), 0);
        // Half of a 3 s file: about 1.5 s; the Info frame's length no longer holds, the data just ends.
        assertThat(pcm.length / 4).isBetween(60_000, 70_000);
    }

    @Test
    void garbageIsAnIOException(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("text.mp3");
        Files.writeString(text, "this is not an mp3 file\n");
        assertThatThrownBy(() -> Fixtures.decodeAll(new FileSource("t", text), 0)).isInstanceOf(IOException.class);
        try {
            Fixtures.decodeAll(Fixtures.source("random-bytes.mp3"), 0);
        } catch (IOException expected) {
            // either way: never anything but an IOException
        }
    }

    @Test
    void aTrailingId3v1TagDoesNotCostTheLastFrame() throws IOException {
        // click-track has an ID3v1 tag at the end; its Info frame says 30 s exactly.
        try (Mp3Decoder d = Mp3Decoder.open(Fixtures.source("long-sweep-180s.mp3"))) {
            long n = 0;
            byte[] pcm;
            while ((pcm = d.decodeNext()) != null) {
                n += pcm.length / d.frameSize();
            }
            assertThat(n).isEqualTo(d.totalSamples()).isEqualTo(180L * d.sampleRate());
        }
    }

    @Test
    void seekingPastTheEndEndsTheSong() throws IOException {
        try (Mp3Decoder d = Mp3Decoder.open(Fixtures.source("sine-440-3s.mp3"))) {
            d.skipTo(10_000);
            assertThat(d.decodeNext()).isNull();
        }
    }

    @Test
    void decodesAStreamThatArrivesInPieces(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("growing.mp3");
        GrowingFileSource source = new GrowingFileSource("Sine", file);
        byte[] bytes = Files.readAllBytes(Fixtures.path("sine-440-3s.mp3"));
        Thread writer = StreamingFeeder.start(file, source, bytes, 1000, 0, null);
        byte[] pcm = Fixtures.decodeAll(source, 500);
        writer.join(10_000);
        assertThat(Arrays.equals(pcm, Fixtures.decodeAll(Fixtures.source("sine-440-3s.mp3"), 500))).isTrue();
    }
}
