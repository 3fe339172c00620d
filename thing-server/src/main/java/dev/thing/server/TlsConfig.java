package dev.thing.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * What the server offers over TLS, and with which certificate: the TLS listener for the line protocol, the page and
 * its WebSocket over HTTPS, or both, on one certificate. With neither PEM file given, the server makes a self-signed
 * certificate in its library folder at first start and reuses it afterwards.
 *
 * @param bind      where the TLS listener for the line protocol listens (port 0 picks a free port, for tests); null
 *                  for none (HTTPS only)
 * @param certFile  a PEM file holding the certificate chain, leaf first; null for the self-signed one
 * @param keyFile   a PEM file holding its private key (PKCS#8, SEC1 or PKCS#1, unencrypted); null with certFile
 * @param httpsBind where the page and its WebSocket are served over HTTPS (wss://); null for none
 */
public record TlsConfig(InetSocketAddress bind, Path certFile, Path keyFile, InetSocketAddress httpsBind) {
    public TlsConfig {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both, or neither for a "
                    + "self-signed certificate");
        }
        if (bind == null && httpsBind == null) {
            throw new IllegalArgumentException("TLS needs a listener: --tls-port, --https-port or both");
        }
    }

    /** The TLS listener for the line protocol only. */
    public TlsConfig(InetSocketAddress bind, Path certFile, Path keyFile) {
        this(bind, certFile, keyFile, null);
    }

    /** True when the server makes (or reuses) its own self-signed certificate. */
    public boolean selfSigned() {
        return certFile == null;
    }
}
