package dev.thing.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.ThingClient;
import dev.thing.it.TelnetClient;
import dev.thing.server.ThingServer;
import dev.thing.server.TlsConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The real client over TLS as ssh users know it: the first connection trusts and remembers the certificate, the
 * next ones accept it silently, a changed certificate is refused with both fingerprints, and a pinned fingerprint
 * is all that counts.
 */
class TlsClientTest extends ClientTestBase {
    Path knownHosts;
    int runs;

    ThingServer startTls(int tlsPort) {
        return start(b -> b.tls = new TlsConfig(new InetSocketAddress("127.0.0.1", tlsPort), null, null));
    }

    int tlsPort() {
        return server.tlsAddress().getPort();
    }

    ClientRun run(String lobby, String user, ThingClient.Tls tls, int port) {
        runs++;
        ClientRun r = ClientRun.script(ClientRun.config(port, cacheDir(user + "-" + runs), lobby, user).withTls(tls),
                ThingClient.REAL, "users\n");
        return r;
    }

    ClientRun tofu(String user) {
        return run("party", user, new ThingClient.Tls(knownHosts, null), tlsPort());
    }

    @Test
    void firstUseIsTrustedAndRememberedTheNextIsSilentAChangedCertificateIsRefusedAndAPinDecides() throws Exception {
        knownHosts = dir.resolve("config").resolve("thing").resolve("known_hosts");
        startTls(0);
        int port = tlsPort();
        String first = server.certificate().fingerprint();

        try (ClientRun alice = tofu("alice")) {
            assertThat(alice.exitCode()).as(alice.output()).isZero();
            assertThat(alice.output()).contains("first TLS connection to 127.0.0.1:" + port
                    + ": trusting its certificate, SHA-256 fingerprint " + first);
        }
        assertThat(Files.readAllLines(knownHosts)).containsExactly("127.0.0.1:" + port + " " + first);

        try (ClientRun again = tofu("alice")) {
            assertThat(again.exitCode()).as(again.output()).isZero();
            assertThat(again.output()).doesNotContain("first TLS connection");
        }

        // The server gets a new certificate (its files removed) and comes back on the same port.
        server.close();
        deleteTree(ThingServer.selfSignedDir(dev.thing.server.ServerConfig.forTests(dir.resolve("server"))));
        startTls(port);
        String second = server.certificate().fingerprint();
        assertThat(second).isNotEqualTo(first);

        try (ClientRun refused = tofu("alice")) {
            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(ThingClient.EXIT_NOT_JOINED);
            assertThat(refused.output()).contains("THE CERTIFICATE OF 127.0.0.1:" + port + " HAS CHANGED")
                    .contains(first).contains(second).contains("Refusing to connect");
        }
        assertThat(Files.readAllLines(knownHosts)).containsExactly("127.0.0.1:" + port + " " + first);

        try (ClientRun pinned = run("party", "alice", new ThingClient.Tls(knownHosts, second), port)) {
            assertThat(pinned.exitCode()).as(pinned.output()).isZero();
        }
        try (ClientRun wrongPin = run("party", "alice", new ThingClient.Tls(knownHosts, first), port)) {
            assertThat(wrongPin.exitCode()).as(wrongPin.output()).isEqualTo(ThingClient.EXIT_NOT_JOINED);
            assertThat(wrongPin.output()).contains("other than the pinned one").contains(first).contains(second);
        }
    }

    @Test
    void tlsToThePlainPortSaysTheHandshakeFailedAndWhy() {
        knownHosts = dir.resolve("known_hosts");
        startTls(0);

        try (ClientRun r = run("party", "bob", new ThingClient.Tls(knownHosts, null), port())) {
            assertThat(r.exitCode()).as(r.output()).isEqualTo(ThingClient.EXIT_NOT_JOINED);
            assertThat(r.output()).contains("TLS handshake with 127.0.0.1:" + port() + " failed")
                    .contains("--tls-port");
        }
        assertThat(knownHosts).doesNotExist();
    }

    @Test
    void aTelnetMemberAndATlsClientShareTheLobby() {
        knownHosts = dir.resolve("known_hosts");
        startTls(0);
        TelnetClient admin = telnetAdmin("party", "alice");
        ClientRun bob = ClientRun.interactive(ClientRun.config(tlsPort(), cacheDir("bob"), "party", "bob")
                .withTls(new ThingClient.Tls(knownHosts, null)), ThingClient.REAL);
        try (bob) {
            accept(admin, bob, "party");
            bob.type("users");
            bob.awaitOutput("alice");
            bob.finishOk();
        }
    }

    static void deleteTree(Path p) throws Exception {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
