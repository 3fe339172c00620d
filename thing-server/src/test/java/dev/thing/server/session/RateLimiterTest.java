package dev.thing.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.server.time.ManualClock;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    static final long MS = 1_000_000;
    ManualClock clock = new ManualClock(0);

    @Test
    void aBurstGoesThroughAtOnceThenTheClientWaits() {
        RateLimiter limiter = new RateLimiter(3, 2.0, clock);

        assertThat(limiter.take()).isZero();
        assertThat(limiter.take()).isZero();
        assertThat(limiter.take()).isZero();
        assertThat(limiter.take()).as("one token short at 2/s").isEqualTo(500 * MS);
    }

    @Test
    void afterTheBurstCommandsAreAdmittedAtTheSteadyRate() {
        RateLimiter limiter = new RateLimiter(1, 4.0, clock);
        limiter.take();

        for (int i = 0; i < 5; i++) {
            long wait = limiter.take();
            assertThat(wait).isEqualTo(250 * MS);
            clock.advanceNanos(wait);
        }
    }

    @Test
    void waitingLongerThanAskedLetsTheNextCommandThrough() {
        RateLimiter limiter = new RateLimiter(2, 10.0, clock);
        limiter.take();
        limiter.take();
        long wait = limiter.take();
        assertThat(wait).isEqualTo(100 * MS);

        clock.advanceMillis(200);

        assertThat(limiter.take()).isZero();
    }

    @Test
    void aQuietClientRefillsUpToTheBurstButNoFurther() {
        RateLimiter limiter = new RateLimiter(3, 2.0, clock);
        for (int i = 0; i < 3; i++) {
            limiter.take();
        }

        clock.advanceMillis(60_000);

        assertThat(limiter.take()).isZero();
        assertThat(limiter.take()).isZero();
        assertThat(limiter.take()).isZero();
        assertThat(limiter.take()).isPositive();
    }

    @Test
    void partialRefillShortensTheWait() {
        RateLimiter limiter = new RateLimiter(1, 1.0, clock);
        limiter.take();
        clock.advanceMillis(400);

        assertThat(limiter.take()).isEqualTo(600 * MS);
    }
}
