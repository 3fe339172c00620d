package dev.thing.client.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.sync.FakeClock;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SinkTest {
    static final AudioFormat STEREO = new AudioFormat(44_100f, 16, 2, true, false);

    @Test
    void silentSinkKeepsRealTime() {
        FakeClock clock = new FakeClock();
        SilentSink sink = new SilentSink(clock);
        sink.open(STEREO);
        sink.start();
        long t0 = clock.nanoTime();
        byte[] chunk = new byte[1152 * 4];
        long written = 0;
        while (written < 44_100) {
            int frames = (int) Math.min(1152, 44_100 - written);
            assertThat(sink.write(chunk, 0, frames * 4)).isEqualTo(frames * 4);
            written += frames;
            // Never more than the buffer ahead of the imaginary play position.
            long played = sink.writtenFrames() - sink.bufferedFrames();
            assertThat(played).isBetween((clock.nanoTime() - t0) * 44_100 / 1_000_000_000L - 1,
                    (clock.nanoTime() - t0) * 44_100 / 1_000_000_000L + 1);
            assertThat(sink.bufferedFrames()).isLessThanOrEqualTo(4_410 + 1);
        }
        assertThat(sink.writtenFrames()).isEqualTo(44_100);
        // One second written: the writer was held back until 1 s minus the 100 ms buffer.
        assertThat(clock.nanoTime() - t0).isBetween(900_000_000L - 1_000, 900_000_000L + 1_000);
        clock.advance(100_000_000L);
        assertThat(sink.bufferedFrames()).isZero();
        sink.close();
    }

    @Test
    void silentSinkIdlesThroughAnUnderrunAndPauses() {
        FakeClock clock = new FakeClock();
        SilentSink sink = new SilentSink(clock);
        sink.open(STEREO);
        sink.write(new byte[4410 * 4], 0, 4410 * 4); // 100 ms
        clock.advance(500_000_000L);                 // nothing written for 500 ms
        assertThat(sink.bufferedFrames()).isZero();
        sink.write(new byte[4410 * 4], 0, 4410 * 4);
        assertThat(sink.bufferedFrames()).isEqualTo(4410);
        sink.stop();
        clock.advance(50_000_000L);
        assertThat(sink.bufferedFrames()).isEqualTo(4410); // a stopped sink plays nothing
        assertThat(sink.write(new byte[4], 0, 4)).isZero();
        sink.start();
        clock.advance(50_000_000L);
        assertThat(sink.bufferedFrames()).isEqualTo(2205);
        sink.flush();
        assertThat(sink.bufferedFrames()).isZero();
    }

    @Test
    void recordingSinkRecordsClockAndFrameIndex() {
        FakeClock clock = new FakeClock();
        RecordingSink sink = new RecordingSink(clock, -1);
        sink.open(new AudioFormat(22_050f, 16, 1, true, false));
        long t = clock.nanoTime();
        sink.write(new byte[] {0, 0, 0, 0}, 0, 4);
        clock.advance(5);
        sink.write(new byte[] {0, 0, (byte) 0xd0, (byte) 0x8a}, 0, 4); // second sample: -30000
        assertThat(sink.writes()).hasSize(2);
        assertThat(sink.writes().get(0).nanos()).isEqualTo(t);
        assertThat(sink.writes().get(1).nanos()).isEqualTo(t + 5);
        assertThat(sink.writes().get(1).frameIndex()).isEqualTo(2);
        assertThat(sink.firstWriteNanos()).isEqualTo(t);
        assertThat(sink.firstNonSilentFrame(1_000)).isEqualTo(3);
        assertThat(clock.nanoTime()).isEqualTo(t + 5); // not paced
    }

    @Test
    void noSoundCardMeansASilentSinkAndOneWarning() {
        FakeClock clock = new FakeClock();
        List<String> warnings = new ArrayList<>();
        JavaSoundSink.resetWarning();
        AudioSink a = JavaSoundSink.openBest(clock, warnings::add);
        AudioSink b = JavaSoundSink.openBest(clock, warnings::add);
        Assumptions.assumeTrue(a instanceof SilentSink, "this machine has a sound card");
        assertThat(b).isInstanceOf(SilentSink.class);
        assertThat(warnings).containsExactly("no audio device: playing silently (keeping time)");
        assertThat(a.name()).contains("silent");
        a.open(STEREO);
        assertThat(a.write(new byte[400], 0, 400)).isEqualTo(400);
        assertThat(a.writtenFrames()).isEqualTo(100);
        a.close();
    }
}
