package dev.thing.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's TLS identity: the self-signed certificate made once and reused, and the operator's PEM files. */
class ServerCertificateTest {
    @TempDir
    Path dir;

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    /** A key in PKCS#8 PEM ("PRIVATE KEY"). */
    static String pkcs8(KeyPair pair) throws Exception {
        return ServerCertificate.pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate());
    }

    /** One of the files OpenSSL made (src/test/resources/tls), copied to the test's folder. */
    Path fixture(String name) throws Exception {
        try (var in = ServerCertificateTest.class.getResourceAsStream("/tls/" + name)) {
            Path p = dir.resolve(name);
            Files.copy(in, p);
            return p;
        }
    }

    Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.US_ASCII);
        return p;
    }

    @Test
    void theSelfSignedCertificateIsMadeOnceWithAPrivateKeyFileAndReusedAfterwards() throws Exception {
        Path tls = dir.resolve("library").resolve("tls");

        ServerCertificate first = ServerCertificate.selfSigned(tls);

        assertThat(first.origin()).contains("made now");
        X509Certificate cert = first.leaf();
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(cert.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))).toList())
                .contains("localhost", "127.0.0.1");
        cert.checkValidity();
        cert.verify(cert.getPublicKey());
        assertThat(first.fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        Path key = tls.resolve(ServerCertificate.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(tls.resolve(ServerCertificate.CERT_FILE))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(tls.resolve(ServerCertificate.KEY_FILE + ".tmp")).doesNotExist();

        ServerCertificate again = ServerCertificate.selfSigned(tls);

        assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(again.origin()).contains("earlier start");
    }

    @Test
    void aHalfWrittenPairIsMadeAgain() throws Exception {
        Path tls = dir.resolve("tls");
        ServerCertificate first = ServerCertificate.selfSigned(tls);
        Files.delete(tls.resolve(ServerCertificate.CERT_FILE));

        ServerCertificate second = ServerCertificate.selfSigned(tls);

        assertThat(second.fingerprint()).isNotEqualTo(first.fingerprint());
        assertThat(second.origin()).contains("made now");
    }

    @Test
    void pemFilesAsOpensslWritesThemAreReadInEveryKeyFormat() throws Exception {
        Path ecCert = fixture("ec-cert.pem");
        Path rsaCert = fixture("rsa-cert.pem");
        for (Path[] pair : new Path[][] {{ecCert, fixture("ec-sec1-key.pem")}, {ecCert, fixture("ec-pkcs8-key.pem")},
                {rsaCert, fixture("rsa-pkcs1-key.pem")}}) {
            ServerCertificate c = ServerCertificate.fromPem(pair[0], pair[1]);

            assertThat(c.fingerprint()).isEqualTo(ServerCertificate.fingerprint(
                    ServerCertificate.readCertificates(pair[0]).get(0)));
            SSLEngine engine = c.sslContext().createSSLEngine();
            engine.setUseClientMode(false);
            assertThat(engine.getSupportedProtocols()).contains("TLSv1.3", "TLSv1.2");
        }
    }

    @Test
    void aKeyForAnotherAlgorithmThanTheCertificatesIsRefused() throws Exception {
        assertThatThrownBy(() -> ServerCertificate.fromPem(fixture("ec-cert.pem"), fixture("rsa-pkcs1-key.pem")))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void aChainKeepsItsOrderLeafFirst() throws Exception {
        KeyPair leafKey = ec();
        X509Certificate leaf = ServerCertificate.makeCertificate(leafKey, Instant.now());
        X509Certificate other = ServerCertificate.makeCertificate(ec(), Instant.now());
        Path certFile = write("chain.pem", ServerCertificate.pem(leaf) + ServerCertificate.pem(other));
        Path keyFile = write("key.pem", pkcs8(leafKey));

        ServerCertificate c = ServerCertificate.fromPem(certFile, keyFile);

        assertThat(c.chain()).containsExactly(leaf, other);
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingBothFiles() throws Exception {
        X509Certificate cert = ServerCertificate.makeCertificate(ec(), Instant.now());
        Path certFile = write("cert.pem", ServerCertificate.pem(cert));
        Path keyFile = write("key.pem", pkcs8(ec()));

        assertThatThrownBy(() -> ServerCertificate.fromPem(certFile, keyFile))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining("does not belong to the certificate")
                .hasMessageContaining(certFile.toString()).hasMessageContaining(keyFile.toString());
    }

    @Test
    void missingEmptyAndEncryptedFilesAreRefusedWithTheirReason() throws Exception {
        KeyPair pair = ec();
        Path certFile = write("cert.pem", ServerCertificate.pem(ServerCertificate.makeCertificate(pair, Instant.now())));
        Path keyFile = write("key.pem", pkcs8(pair));
        Path nothing = write("empty.pem", "not a PEM file\n");
        Path encrypted = write("encrypted.pem", ServerCertificate.pem(new JcaPKCS8Generator(pair.getPrivate(),
                new JceOpenSSLPKCS8EncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                        .setPassword("secret".toCharArray()).build()).generate()));

        assertThatThrownBy(() -> ServerCertificate.fromPem(dir.resolve("absent.pem"), keyFile))
                .hasMessageContaining("cannot read the certificate file").hasMessageContaining("no such file");
        assertThatThrownBy(() -> ServerCertificate.fromPem(nothing, keyFile))
                .hasMessageContaining("holds no PEM certificate");
        assertThatThrownBy(() -> ServerCertificate.fromPem(certFile, nothing))
                .hasMessageContaining("holds no PEM private key");
        assertThatThrownBy(() -> ServerCertificate.fromPem(certFile, encrypted))
                .hasMessageContaining("is encrypted").hasMessageContaining("openssl pkey");
    }
}
