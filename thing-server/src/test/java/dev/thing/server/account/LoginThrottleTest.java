package dev.thing.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final LoginThrottle throttle = new LoginThrottle(now::get);

    private void advanceSeconds(long s) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(s));
    }

    @Test
    void threeWrongPasswordsAreFreeAndTheFourthLocksForOneSecond() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("bob", "10.0.0.1");
            assertThat(throttle.lockedFor("bob", "10.0.0.1")).as("after failure %d", i + 1).isEmpty();
        }
        throttle.failed("bob", "10.0.0.1");

        assertThat(throttle.lockedFor("bob", "10.0.0.1")).hasValue(1);
        advanceSeconds(1);
        assertThat(throttle.lockedFor("bob", "10.0.0.1")).isEmpty();
    }

    @Test
    void locksDoubleUpToFiveMinutes() {
        assertThat(LoginThrottle.lockSeconds(3)).isZero();
        assertThat(LoginThrottle.lockSeconds(4)).isEqualTo(1);
        assertThat(LoginThrottle.lockSeconds(5)).isEqualTo(2);
        assertThat(LoginThrottle.lockSeconds(6)).isEqualTo(4);
        assertThat(LoginThrottle.lockSeconds(12)).isEqualTo(256);
        assertThat(LoginThrottle.lockSeconds(13)).isEqualTo(300);
        assertThat(LoginThrottle.lockSeconds(1_000)).isEqualTo(300);
    }

    @Test
    void theAccountIsLockedFromEveryAddressAndTheAddressForEveryAccount() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("bob", "10.0.0.1");
        }

        assertThat(throttle.lockedFor("bob", "10.0.0.2")).hasValue(1);
        assertThat(throttle.lockedFor("carol", "10.0.0.1")).hasValue(1);
        assertThat(throttle.lockedFor("carol", "10.0.0.2")).isEmpty();
    }

    @Test
    void guessingManyAccountsFromOneAddressLocksTheAddress() {
        for (String name : new String[] {"a1", "a2", "a3", "a4", "a5"}) {
            throttle.failed(name, "10.0.0.9");
        }

        assertThat(throttle.lockedFor("someone", "10.0.0.9")).hasValue(2);
    }

    @Test
    void aRightPasswordClearsTheAccountButNotTheAddress() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("bob", "10.0.0.1");
        }
        advanceSeconds(1);
        throttle.succeeded("bob");

        throttle.failed("bob", "10.0.0.7");
        assertThat(throttle.lockedFor("bob", "10.0.0.7")).isEmpty();
        throttle.failed("carol", "10.0.0.1");
        assertThat(throttle.lockedFor("carol", "10.0.0.1")).as("the address's fifth failure").hasValue(2);
    }

    @Test
    void failuresAreForgottenAfterFifteenQuietMinutes() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("bob", "10.0.0.1");
        }
        advanceSeconds(LoginThrottle.FORGET_AFTER_SECONDS + 1);

        throttle.failed("bob", "10.0.0.1");
        assertThat(throttle.lockedFor("bob", "10.0.0.1")).isEmpty();
    }
}
