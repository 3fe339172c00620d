package dev.thing.bench;

import dev.thing.protocol.Message;
import dev.thing.protocol.MessageWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load generator: thousands of client connections on one NIO selector thread (plain java.nio, not MINA, so
 * it measures the servers and not a client framework). It speaks line protocols: THING (PINGs answered with
 * {@code OKAY <token>}, binary {@code CHUNK n} payloads skipped) or IRC (PINGs answered with PONG). Everything else
 * goes to the connection's {@link Handler}, on the selector thread, with the {@link System#nanoTime()} at which the
 * read that carried the line returned.
 */
public final class LoadGenerator implements AutoCloseable {

    /** Which protocol the connections speak (for the automatic PING answers and binary framing). */
    public enum Dialect { THING, IRC }

    /** Receives a connection's lines. Runs on the selector thread: keep it short. */
    public interface Handler {
        void onConnected(Conn c);

        void onLine(Conn c, String line, long nanos);

        default void onClosed(Conn c) {
        }
    }

    private final Dialect dialect;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Conn> conns = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger closedCount = new AtomicInteger();
    private volatile boolean running = true;

    public LoadGenerator(Dialect dialect) throws IOException {
        this.dialect = dialect;
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "load-generator");
        thread.setDaemon(true);
        thread.start();
    }

    /** One client connection. */
    public final class Conn {
        public final int id;
        private final SocketChannel channel;
        private final Handler handler;
        private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        private byte[] partial = new byte[256];
        private int partialLen;
        private long skip;
        private SelectionKey key;
        private volatile boolean closed;
        private volatile String closeReason = "closed";

        private Conn(int id, SocketChannel channel, Handler handler) {
            this.id = id;
            this.channel = channel;
            this.handler = handler;
        }

        /** Sends one line (LF is added). Any thread. */
        public void send(String line) {
            byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
            send(b);
        }

        /** Sends raw bytes. Any thread; bytes of one call are never interleaved with another's. */
        public void send(byte[] bytes) {
            if (Thread.currentThread() == thread) {
                enqueue(ByteBuffer.wrap(bytes));
            } else {
                tasks.add(() -> enqueue(ByteBuffer.wrap(bytes)));
                selector.wakeup();
            }
        }

        public boolean isClosed() {
            return closed;
        }

        /** Why the connection closed: "closed", "end of stream" or an exception's message. */
        public String closeReason() {
            return closeReason;
        }

        private void fail(IOException e) {
            closeReason = e.toString();
            close();
        }

        private void enqueue(ByteBuffer b) {
            if (closed) {
                return;
            }
            out.add(b);
            flush();
        }

        private void flush() {
            try {
                while (!out.isEmpty()) {
                    ByteBuffer b = out.peek();
                    channel.write(b);
                    if (b.hasRemaining()) {
                        break;
                    }
                    out.poll();
                }
                if (key != null && key.isValid()) {
                    key.interestOps(out.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                }
            } catch (IOException e) {
                fail(e);
            }
        }

        private void onReadable(ByteBuffer buf, long nanos) {
            int n;
            try {
                buf.clear();
                n = channel.read(buf);
            } catch (IOException e) {
                fail(e);
                return;
            }
            if (n < 0) {
                closeReason = "end of stream";
                close();
                return;
            }
            buf.flip();
            byte[] a = buf.array();
            int i = 0;
            int end = buf.limit();
            while (i < end) {
                if (skip > 0) {
                    int take = (int) Math.min(skip, end - i);
                    skip -= take;
                    i += take;
                    continue;
                }
                int lf = -1;
                for (int k = i; k < end; k++) {
                    if (a[k] == '\n') {
                        lf = k;
                        break;
                    }
                }
                if (lf < 0) {
                    append(a, i, end - i);
                    return;
                }
                append(a, i, lf - i);
                i = lf + 1;
                int len = partialLen;
                if (len > 0 && partial[len - 1] == '\r') {
                    len--;
                }
                String line = new String(partial, 0, len, StandardCharsets.UTF_8);
                partialLen = 0;
                onLine(line, nanos);
                if (closed) {
                    return;
                }
            }
        }

        private void append(byte[] a, int off, int len) {
            if (partialLen + len > partial.length) {
                partial = Arrays.copyOf(partial, Math.max(partial.length * 2, partialLen + len));
            }
            System.arraycopy(a, off, partial, partialLen, len);
            partialLen += len;
        }

        private void onLine(String line, long nanos) {
            if (dialect == Dialect.THING) {
                if (line.startsWith("PING")) {
                    String token = line.length() > 5 ? line.substring(5).trim() : null;
                    send(MessageWriter.line(new Message.Okay(token)));
                    return;
                }
                if (line.startsWith("CHUNK ")) {
                    skip = Long.parseLong(line.substring(6).trim());
                    return;
                }
            } else if (line.startsWith("PING ")) {
                send("PONG " + line.substring(5));
                return;
            }
            handler.onLine(this, line, nanos);
        }

        /** Closes the connection. Any thread. */
        public void close() {
            if (Thread.currentThread() != thread) {
                tasks.add(this::close);
                selector.wakeup();
                return;
            }
            if (closed) {
                return;
            }
            closed = true;
            closedCount.incrementAndGet();
            open.decrementAndGet();
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
            handler.onClosed(this);
        }
    }

    /** Opens a connection (asynchronously); the handler hears {@link Handler#onConnected} once it is up. */
    /**
     * Connects again after a reset before the handshake (the server's accept backlog overflowed), as a real client
     * would. Returns false when even that fails.
     */
    public boolean reconnect(InetSocketAddress address, Handler handler) {
        try {
            connect(address, handler);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Conn connect(InetSocketAddress address, Handler handler) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Conn c;
        synchronized (conns) {
            c = new Conn(conns.size(), ch, handler);
            conns.add(c);
        }
        open.incrementAndGet();
        tasks.add(() -> {
            try {
                if (ch.connect(address)) {
                    c.key = ch.register(selector, SelectionKey.OP_READ, c);
                    handler.onConnected(c);
                    c.flush();
                } else {
                    c.key = ch.register(selector, SelectionKey.OP_CONNECT, c);
                }
            } catch (IOException e) {
                c.fail(e);
            }
        });
        selector.wakeup();
        return c;
    }

    /** Connections not closed. */
    public int openCount() {
        return open.get();
    }

    /** Connections that closed (either side). */
    public int closedCount() {
        return closedCount.get();
    }

    private void loop() {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        while (running) {
            try {
                selector.select(100);
            } catch (IOException e) {
                return;
            }
            long now = System.nanoTime();
            for (SelectionKey k : selector.selectedKeys()) {
                Conn c = (Conn) k.attachment();
                try {
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isConnectable()) {
                        try {
                            c.channel.finishConnect();
                            k.interestOps(SelectionKey.OP_READ);
                            c.handler.onConnected(c);
                            c.flush();
                        } catch (IOException e) {
                            c.fail(e);
                        }
                        continue;
                    }
                    if (k.isWritable()) {
                        c.flush();
                    }
                    if (k.isValid() && k.isReadable()) {
                        c.onReadable(buf, now);
                    }
                } catch (java.nio.channels.CancelledKeyException e) {
                    c.close();
                }
            }
            selector.selectedKeys().clear();
            Runnable r;
            while ((r = tasks.poll()) != null) {
                r.run();
            }
        }
    }

    /** Closes every connection and stops the selector thread. */
    @Override
    public void close() {
        tasks.add(() -> {
            List<Conn> all;
            synchronized (conns) {
                all = new ArrayList<>(conns);
            }
            for (Conn c : all) {
                c.close();
            }
            running = false;
        });
        selector.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException e) {
            // done
        }
    }
}
