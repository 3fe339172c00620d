package dev.thing.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(1_000);

    @Test
    void aHashMatchesItsPasswordOnly() {
        String hash = hasher.hash("correct horse");

        assertThat(hasher.matches("correct horse", hash)).isTrue();
        assertThat(hasher.matches("correct hors", hash)).isFalse();
        assertThat(hasher.matches("Correct horse", hash)).isFalse();
        assertThat(hasher.matches("", hash)).isFalse();
    }

    @Test
    void aHashHoldsItsIterationsAndARandomSaltAndNeverThePassword() {
        String one = hasher.hash("correct horse");
        String two = hasher.hash("correct horse");

        assertThat(one).startsWith("pbkdf2-sha256$1000$").doesNotContain("correct");
        assertThat(one).isNotEqualTo(two);
        String[] parts = one.split("\\$");
        assertThat(java.util.Base64.getDecoder().decode(parts[2])).hasSize(16);
        assertThat(java.util.Base64.getDecoder().decode(parts[3])).hasSize(32);
    }

    @Test
    void aHashMadeWithAnotherCountStillMatchesAndIsSeenAsWeaker() {
        String old = new PasswordHasher(500).hash("correct horse");
        PasswordHasher stronger = new PasswordHasher(2_000);

        assertThat(stronger.matches("correct horse", old)).isTrue();
        assertThat(stronger.isWeakerThanCurrent(old)).isTrue();
        assertThat(stronger.isWeakerThanCurrent(stronger.hash("x"))).isFalse();
    }

    @Test
    void malformedHashesMatchNothing() {
        for (String bad : new String[] {null, "", "plain", "pbkdf2-sha256$x$aa$bb", "md5$1000$aa$bb",
                "pbkdf2-sha256$0$AAAA$AAAA", "pbkdf2-sha256$1000$!!$AAAA"}) {
            assertThat(hasher.matches("anything", bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void theDefaultIsSixHundredThousandIterations() {
        assertThat(PasswordHasher.DEFAULT_ITERATIONS).isEqualTo(600_000);
    }
}
