package dev.thing.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PingTrackerTest {
    PingTracker pings = new PingTracker();

    @Test
    void tokensAreACounter() {
        assertThat(pings.nextToken()).isEqualTo("1");
        assertThat(pings.nextToken()).isEqualTo("2");
        assertThat(pings.nextToken()).isEqualTo("3");
    }

    @Test
    void anOkayWithTheTokenMeasuresFromWhenThePingWasWritten() {
        String token = pings.nextToken();
        pings.written(token, 1_000);

        assertThat(pings.answered(token, 26_000)).hasValue(25_000);
    }

    @Test
    void aPingIsAnsweredOnlyOnce() {
        String token = pings.nextToken();
        pings.written(token, 1_000);
        pings.answered(token, 2_000);

        assertThat(pings.answered(token, 3_000)).isEmpty();
        assertThat(pings.answered(null, 3_000)).isEmpty();
    }

    @Test
    void tokensMatchTheRightPingOutOfOrder() {
        String one = pings.nextToken();
        String two = pings.nextToken();
        pings.written(one, 100);
        pings.written(two, 200);

        assertThat(pings.answered(two, 1_200)).hasValue(1_000);
        assertThat(pings.answered(one, 1_300)).hasValue(1_200);
    }

    @Test
    void anOkayWithoutTokenAnswersTheOldestWrittenPing() {
        String one = pings.nextToken();
        String two = pings.nextToken();
        String three = pings.nextToken();
        pings.written(two, 500);
        pings.written(three, 700);

        assertThat(pings.answered(null, 1_000)).as("ping 1 was never written").hasValue(500);
        assertThat(pings.answered(null, 1_000)).hasValue(300);
        assertThat(pings.answered(null, 1_000)).isEmpty();
        pings.written(one, 900);
        assertThat(pings.answered(null, 1_000)).hasValue(100);
    }

    @Test
    void aPingNotYetWrittenCannotBeAnswered() {
        String token = pings.nextToken();

        assertThat(pings.answered(token, 5_000)).isEmpty();
        pings.written(token, 6_000);
        assertThat(pings.answered(token, 7_000)).hasValue(1_000);
    }

    @Test
    void anUnknownTokenAnswersNothing() {
        String token = pings.nextToken();
        pings.written(token, 0);

        assertThat(pings.answered("99", 10)).isEmpty();
        assertThat(pings.answered("not-a-number", 10)).isEmpty();
        assertThat(pings.answered(token, 10)).hasValue(10);
    }

    @Test
    void atMost16PingsAreRememberedAndTheOldestAreForgotten() {
        for (int i = 1; i <= 20; i++) {
            String token = pings.nextToken();
            pings.written(token, i);
        }

        for (int i = 1; i <= 4; i++) {
            assertThat(pings.answered(Integer.toString(i), 100)).as("ping %d", i).isEmpty();
        }
        for (int i = 5; i <= 20; i++) {
            assertThat(pings.answered(Integer.toString(i), 100)).as("ping %d", i).hasValue(100 - i);
        }
    }

    @Test
    void writtenForAForgottenPingIsIgnored() {
        for (int i = 0; i < 17; i++) {
            pings.nextToken();
        }
        pings.written("1", 5);

        assertThat(pings.answered(null, 10)).isEmpty();
    }
}
