package dev.thing.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ClockSyncTest {

    /**
     * A simulated exchange over a path whose legs have different fixed delays and random (exponential) queueing,
     * heavier on the way out: the plain average is biased by half the mean queueing difference, the minimum-RTT
     * filter is not.
     */
    private static final class SimulatedServer {
        final FakeClock clock;
        final long offsetMicros;
        final Random random;

        SimulatedServer(FakeClock clock, long offsetMicros, long seed) {
            this.clock = clock;
            this.offsetMicros = offsetMicros;
            this.random = new Random(seed);
        }

        void exchange(ClockSync sync) {
            long t0 = clock.epochMicros();
            // 4 ms / 4.6 ms fixed, 0.2 ms mean jitter; 30 % of requests queue behind a burst (mean 20 ms), 10 % of
            // answers behind a smaller one (mean 5 ms).
            long up = 4_000 + exp(200) + (random.nextDouble() < 0.3 ? exp(20_000) : 0);
            long down = 4_600 + exp(200) + (random.nextDouble() < 0.1 ? exp(5_000) : 0);
            clock.advance(up * 1000);
            long ts = clock.epochMicros() + offsetMicros;
            clock.advance(down * 1000);
            long t1 = clock.epochMicros();
            sync.addSample(t0, ts, t1, clock.nanoTime());
            clock.advance(200_000_000L + random.nextInt(100_000_000)); // next exchange in 200-300 ms
        }

        long exp(long mean) {
            return (long) (-Math.log(1 - random.nextDouble()) * mean);
        }

        long trueServerMicrosNow() {
            return clock.epochMicros() + offsetMicros;
        }
    }

    /** Runs 40 exchanges; returns {filtered error, plain mean error} in microseconds. */
    private static long[] checkOffset(long offsetMicros, long seed) {
        FakeClock clock = new FakeClock();
        ClockSync sync = new ClockSync(clock);
        SimulatedServer server = new SimulatedServer(clock, offsetMicros, seed);
        for (int i = 0; i < 40; i++) {
            server.exchange(sync);
        }
        long filtered = sync.offsetMicros().orElseThrow();
        long plain = sync.meanOffsetMicros().orElseThrow();
        long filteredError = Math.abs(filtered - offsetMicros);
        long plainError = Math.abs(plain - offsetMicros);
        System.out.printf("offset %+d us, seed %d: min-RTT filter error %d us (best RTT %d us), plain mean error %d us%n",
                offsetMicros, seed, filteredError, sync.bestRttMicros().orElseThrow(), plainError);
        assertThat(filteredError).isLessThan(1_000);

        // The mapping: the local instant at which the server reads X is when the true server clock reads X.
        long serverTarget = server.trueServerMicrosNow() + 750_000;
        long localNanos = sync.localNanosAt(serverTarget);
        clock.advance(localNanos - clock.nanoTime());
        assertThat(Math.abs(server.trueServerMicrosNow() - serverTarget)).isLessThan(1_000);
        assertThat(Math.abs(sync.serverMicrosNow() - serverTarget)).isLessThanOrEqualTo(1);
        return new long[] {filteredError, plainError};
    }

    /** Over several seeded runs the min-RTT filter must clearly beat the plain average. */
    private static void checkOffsetOverSeeds(long offsetMicros, long firstSeed) {
        long filtered = 0;
        long plain = 0;
        for (long seed = firstSeed; seed < firstSeed + 8; seed++) {
            long[] errors = checkOffset(offsetMicros, seed);
            filtered += errors[0];
            plain += errors[1];
        }
        System.out.printf("offset %+d us: mean error min-RTT filter %d us, plain mean %d us%n",
                offsetMicros, filtered / 8, plain / 8);
        assertThat(plain).isGreaterThan(3 * filtered);
    }

    @Test
    void estimatesAPositiveOffsetWithinAMillisecond() {
        checkOffsetOverSeeds(2_500_000, 1);
    }

    @Test
    void estimatesANegativeOffsetWithinAMillisecond() {
        checkOffsetOverSeeds(-3_000_000, 11);
    }

    @Test
    void notReadyBeforeThreeSamples() {
        FakeClock clock = new FakeClock();
        ClockSync sync = new ClockSync(clock);
        SimulatedServer server = new SimulatedServer(clock, 1_000_000, 7);
        assertThat(sync.ready()).isFalse();
        assertThat(sync.offsetMicros()).isEmpty();
        assertThat(sync.bestRttMicros()).isEmpty();
        server.exchange(sync);
        server.exchange(sync);
        assertThat(sync.samples()).isEqualTo(2);
        assertThat(sync.ready()).isFalse();
        assertThat(sync.offsetMicros()).isPresent();
        server.exchange(sync);
        assertThat(sync.ready()).isTrue();
    }

    @Test
    void windowRolls() {
        FakeClock clock = new FakeClock();
        ClockSync sync = new ClockSync(clock, 4);
        long t = clock.epochMicros();
        // A very good sample first, then it must roll out of the window.
        sync.addSample(t, t + 500 + 100, t + 1_000, clock.nanoTime());           // rtt 1000, offset 100
        for (int i = 1; i <= 4; i++) {
            long t0 = t + i * 1_000_000L;
            sync.addSample(t0, t0 + 5_000 + 200, t0 + 10_000, clock.nanoTime());  // rtt 10000, offset 200
        }
        assertThat(sync.samples()).isEqualTo(4);
        assertThat(sync.bestRttMicros()).hasValue(10_000);
        assertThat(sync.offsetMicros()).hasValue(200);
    }

    @Test
    void averagesSamplesNearTheMinimumRttOnly() {
        FakeClock clock = new FakeClock();
        ClockSync sync = new ClockSync(clock);
        long t = clock.epochMicros();
        sync.addSample(t, t + 1_000 + 100, t + 2_000, clock.nanoTime());      // rtt 2000, offset 100
        sync.addSample(t, t + 1_200 + 300, t + 2_400, clock.nanoTime());      // rtt 2400, offset 300 (within 0.5 ms)
        sync.addSample(t, t + 10_000 + 9_000, t + 20_000, clock.nanoTime());  // rtt 20000: ignored
        assertThat(sync.offsetMicros()).hasValue(200);
        assertThat(sync.bestRttMicros()).hasValue(2_000);
        assertThat(sync.meanOffsetMicros()).hasValue(3_133);
    }

    @Test
    void aWallClockStepBetweenSamplesDoesNotMoveTheMapping() {
        FakeClock clock = new FakeClock();
        ClockSync sync = new ClockSync(clock);
        long offset = 2_500_000;
        for (int i = 0; i < 3; i++) {
            long t0 = clock.epochMicros();
            clock.advance(1_000_000);
            long ts = clock.epochMicros() + offset;
            clock.advance(1_000_000);
            sync.addSample(t0, ts, clock.epochMicros(), clock.nanoTime());
            clock.advance(100_000_000);
            if (i == 0) {
                clock.stepWall(-60_000_000L); // the wall clock steps a minute back; the server does not
                offset += 60_000_000L;
            }
        }
        long serverNow = clock.epochMicros() + offset;
        assertThat(Math.abs(sync.localNanosAt(serverNow) - clock.nanoTime())).isLessThan(1_000_000);
    }

    @Test
    void refusesNegativeRoundTripsAndMapsByWallClockBeforeAnySample() {
        FakeClock clock = new FakeClock();
        ClockSync sync = new ClockSync(clock);
        long t = clock.epochMicros();
        sync.addSample(t, t, t - 5, clock.nanoTime());
        assertThat(sync.samples()).isZero();
        assertThat(sync.localNanosAt(t + 1_000)).isEqualTo(clock.nanoTime() + 1_000_000);
        assertThat(sync.serverMicrosNow()).isEqualTo(t);
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        FakeClock clock = new FakeClock();
        ClockSync sync = new ClockSync(clock);
        long base = clock.epochMicros();
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                try {
                    for (int i = 0; i < 2_000; i++) {
                        sync.addSample(base, base + 1_000 + 777, base + 2_000, clock.nanoTime());
                        sync.localNanosAt(base + 5_000);
                        sync.serverMicrosNow();
                        sync.offsetMicros();
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(30_000);
        }
        assertThat(failure.get()).isNull();
        assertThat(sync.samples()).isEqualTo(ClockSync.DEFAULT_WINDOW);
        assertThat(sync.offsetMicros()).hasValue(777);
    }
}
