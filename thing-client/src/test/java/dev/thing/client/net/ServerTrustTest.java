package dev.thing.client.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trust as ssh does: first use remembered, a known certificate accepted, a changed one refused; pins. */
class ServerTrustTest {
    @TempDir
    Path dir;

    final List<String> notices = new ArrayList<>();

    static X509Certificate cert(String name) throws Exception {
        try (InputStream in = ServerTrustTest.class.getResourceAsStream("/tls/" + name)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    ServerTrust tofu(Path knownHosts) {
        return ServerTrust.onFirstUse("LocalHost", 7718, knownHosts, notices::add);
    }

    @Test
    void fingerprintsAreWrittenAsOpensslDoesWhateverTheSpelling() throws Exception {
        String fp = ServerTrust.fingerprint(cert("ec-cert.pem"));

        assertThat(fp).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(ServerTrust.normalize(fp.replace(":", "").toLowerCase())).isEqualTo(fp);
        assertThat(ServerTrust.normalize("SHA256:" + fp)).isEqualTo(fp);
        assertThatThrownBy(() -> ServerTrust.normalize("AB:CD")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 hex digits");
    }

    @Test
    void theFirstUseIsRememberedThenTheSameCertificateIsAcceptedSilently() throws Exception {
        Path known = dir.resolve("config").resolve("thing").resolve("known_hosts");
        X509Certificate ec = cert("ec-cert.pem");
        String fp = ServerTrust.fingerprint(ec);

        tofu(known).checkServerTrusted(new X509Certificate[] {ec}, "ECDHE_ECDSA");

        assertThat(Files.readAllLines(known)).containsExactly("localhost:7718 " + fp);
        assertThat(notices).singleElement().asString().contains("first TLS connection to localhost:7718")
                .contains(fp).contains(known.toString());
        notices.clear();

        ServerTrust again = tofu(known);
        again.checkServerTrusted(new X509Certificate[] {ec}, "ECDHE_ECDSA");

        assertThat(notices).isEmpty();
        assertThat(again.refusal()).isEmpty();
        assertThat(Files.readAllLines(known)).hasSize(1);
    }

    @Test
    void aChangedCertificateIsRefusedLoudlyWithBothFingerprintsAndTheFileIsNotTouched() throws Exception {
        Path known = dir.resolve("known_hosts");
        String oldFp = ServerTrust.fingerprint(cert("ec-cert.pem"));
        Files.writeString(known, "# a comment\nother:7718 " + ServerTrust.fingerprint(cert("rsa-cert.pem"))
                + "\nlocalhost:7718 " + oldFp + "\n");
        X509Certificate rsa = cert("rsa-cert.pem");
        ServerTrust trust = tofu(known);

        assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {rsa}, "RSA"))
                .isInstanceOf(CertificateException.class);

        String newFp = ServerTrust.fingerprint(rsa);
        assertThat(trust.refusal()).hasValueSatisfying(why -> assertThat(why)
                .contains("HAS CHANGED").contains(oldFp).contains(newFp)
                .contains("remove the line for localhost:7718"));
        assertThat(Files.readString(known)).doesNotContain("localhost:7718 " + ServerTrust.fingerprint(rsa));
    }

    @Test
    void aPinnedFingerprintAcceptsOnlyThatCertificateAndLeavesNoFile() throws Exception {
        X509Certificate ec = cert("ec-cert.pem");
        X509Certificate rsa = cert("rsa-cert.pem");
        ServerTrust pinned = ServerTrust.pinned("localhost", 7718, ServerTrust.fingerprint(ec).toLowerCase());

        pinned.checkServerTrusted(new X509Certificate[] {ec}, "ECDHE_ECDSA");
        assertThatThrownBy(() -> pinned.checkServerTrusted(new X509Certificate[] {rsa}, "RSA"))
                .isInstanceOf(CertificateException.class);

        String ecFp = ServerTrust.fingerprint(ec);
        String rsaFp = ServerTrust.fingerprint(rsa);
        assertThat(pinned.refusal()).hasValueSatisfying(why -> assertThat(why)
                .contains("other than the pinned one").contains(ecFp).contains(rsaFp));
    }

    @Test
    void ipv6HostsAreWrittenInBrackets() throws Exception {
        Path known = dir.resolve("known_hosts");
        X509Certificate ec = cert("ec-cert.pem");

        ServerTrust.onFirstUse("::1", 7718, known, s -> { }).checkServerTrusted(new X509Certificate[] {ec}, "EC");

        assertThat(Files.readString(known)).startsWith("[::1]:7718 ");
    }
}
