package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.server.ThingServer;
import dev.thing.server.TlsConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The page and its WebSocket over HTTPS (wss://), on the certificate the line protocol's TLS listener uses: the
 * same files and the same sessions as over plain HTTP, and a client that does not trust the certificate gets no
 * page at all.
 */
class HttpsOverTheWireTest extends ServerTestBase {
    static InetSocketAddress loopback() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    HttpClient trustingClient() throws Exception {
        SSLContext context = TlsOverTheWireTest.trusting(server.certificate().leaf());
        return HttpClient.newBuilder().sslContext(context).connectTimeout(WAIT).build();
    }

    URI https(String path) {
        return URI.create("https://127.0.0.1:" + server.httpsAddress().getPort() + path);
    }

    @Test
    void thePageIsServedOverHttpsAloneWithItsSecurityHeaders() throws Exception {
        start(b -> {
            b.httpBind = null;
            b.tls = new TlsConfig(null, null, null, loopback());
        });
        assertThat(server.httpAddress()).as("plain HTTP is off").isNull();
        assertThat(server.tlsAddress()).as("no line-protocol TLS listener was asked for").isNull();

        HttpResponse<String> page = trustingClient().send(HttpRequest.newBuilder(https("/")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>");
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/html"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        HttpResponse<String> missing = trustingClient().send(HttpRequest.newBuilder(https("/nothing-here.js"))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void aWssSessionIsAMemberOfTheSameLobbiesAsTelnet() throws Exception {
        start(b -> b.tls = new TlsConfig(null, null, null, loopback()));
        TelnetClient alice = connect("alice");
        alice.send("party alice");
        alice.expectOkay();

        String origin = "https://127.0.0.1:" + server.httpsAddress().getPort();
        WsClient bob = WsClient.open("bob", URI.create("wss://127.0.0.1:" + server.httpsAddress().getPort()
                + "/ws"), origin, trustingClient());
        try {
            bob.expectLine(GREETING);
            assertThat(bob.command("LOBBIES").data()).containsExactly("LOBBY party 1 0");
            bob.send("party bob");
            alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
            alice.send("ACCEPT bob");
            alice.skipUntilLine("NOTIFY bob joined party");
            alice.expectOkay();
            bob.skipUntilLine("NOTIFY bob joined party");
            assertThat(alice.command("USERS").data()).anySatisfy(l -> assertThat(l).startsWith("USER bob USER"));
        } finally {
            bob.close();
        }
    }

    @Test
    void theLineProtocolsTlsListenerAndHttpsShowTheSameCertificate() throws Exception {
        start(b -> {
            b.httpBind = loopback();
            b.tls = new TlsConfig(loopback(), null, null, loopback());
        });
        assertThat(server.tlsAddress()).isNotNull();
        assertThat(server.httpsAddress()).isNotNull();
        assertThat(server.httpAddress()).as("plain HTTP stays where it was").isNotNull();

        // A client trusting exactly the TLS listener's certificate gets the page: it is the same certificate.
        HttpResponse<String> page = trustingClient().send(HttpRequest.newBuilder(https("/index.html"))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + server.httpAddress().getPort() + "/index.html")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plain.body()).isEqualTo(page.body());
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateGetsNothing() {
        start(b -> b.tls = new TlsConfig(null, null, null, loopback()));
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(https("/")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
        assertThat(server.lobbies().lobbies()).isEmpty();
    }
}
