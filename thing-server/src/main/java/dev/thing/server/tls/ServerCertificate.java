package dev.thing.server.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The server's TLS identity: a private key and its certificate chain, from the operator's PEM files or a
 * self-signed EC P-256 certificate the server makes once in its library folder and reuses afterwards.
 *
 * <p>Bouncy Castle's PKIX part reads the PEM files and builds the certificate: the JDK has no public API to make a
 * certificate or to read PKCS#8/SEC1 PEM keys. Its classes are used with the JDK's own providers (keys are
 * converted to JCA keys, the certificate is signed by the JDK's SHA256withECDSA); the Bouncy Castle provider is
 * never registered.
 */
public final class ServerCertificate {
    /** The self-signed certificate's files, in {@code <library>/tls/}. */
    public static final String CERT_FILE = "thing-cert.pem";
    public static final String KEY_FILE = "thing-key.pem";
    static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(3650);

    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final String origin;

    private ServerCertificate(PrivateKey key, List<X509Certificate> chain, String origin) {
        this.key = key;
        this.chain = List.copyOf(chain);
        this.origin = origin;
    }

    /** The certificate the server presents (the chain's first). */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    /** Where it came from, for the log: the files, and whether they were made now. */
    public String origin() {
        return origin;
    }

    /** The SHA-256 fingerprint of the leaf certificate, as openssl prints it: {@code AB:CD:...}. */
    public String fingerprint() {
        return fingerprint(leaf());
    }

    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * A server-side TLS context presenting this certificate. The protocol versions (1.2 and 1.3 only) are set on
     * each connection by the transport.
     */
    public SSLContext sslContext() {
        try {
            char[] none = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("thing", key, none, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, none);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    // ---- the operator's PEM files ----

    /**
     * Reads a certificate chain (leaf first) and its private key from PEM files, and checks that the key belongs to
     * the certificate. Every failure says which file and what is wrong.
     */
    public static ServerCertificate fromPem(Path certFile, Path keyFile) throws TlsSetupException {
        List<X509Certificate> chain = readCertificates(certFile);
        PrivateKey key = readPrivateKey(keyFile);
        checkPair(key, chain.get(0), certFile, keyFile);
        return new ServerCertificate(key, chain, certFile + " and " + keyFile);
    }

    static List<X509Certificate> readCertificates(Path file) throws TlsSetupException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException e) {
            throw new TlsSetupException("cannot read the certificate file " + file + ": " + describe(e), e);
        } catch (CertificateException e) {
            throw new TlsSetupException("the certificate file " + file + " holds a certificate the JDK cannot use: "
                    + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new TlsSetupException("the certificate file " + file + " holds no PEM certificate "
                    + "(-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    static PrivateKey readPrivateKey(Path file) throws TlsSetupException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    // Only the private part: a SEC1 key may leave its public key out.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new TlsSetupException("the key file " + file + " is encrypted; the server cannot ask for "
                            + "a pass phrase: decrypt it (openssl pkey -in " + file + " -out plain-key.pem) and "
                            + "keep that file readable by the server only");
                }
            }
        } catch (IOException e) {
            throw new TlsSetupException("cannot read the key file " + file + ": " + describe(e), e);
        }
        throw new TlsSetupException("the key file " + file + " holds no PEM private key "
                + "(-----BEGIN PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)");
    }

    /** The key must sign what the certificate's public key verifies, or every handshake would fail. */
    static void checkPair(PrivateKey key, X509Certificate cert, Path certFile, Path keyFile) throws TlsSetupException {
        String algorithm = switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "ED25519", "EDDSA" -> "Ed25519";
            case "ED448" -> "Ed448";
            default -> throw new TlsSetupException("the key in " + keyFile + " is a " + key.getAlgorithm()
                    + " key; TLS here takes EC, RSA or EdDSA keys");
        };
        try {
            byte[] probe = "THING key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new TlsSetupException("the key in " + keyFile + " does not belong to the certificate in "
                        + certFile);
            }
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("the key in " + keyFile + " does not belong to the certificate in " + certFile
                    + " (" + e.getMessage() + ")", e);
        }
    }

    // ---- the self-signed certificate ----

    /**
     * The self-signed certificate kept in {@code dir}: read when both files are there, otherwise made now (an EC
     * P-256 key, valid ten years, for localhost and this host's name) and written, the key file readable by its
     * owner only (mode 600).
     */
    public static ServerCertificate selfSigned(Path dir) throws TlsSetupException {
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            ServerCertificate c = fromPem(certFile, keyFile);
            return new ServerCertificate(c.key, c.chain, "self-signed, " + certFile + " (made at an earlier start)");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X509Certificate cert = makeCertificate(pair, Instant.now());
            Files.createDirectories(dir);
            writeAtomically(keyFile, pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()), true);
            writeAtomically(certFile, pem(cert), false);
            return new ServerCertificate(pair.getPrivate(), List.of(cert), "self-signed, " + certFile + " (made now)");
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new TlsSetupException("cannot make a self-signed certificate: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new TlsSetupException("cannot write the self-signed certificate in " + dir + ": " + describe(e), e);
        }
    }

    static X509Certificate makeCertificate(KeyPair pair, Instant now)
            throws OperatorCreationException, CertificateException, IOException {
        String host = localHostName();
        X500Name name = new X500Name("CN=THING server " + host.replaceAll("[,+=\"\\\\<>;#]", "-"));
        BigInteger serial = new BigInteger(128, new SecureRandom()).setBit(127);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(SELF_SIGNED_VALIDITY)), name,
                pair.getPublic());
        Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
        if (!host.isBlank() && !host.equals("localhost")) {
            dns.add(host);
        }
        List<GeneralName> names = new ArrayList<>();
        for (String d : dns) {
            names.add(new GeneralName(GeneralName.dNSName, d));
        }
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(names.toArray(new GeneralName[0])));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** PEM text of a certificate, a key or anything else Bouncy Castle's writer knows. */
    public static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(object);
        }
        return text.toString();
    }

    /**
     * Writes through a temporary file moved into place, so that a crash leaves the old file or the new one; a
     * private file is created with mode 600 before anything is written to it.
     */
    static void writeAtomically(Path file, String text, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (secret && supportsPosix(file)) {
            Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(ownerOnly));
        } else {
            try {
                Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                throw new IOException(tmp + " appeared while writing it", e);
            }
        }
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
            w.write(text);
        }
        try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean supportsPosix(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        return dir != null && Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class)
                != null;
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
