package dev.thing.client.net;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Whom the client trusts over TLS, as ssh does: a server's certificate is trusted on first use and its SHA-256
 * fingerprint written to the known-hosts file under {@code host:port}; afterwards only that certificate is
 * accepted, and a different one is refused loudly with both fingerprints (it may be an attacker in the middle, or
 * a new certificate: the person decides, by removing the line). A fingerprint given on the command line pins the
 * certificate instead, and the known-hosts file is then neither read nor written.
 *
 * <p>The known-hosts file has one line per server: {@code <host>:<port> <fingerprint>}, the fingerprint in
 * openssl's form ({@code AB:CD:...}, what {@code openssl x509 -noout -fingerprint -sha256} prints and the server
 * logs at start). Lines starting with {@code #} are comments.
 */
public final class ServerTrust extends X509ExtendedTrustManager {
    private final String hostPort;
    private final Path knownHosts;
    private final String pinned;
    private final Consumer<String> notice;
    private volatile String refusal;

    private ServerTrust(String host, int port, Path knownHosts, String pinned, Consumer<String> notice) {
        String h = host.toLowerCase(Locale.ROOT);
        this.hostPort = (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
        this.knownHosts = knownHosts;
        this.pinned = pinned;
        this.notice = notice;
    }

    /** Trust on first use, remembered in {@code knownHosts}; {@code notice} hears about a first use. */
    public static ServerTrust onFirstUse(String host, int port, Path knownHosts, Consumer<String> notice) {
        return new ServerTrust(host, port, knownHosts, null, notice);
    }

    /** Only the certificate with this SHA-256 fingerprint (colons and case do not matter). */
    public static ServerTrust pinned(String host, int port, String fingerprint) {
        return new ServerTrust(host, port, null, normalize(fingerprint), s -> { });
    }

    /** The default known-hosts file: {@code $XDG_CONFIG_HOME/thing/known_hosts} or {@code ~/.config/thing/known_hosts}. */
    public static Path defaultKnownHosts() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("thing").resolve("known_hosts");
    }

    /**
     * A fingerprint written as openssl does (upper-case hex pairs joined by colons), from any spelling: colons or
     * none, any case, an optional {@code SHA256:} prefix.
     *
     * @throws IllegalArgumentException when it is not 32 bytes of hex
     */
    public static String normalize(String fingerprint) {
        String hex = fingerprint.trim();
        if (hex.regionMatches(true, 0, "sha256:", 0, 7)) {
            hex = hex.substring(7);
        }
        hex = hex.replace(":", "").replace(" ", "");
        if (!hex.matches("[0-9A-Fa-f]{64}")) {
            throw new IllegalArgumentException("a SHA-256 fingerprint is 64 hex digits (colons allowed), not '"
                    + fingerprint + "'");
        }
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
    }

    public static String fingerprint(X509Certificate certificate) throws CertificateException {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new CertificateException("cannot hash the certificate: " + e.getMessage(), e);
        }
    }

    /** A client TLS context that trusts as this object says, for TLS 1.2 and 1.3. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {this}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK: " + e.getMessage(), e);
        }
    }

    /** Why the server's certificate was refused, for people; empty when it was not. */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** The fingerprint remembered for this server, if any. */
    Optional<String> known() throws IOException {
        if (knownHosts == null || !Files.exists(knownHosts)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(knownHosts, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+");
            if (parts.length >= 2 && parts[0].equalsIgnoreCase(hostPort)) {
                try {
                    return Optional.of(normalize(parts[1]));
                } catch (IllegalArgumentException e) {
                    throw new IOException(knownHosts + ": the line for " + hostPort + " holds no fingerprint: " + l);
                }
            }
        }
        return Optional.empty();
    }

    private synchronized void remember(String fingerprint) throws IOException {
        Files.createDirectories(knownHosts.toAbsolutePath().getParent());
        List<String> lines = Files.exists(knownHosts)
                ? new ArrayList<>(Files.readAllLines(knownHosts, StandardCharsets.UTF_8)) : new ArrayList<>();
        lines.add(hostPort + " " + fingerprint);
        Path tmp = knownHosts.resolveSibling(knownHosts.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, knownHosts, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw refuse("the server at " + hostPort + " presented no certificate");
        }
        String seen = fingerprint(chain[0]);
        if (pinned != null) {
            if (!pinned.equals(seen)) {
                throw refuse("the server at " + hostPort + " presented a certificate other than the pinned one:\n"
                        + "  expected (--tls-fingerprint) " + pinned + "\n"
                        + "  presented                    " + seen + "\n"
                        + "refusing to connect");
            }
            return;
        }
        Optional<String> known;
        try {
            known = known();
        } catch (IOException e) {
            throw refuse("cannot read the known-hosts file " + knownHosts + ": " + e.getMessage());
        }
        if (known.isPresent()) {
            if (!known.get().equals(seen)) {
                throw refuse("WARNING: THE CERTIFICATE OF " + hostPort + " HAS CHANGED!\n"
                        + "  Someone may be intercepting this connection, or the server has a new certificate.\n"
                        + "  known (" + knownHosts + ") " + known.get() + "\n"
                        + "  presented now " + seen + "\n"
                        + "  Refusing to connect. If the new certificate is expected (ask the server's operator for "
                        + "its fingerprint), remove the line for " + hostPort + " from " + knownHosts
                        + ", or connect with --tls-fingerprint " + seen);
            }
            return;
        }
        try {
            remember(seen);
        } catch (IOException e) {
            throw refuse("cannot write the known-hosts file " + knownHosts + ": " + e.getMessage());
        }
        notice.accept("first TLS connection to " + hostPort + ": trusting its certificate, SHA-256 fingerprint "
                + seen + " (saved in " + knownHosts + "; compare it with the one the server logged at start)");
    }

    private CertificateException refuse(String why) {
        refusal = why;
        return new CertificateException(why);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client does not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
