package dev.thing.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS client in a JVM of its own, for the one thing a test JVM cannot do: offer a protocol version the JDK
 * disables by default (TLS 1.1), which needs the JVM's security properties changed before TLS starts. Prints
 * {@code CONNECTED <protocol> <first line>} or {@code FAILED <exception>}.
 *
 * <p>{@code java dev.thing.it.TlsProbe <host> <port> <protocol>}
 */
public final class TlsProbe {
    private TlsProbe() {
    }

    public static void main(String[] args) throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(args[0],
                Integer.parseInt(args[1]))) {
            socket.setSoTimeout(20_000);
            socket.setEnabledProtocols(new String[] {args[2]});
            socket.startHandshake();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            System.out.println("CONNECTED " + socket.getSession().getProtocol() + " " + in.readLine());
        } catch (Exception e) {
            System.out.println("FAILED " + e);
        }
    }
}
