package dev.thing.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback helpers. */
final class Net {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private Net() {
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(LOOPBACK, port);
    }

    /** Waits until something accepts connections on the port, or throws after {@code timeoutMs}. */
    static void awaitListening(int port, long timeoutMs, Process process) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IOException("the process exited with " + process.exitValue() + " before listening");
            }
            try (Socket s = new Socket(LOOPBACK, port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IOException("nothing listens on port " + port + " after " + timeoutMs + " ms");
    }
}
