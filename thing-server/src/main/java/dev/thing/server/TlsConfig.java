package dev.thing.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The TLS listener: where it listens, and its certificate. With neither PEM file given, the server makes a
 * self-signed certificate in its library folder at first start and reuses it afterwards.
 *
 * @param bind     where the TLS listener listens (port 0 picks a free port, for tests)
 * @param certFile a PEM file holding the certificate chain, leaf first; null for the self-signed one
 * @param keyFile  a PEM file holding its private key (PKCS#8, SEC1 or PKCS#1, unencrypted); null with certFile
 */
public record TlsConfig(InetSocketAddress bind, Path certFile, Path keyFile) {
    public TlsConfig {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both, or neither for a "
                    + "self-signed certificate");
        }
    }

    /** True when the server makes (or reuses) its own self-signed certificate. */
    public boolean selfSigned() {
        return certFile == null;
    }
}
