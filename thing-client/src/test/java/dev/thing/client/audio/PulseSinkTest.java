package dev.thing.client.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.sync.FakeClock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.sound.sampled.AudioFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The PulseAudio sink against a simulated sound server ({@link FakePulse}): its play position is what was heard (the
 * server's buffer and the sink's latency taken off), a flush moves its count to the server's write index, and a
 * server that is missing or fails leaves a silent sink that keeps time. No sound server needed.
 */
class PulseSinkTest {
    static final AudioFormat STEREO = new AudioFormat(44_100f, 16, 2, true, false);
    static final long MS = 1_000_000L;
    static final long SINK_LATENCY = 20 * MS;

    final FakeClock clock = new FakeClock();
    final FakePulse pulse = new FakePulse(clock, SINK_LATENCY);
    final List<String> warnings = new ArrayList<>();
    PulseSink sink;
    Player player;

    @AfterEach
    void close() {
        if (player != null) {
            player.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    private PulseSink openSink() {
        sink = new PulseSink(pulse, clock, warnings::add);
        sink.open(STEREO);
        sink.start();
        return sink;
    }

    @Test
    void asksForFiftyMillisecondsOfBuffering() {
        openSink();
        assertThat(pulse.events).containsExactly("open 44100/2 tlength " + 2205 * 4, "uncork");
        assertThat(sink.keepsRunning()).isTrue();
        assertThat(sink.name()).startsWith("pulseaudio fake-sink");
    }

    @Test
    void thePlayPositionIsWhatWasHeardNotWhatTheServerTook() {
        openSink();
        assertThat(sink.playedFrames()).isZero(); // no report yet: nothing has played
        long t0 = clock.nanoTime();
        byte[] piece = new byte[441 * 4];
        for (int i = 0; i < 300; i++) { // 3 s in 10 ms pieces
            assertThat(sink.write(piece, 0, piece.length)).isEqualTo(piece.length);
        }
        assertThat(sink.writtenFrames()).isEqualTo(300 * 441);
        long elapsed = clock.nanoTime() - t0;
        // heard: the server reads from the first write on; a frame is heard the sink's latency after it is read
        long heard = (elapsed - SINK_LATENCY) * 44_100 / 1_000_000_000L;
        assertThat(sink.playedFrames()).isBetween(heard - 1, heard + 1);
        // what is buffered: the server's buffer (at most the 50 ms asked for) plus the sink's 20 ms
        double bufferedMs = sink.bufferedFrames() / 44.1;
        assertThat(bufferedMs).isBetween(20.0 + 30.0, 20.0 + 50.0 + 0.1);
        assertThat(sink.delayMs()).isCloseTo(bufferedMs, org.assertj.core.data.Offset.offset(0.1));
        // the writer was paced by the server: 3 s written, the last 50 ms of it still in the server's buffer
        assertThat(elapsed / 1e6).isBetween(3000.0 - 50.0 - 1, 3000.0 - 40.0 + 1);
    }

    @Test
    void thePositionIsUnknownUntilTheServersClockMoves() {
        openSink();
        byte[] piece = new byte[441 * 4];
        sink.write(piece, 0, piece.length);
        sink.playedFrames();
        assertThat(sink.positionKnown()).isFalse(); // nothing heard yet: a 0 that is not on the line
        for (int i = 0; i < 10; i++) {
            sink.write(piece, 0, piece.length);
            sink.playedFrames();
        }
        assertThat(sink.playedFrames()).isPositive();
        assertThat(sink.positionKnown()).isFalse(); // moving, but not yet for PulseSink.STEADY_NANOS
        for (int i = 0; i < 60; i++) {
            sink.write(piece, 0, piece.length);
            sink.playedFrames();
        }
        assertThat(sink.positionKnown()).isTrue();
    }

    @Test
    void aStreamTimeThatHoldsAndJumpsIsNotKnownUntilItKeepsPace() {
        pulse.blockyForNanos = 4_000 * MS; // an idle null sink: the time moves in 2 s blocks for the first 4 s
        openSink();
        byte[] piece = new byte[441 * 4];
        long t0 = -1;
        long firstKnown = -1;
        for (int i = 0; i < 700; i++) { // 7 s in 10 ms pieces, the position read after each as the line does
            sink.write(piece, 0, piece.length);
            if (t0 < 0) {
                t0 = clock.nanoTime();
            }
            sink.playedFrames();
            if (sink.positionKnown() && firstKnown < 0) {
                firstKnown = clock.nanoTime() - t0;
            }
            if (firstKnown >= 0) {
                assertThat(sink.positionKnown()).isTrue(); // steady from then on
            }
        }
        // the blocks end at 4 s (a jump); known once the time kept pace for 0.5 s after that, not before
        // (a timing report comes every PulseSink.TIMING_REQUEST_NANOS: up to one of them later)
        assertThat(firstKnown / 1e6).isBetween(4_500.0 - 1, 4_500.0 + 20 + PulseSink.TIMING_REQUEST_NANOS / 1e6);
        long heard = (clock.nanoTime() - t0 - SINK_LATENCY) * 44_100 / 1_000_000_000L;
        assertThat(sink.playedFrames()).isBetween(heard - 1, heard + 1);
    }

    @Test
    void aStepInTheStreamTimeMakesThePositionUnknownUntilSteadyAgain() {
        openSink();
        byte[] piece = new byte[441 * 4];
        for (int i = 0; i < 100; i++) {
            sink.write(piece, 0, piece.length);
            sink.playedFrames();
        }
        assertThat(sink.positionKnown()).isTrue();
        // the time holds for 2 s (blocks from here on), then runs on
        pulse.blockyForNanos = clock.nanoTime() - pulse.stream.startNanos + 3_000 * MS;
        boolean lost = false;
        for (int i = 0; i < 300; i++) {
            sink.write(piece, 0, piece.length);
            sink.playedFrames();
            lost |= !sink.positionKnown();
        }
        assertThat(lost).isTrue();
        for (int i = 0; i < 100; i++) {
            sink.write(piece, 0, piece.length);
            sink.playedFrames();
        }
        assertThat(sink.positionKnown()).isTrue();
    }

    @Test
    void thePlayerPlacesTheFirstSampleRightAfterAnIdleSinksBlocks() throws Exception {
        pulse.blockyForNanos = 4_000 * MS; // reports from the blocks must not stay in the position filter
        PulseSink s = new PulseSink(pulse, clock, warnings::add);
        player = new Player(() -> s, clock, 0);
        // the start falls after the blocks (4 s) and the time's steady 0.5 s: what is placed then is placed by the
        // filter, which must hold nothing from the blocks (before, the raw report is all there is; see the report)
        long start = clock.nanoTime() + 8_000 * MS;
        List<long[]> pieces = new ArrayList<>();
        player.probe = (lineFrame, songSample, frames) -> {
            synchronized (pieces) {
                pieces.add(new long[] {lineFrame, songSample});
            }
        };
        player.play(Fixtures.source("click-track-30s.mp3"), 0, start);
        waitFor(() -> {
            synchronized (pieces) {
                return pieces.size() >= 5;
            }
        });
        player.stop();
        long[] first;
        synchronized (pieces) {
            first = pieces.get(0);
        }
        double errorMs = (pulse.heardAt(first[0]) - start) / 1e6;
        assertThat(first[1]).isZero();
        assertThat(Math.abs(errorMs)).isLessThanOrEqualTo(0.05);
    }

    @Test
    void aFlushMovesTheCountToTheServersWriteIndex() {
        openSink();
        byte[] piece = new byte[441 * 4];
        for (int i = 0; i < 100; i++) {
            sink.write(piece, 0, piece.length);
        }
        long before = sink.writtenFrames();
        sink.flush();
        // what the server had not read out is discarded; what the sink holds (20 ms) still plays
        assertThat(sink.writtenFrames()).isLessThan(before);
        assertThat(sink.writtenFrames() * 4).isEqualTo(pulse.stream.writeIndex);
        assertThat(sink.bufferedFrames()).isBetween(882L - 1, 882L + 1);
        assertThat(pulse.events).contains("flush");
        assertThat(sink.write(piece, 0, piece.length)).isEqualTo(piece.length);
        assertThat(sink.writtenFrames() * 4).isEqualTo(pulse.stream.writeIndex);
    }

    @Test
    void anUnderrunLeavesThePositionOnItsLine() {
        openSink();
        long t0 = clock.nanoTime();
        byte[] piece = new byte[441 * 4];
        for (int i = 0; i < 100; i++) {
            sink.write(piece, 0, piece.length);
        }
        clock.advance(300 * MS); // the writer stalls: the stream runs dry and plays silence
        long heard = (clock.nanoTime() - t0 - SINK_LATENCY) * 44_100 / 1_000_000_000L;
        assertThat(sink.playedFrames()).isBetween(heard - 1, heard + 1).isGreaterThan(sink.writtenFrames());
        assertThat(sink.bufferedFrames()).isZero();
        // the writer catches up at once (what it writes for frames already played is dropped by the server)
        long before = clock.nanoTime();
        for (int i = 0; i < 25; i++) {
            sink.write(piece, 0, piece.length);
        }
        assertThat(clock.nanoTime()).isEqualTo(before);
    }

    @Test
    void aStoppedSinkTakesNothingAndResumes() {
        openSink();
        byte[] second = new byte[44_100 * 4];
        sink.stop();
        assertThat(pulse.events).contains("cork");
        assertThat(sink.write(second, 0, second.length)).isZero();
        sink.start();
        assertThat(sink.write(second, 0, second.length)).isEqualTo(second.length);
    }

    @Test
    void anInterruptedWriterReturnsWithWhatWasTaken() {
        openSink();
        Thread.currentThread().interrupt();
        try {
            assertThat(sink.write(new byte[44_100 * 4], 0, 44_100 * 4)).isZero();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void noServerLeavesASilentSinkThatKeepsTimeWithOneWarning() {
        pulse.refuse = "no PulseAudio server answered: Connection refused";
        openSink();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("cannot play through PulseAudio", "Connection refused",
                "playing silently");
        assertThat(sink.keepsRunning()).isFalse();
        assertThat(sink.name()).startsWith("silent");
        long t0 = clock.nanoTime();
        assertThat(sink.write(new byte[44_100 * 4], 0, 44_100 * 4)).isEqualTo(44_100 * 4);
        assertThat(clock.nanoTime() - t0).isGreaterThan(800 * MS); // paced like a device
    }

    @Test
    void aStreamThatFailsWhilePlayingGoesOnSilently() {
        openSink();
        byte[] piece = new byte[441 * 4];
        sink.write(piece, 0, piece.length);
        pulse.failWritesWith = "the PulseAudio stream failed: Connection terminated";
        assertThat(sink.write(piece, 0, piece.length)).isEqualTo(piece.length);
        assertThat(warnings).singleElement().asString().contains("Connection terminated", "playing silently");
        assertThat(pulse.events).contains("close");
        assertThat(sink.write(piece, 0, piece.length)).isEqualTo(piece.length);
        assertThat(warnings).hasSize(1);
    }

    @Test
    void thePlayerPlacesTheFirstSampleToBeHeardAtTheInstant() throws Exception {
        PulseSink s = new PulseSink(pulse, clock, warnings::add);
        player = new Player(() -> s, clock, 0);
        long start = clock.nanoTime() + 2_000 * MS;
        List<long[]> pieces = new ArrayList<>();
        player.probe = (lineFrame, songSample, frames) -> {
            synchronized (pieces) {
                pieces.add(new long[] {lineFrame, songSample});
            }
        };
        player.play(Fixtures.source("click-track-30s.mp3"), 0, start);
        waitFor(() -> {
            synchronized (pieces) {
                return pieces.size() >= 5;
            }
        });
        player.stop();
        long[] first;
        synchronized (pieces) {
            first = pieces.get(0);
        }
        double errorMs = (pulse.heardAt(first[0]) - start) / 1e6;
        System.out.printf("PulseSink (20 ms sink latency, 50 ms asked): song sample %d heard %+.3f ms from the"
                + " instant; player measured %+.3f ms%n", first[1], errorMs, player.startErrorNanos() / 1e6);
        assertThat(first[1]).isZero();
        assertThat(Math.abs(errorMs)).isLessThanOrEqualTo(0.05); // a frame is 0.023 ms
        assertThat(warnings).isEmpty();
    }

    @Test
    void thePositionComesFromTheServersReportsNotTheLibrarysInterpolation() {
        // libpulse's smoother: 3 ms off at the start and 700 ppm fast from there (what the benchmark found)
        pulse.interpolationOffsetNanos = 3 * MS;
        pulse.interpolationPpm = 700;
        openSink();
        long t0 = -1;
        byte[] piece = new byte[441 * 4];
        for (int i = 0; i < 1000; i++) { // 10 s in 10 ms pieces
            sink.write(piece, 0, piece.length);
            if (t0 < 0) {
                t0 = clock.nanoTime();
            }
            sink.playedFrames();
        }
        long heard = (clock.nanoTime() - t0 - SINK_LATENCY) * 44_100 / 1_000_000_000L;
        assertThat(sink.playedFrames()).isBetween(heard - 2, heard + 2);
        assertThat(sink.positionKnown()).isTrue();
        // a report is asked for at most every PulseSink.TIMING_REQUEST_NANOS, not at every read
        long elapsed = clock.nanoTime() - t0;
        assertThat((long) pulse.timingRequests).isBetween(elapsed / PulseSink.TIMING_REQUEST_NANOS - 2,
                elapsed / PulseSink.TIMING_REQUEST_NANOS + 2);
    }

    @Test
    void eachReportIsTheInstantTheServerMeasuredNotWhenItWasRead() {
        openSink();
        byte[] piece = new byte[441 * 4];
        for (int i = 0; i < 100; i++) {
            sink.write(piece, 0, piece.length);
            sink.playedFrames();
        }
        AudioSink.TimedPosition r = sink.nextTimedPosition();
        assertThat(r).isNotNull();
        assertThat(sink.nextTimedPosition()).isNull(); // handed out once
        // read 30 ms later: still the report of the instant measured
        clock.advance(30 * MS);
        sink.playedFrames();
        AudioSink.TimedPosition again = sink.nextTimedPosition();
        assertThat(again).isNull();
        double truth = pulse.heardAt(r.frames());
        assertThat(Math.abs(r.nanos() - truth) / 1e6).isLessThanOrEqualTo(0.03); // a frame and the wall clock's us
    }

    @Test
    void aStepOfTheWallClockDoesNotMoveThePosition() {
        openSink();
        long t0 = -1;
        byte[] piece = new byte[441 * 4];
        for (int i = 0; i < 200; i++) {
            sink.write(piece, 0, piece.length);
            if (t0 < 0) {
                t0 = clock.nanoTime();
            }
            sink.playedFrames();
        }
        clock.stepWall(-1_500_000); // NTP steps the wall clock back 1.5 s; the server stamps with it too
        for (int i = 0; i < 200; i++) {
            sink.write(piece, 0, piece.length);
            AudioSink.TimedPosition r = sink.nextTimedPosition();
            if (r != null) {
                assertThat(Math.abs(r.nanos() - pulse.heardAt(r.frames())) / 1e6).isLessThanOrEqualTo(0.03);
            }
        }
        long heard = (clock.nanoTime() - t0 - SINK_LATENCY) * 44_100 / 1_000_000_000L;
        assertThat(sink.playedFrames()).isBetween(heard - 2, heard + 2);
    }

    @Test
    void thePlayerPlacesTheFirstSampleByTheServersReportsEvenWhenTheInterpolationIsOff() throws Exception {
        // one start while the filter is intercept-only (under 5 s of reports), one with its slope fitted
        for (long lead : new long[] {2_000 * MS, 9_000 * MS}) {
            FakePulse server = new FakePulse(clock, SINK_LATENCY);
            server.interpolationOffsetNanos = -4 * MS;
            server.interpolationPpm = 900;
            PulseSink s = new PulseSink(server, clock, warnings::add);
            Player p = new Player(() -> s, clock, 0);
            try {
                long start = clock.nanoTime() + lead;
                List<long[]> pieces = new ArrayList<>();
                p.probe = (lineFrame, songSample, frames) -> {
                    synchronized (pieces) {
                        pieces.add(new long[] {lineFrame, songSample});
                    }
                };
                p.play(Fixtures.source("click-track-30s.mp3"), 0, start);
                waitFor(() -> {
                    synchronized (pieces) {
                        return pieces.size() >= 5;
                    }
                });
                p.stop();
                long[] first;
                synchronized (pieces) {
                    first = pieces.get(0);
                }
                double errorMs = (server.heardAt(first[0]) - start) / 1e6;
                assertThat(first[1]).isZero();
                assertThat(Math.abs(errorMs)).as("start %d ms ahead", lead / MS).isLessThanOrEqualTo(0.05);
            } finally {
                p.close();
            }
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000 * MS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(1);
        }
    }
}
