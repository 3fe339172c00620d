package dev.thing.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback TCP proxy that delays every piece of data by {@code base + uniform(0, jitter)} milliseconds, with its own
 * base per direction (so the two legs are uneven), keeping the byte order. One listening port, one connection.
 */
final class JitterProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Random random;
    final double upBaseMs;
    final double downBaseMs;
    final double jitterMs;
    private volatile boolean closed;
    private final java.util.List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

    JitterProxy(InetSocketAddress target, long seed, double upBaseMs, double downBaseMs, double jitterMs)
            throws IOException {
        this.listener = new ServerSocket(0, 50, Net.LOOPBACK);
        this.target = target;
        this.random = new Random(seed);
        this.upBaseMs = upBaseMs;
        this.downBaseMs = downBaseMs;
        this.jitterMs = jitterMs;
        Thread t = new Thread(this::acceptLoop, "jitter-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                pipe(client, server, upBaseMs, "up");
                pipe(server, client, downBaseMs, "down");
            } catch (IOException e) {
                return;
            }
        }
    }

    private record Packet(long deliverAtNanos, byte[] data) {
    }

    private void pipe(Socket from, Socket to, double baseMs, String name) throws IOException {
        BlockingQueue<Packet> queue = new LinkedBlockingQueue<>();
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            long last = 0;
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    double delay;
                    synchronized (random) {
                        delay = baseMs + random.nextDouble() * jitterMs;
                    }
                    last = Math.max(last, System.nanoTime() + (long) (delay * 1e6));
                    queue.add(new Packet(last, Arrays.copyOf(buf, n)));
                }
            } catch (IOException e) {
                // closed
            }
            queue.add(new Packet(last, null));
        }, "jitter-proxy-" + name + "-read");
        Thread writer = new Thread(() -> {
            try {
                while (true) {
                    Packet p = queue.take();
                    long wait;
                    while ((wait = p.deliverAtNanos() - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (p.data() == null) {
                        to.shutdownOutput();
                        return;
                    }
                    out.write(p.data());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // closed
            }
        }, "jitter-proxy-" + name + "-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
