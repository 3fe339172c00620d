package dev.thing.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which pages may open the WebSocket. */
class OriginPolicyTest {
    private final OriginPolicy own = new OriginPolicy(List.of());

    @Test
    void aProgramWithoutAnOriginIsAccepted() {
        assertThat(own.refusal(null, "thing.local:8080")).isEmpty();
    }

    @Test
    void thePagesOwnOriginIsAccepted() {
        assertThat(own.refusal("http://thing.local:8080", "thing.local:8080")).isEmpty();
        assertThat(own.refusal("HTTP://Thing.Local:8080/", "thing.local:8080")).isEmpty();
        assertThat(own.refusal("https://party.example", "party.example")).as("behind a TLS proxy").isEmpty();
        assertThat(own.refusal("http://[::1]:8080", "[::1]:8080")).isEmpty();
    }

    @Test
    void anotherSiteAnotherPortOrAnOpaqueOriginIsRefusedWithAReason() {
        assertThat(own.refusal("http://evil.example", "thing.local:8080")).hasValueSatisfying(r ->
                assertThat(r).contains("origin http://evil.example may not open").contains("--http-origins"));
        assertThat(own.refusal("http://thing.local:8081", "thing.local:8080")).isPresent();
        assertThat(own.refusal("http://thing.local", "thing.local:8080")).isPresent();
        assertThat(own.refusal("null", "thing.local:8080")).isPresent();
        assertThat(own.refusal("file://", "thing.local:8080")).isPresent();
        assertThat(own.refusal("http://thing.local:8080", null)).isPresent();
    }

    @Test
    void listedOriginsAndTheWildcardAreAccepted() {
        OriginPolicy listed = new OriginPolicy(List.of("https://party.example/"));
        assertThat(listed.refusal("https://party.example", "thing.local:8080")).isEmpty();
        assertThat(listed.refusal("https://other.example", "thing.local:8080")).hasValueSatisfying(r ->
                assertThat(r).contains("https://party.example"));
        assertThat(new OriginPolicy(List.of("*")).refusal("null", "thing.local:8080")).isEmpty();
    }
}
