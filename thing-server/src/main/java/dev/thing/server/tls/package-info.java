/**
 * The server's TLS identity ({@link dev.thing.server.tls.ServerCertificate}): the operator's PEM files or a
 * self-signed certificate kept in the library folder. It knows no network library; the transport puts the
 * {@code SSLContext} it builds on its TLS listener.
 */
package dev.thing.server.tls;
