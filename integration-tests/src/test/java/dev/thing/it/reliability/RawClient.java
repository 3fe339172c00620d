package dev.thing.it.reliability;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A raw-socket THING client for the reliability tests. A reader thread frames what the server sends: replies go
 * to {@link #replies} in order; unsolicited lines (NOTIFY, UPDATE, PING, PLAY, PAUSE, STOP) and whole S->C song
 * transfers (SEND, CHUNKs, OKAY/ABORT) go to {@link #events}. Writes are whole frames under one lock, so an
 * automatic PING answer never lands inside a chunk.
 */
final class RawClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> UNSOLICITED = List.of("NOTIFY", "UPDATE", "PING", "PLAY", "PAUSE", "STOP");

    final String name;
    final Socket socket;
    private final OutputStream out;
    private final boolean answerPings;
    final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch ended = new CountDownLatch(1);
    final AtomicLong transfersReceived = new AtomicLong();
    final AtomicLong bytesRead = new AtomicLong();
    final AtomicLong linesRead = new AtomicLong();
    volatile String lastLine;
    volatile Throwable readFailure;
    volatile boolean eof;
    private volatile boolean closing;
    private final Thread reader;

    private RawClient(String name, Socket socket, boolean answerPings, boolean read) throws IOException {
        this.name = name;
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.answerPings = answerPings;
        if (read) {
            reader = new Thread(null, this::readLoop, "raw-" + name, 256 * 1024);
            reader.setDaemon(true);
            reader.start();
        } else {
            reader = null;
        }
    }

    static RawClient connect(InetSocketAddress address, String name, boolean answerPings) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(address, 30_000);
        return new RawClient(name, s, answerPings, true);
    }

    /** A client whose socket is never read, with a small receive buffer. */
    static RawClient connectNonReading(InetSocketAddress address, String name) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(address, 30_000);
        return new RawClient(name, s, false, false);
    }

    // ---------------------------------------------------------------- writing

    synchronized void send(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    synchronized void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    synchronized void sendChunk(byte[] data, int off, int len) throws IOException {
        out.write(("CHUNK " + len + "\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data, off, len);
        out.flush();
    }

    /** SEND, the file in chunks of 1000, OKAY; returns the final reply. */
    String upload(byte[] file, String... sendArgs) throws IOException, InterruptedException {
        sendUploadFrames(file, file.length, true, sendArgs);
        return finalReply();
    }

    void sendUploadFrames(byte[] file, int upTo, boolean finish, String... sendArgs) throws IOException {
        StringBuilder line = new StringBuilder("SEND");
        for (String a : sendArgs) {
            line.append(' ').append(dev.thing.protocol.Tokens.quote(a));
        }
        send(line.toString());
        for (int off = 0; off < upTo; off += 1000) {
            sendChunk(file, off, Math.min(1000, upTo - off));
        }
        if (finish) {
            send("OKAY");
        }
    }

    // ---------------------------------------------------------------- reading

    /** The next reply line, failing after {@link #WAIT}. */
    String next() throws InterruptedException {
        String line = replies.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError(name + ": no reply within " + WAIT + " (ended=" + (ended.getCount() == 0)
                    + ", last line " + lastLine + ")");
        }
        return line;
    }

    /** Skips reply lines up to and including the first that matches; fails if the connection ends first. */
    String await(Predicate<String> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String line = replies.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                if (wanted.test(line)) {
                    return line;
                }
                continue;
            }
            if (ended.getCount() == 0 && replies.isEmpty()) {
                throw new AssertionError(name + ": connection ended while waiting for " + what + " (last line "
                        + lastLine + ", failure " + readFailure + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": no " + what + " within " + WAIT + " (last line " + lastLine + ")");
            }
        }
    }

    /** Reply lines up to and including the final OKAY or ERROR line. */
    List<String> replyLines() throws InterruptedException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = next();
            lines.add(line);
            if (isFinal(line)) {
                return lines;
            }
        }
    }

    String finalReply() throws InterruptedException {
        List<String> lines = replyLines();
        return lines.get(lines.size() - 1);
    }

    /** Sends a command and returns its reply lines, the final OKAY/ERROR last. */
    List<String> command(String line) throws IOException, InterruptedException {
        send(line);
        return replyLines();
    }

    static boolean isFinal(String line) {
        return line.equals("OKAY") || line.startsWith("OKAY ") || line.startsWith("ERROR ");
    }

    /** Waits until the server has closed the connection. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean hasEvent(Predicate<String> p) {
        synchronized (events) {
            return events.stream().anyMatch(p);
        }
    }

    long countEvents(String prefix) {
        synchronized (events) {
            return events.stream().filter(e -> e.startsWith(prefix)).count();
        }
    }

    private void readLoop() {
        boolean inTransfer = false;
        try {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            while (true) {
                buf.reset();
                int b;
                while ((b = in.read()) != -1 && b != '\n') {
                    buf.write(b);
                }
                if (b == -1) {
                    eof = true;
                    return;
                }
                bytesRead.addAndGet(buf.size() + 1L);
                String line = buf.toString(StandardCharsets.UTF_8);
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                linesRead.incrementAndGet();
                String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                if (inTransfer) {
                    if (verb.equals("CHUNK")) {
                        int n = Integer.parseInt(line.substring(6).trim());
                        in.readNBytes(n);
                        bytesRead.addAndGet(n);
                        continue;
                    }
                    if (line.equals("OKAY") || line.equals("ABORT")) {
                        inTransfer = false;
                        transfersReceived.incrementAndGet();
                        events.add("END-OF-TRANSFER " + line);
                        lastLine = line;
                        continue;
                    }
                    throw new IOException("unexpected line inside a server transfer: " + line);
                }
                lastLine = line;
                if (verb.equals("SEND")) {
                    inTransfer = true;
                    events.add(line);
                } else if (UNSOLICITED.contains(verb)) {
                    events.add(line);
                    if (verb.equals("PING") && answerPings) {
                        String token = line.length() > 5 ? line.substring(5) : "";
                        try {
                            send(token.isEmpty() ? "OKAY" : "OKAY " + token);
                        } catch (IOException ignored) {
                            // the connection is going away; the reader will see it
                        }
                    }
                } else {
                    replies.add(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                readFailure = e;
            }
        } finally {
            ended.countDown();
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
