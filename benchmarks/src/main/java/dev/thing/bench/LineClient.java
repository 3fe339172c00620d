package dev.thing.bench;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Message;
import dev.thing.protocol.MessageWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A plain blocking THING connection for set-up and control (uploads, ACCEPT, PLAY): a reader thread queues the
 * server's lines, answers PINGs and skips the bytes of incoming chunks.
 */
public final class LineClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile Predicate<String> tap = l -> false;

    public LineClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 10_000);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        reader = new Thread(() -> read(in), "line-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Joins (or creates) a lobby; throws unless the server answers OKAY. */
    public static LineClient join(InetSocketAddress address, String lobby, String user) throws IOException {
        LineClient c = new LineClient(address);
        c.expect(l -> l.startsWith("NOTIFY THING/"), 10_000);
        c.send(new ClientMessage.Join(lobby, user));
        // The OKAY of a join carries words for people ("you created party and are its ADMIN").
        String reply = c.expect(l -> isOkay(l) || l.startsWith("ERROR") || l.endsWith(" TAKEN"), 10_000);
        if (!isOkay(reply)) {
            c.close();
            throw new IOException("cannot join " + lobby + " as " + user + ": " + reply);
        }
        return c;
    }

    /** An OKAY line, bare or with words after it. */
    static boolean isOkay(String line) {
        return line.equals("OKAY") || line.startsWith("OKAY ");
    }

    /** Lines for which the predicate answers true are consumed by it instead of being queued (reader thread). */
    /** As an admin: ACCEPT everyone who asks to join (a failed write shows up as the joiner's timeout). */
    public void acceptEveryJoiner() {
        tap(line -> {
            if (!line.startsWith("NOTIFY ") || !line.contains(" asks to join ")) {
                return false;
            }
            String who = line.substring(7, line.indexOf(' ', 7));
            try {
                send(new dev.thing.protocol.ClientMessage.Accept(who));
            } catch (IOException e) {
                // the joiner's wait times out and the benchmark says so
            }
            return true;
        });
    }

    public void tap(Predicate<String> t) {
        this.tap = t;
    }

    private void read(InputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                String s = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (s.endsWith("\r")) {
                    s = s.substring(0, s.length() - 1);
                }
                if (s.startsWith("PING")) {
                    String token = s.length() > 5 ? s.substring(5).trim() : null;
                    send(new Message.Okay(token));
                } else if (s.startsWith("CHUNK ")) {
                    in.skipNBytes(Long.parseLong(s.substring(6).trim()));
                } else if (!tap.test(s)) {
                    lines.add(s);
                }
            }
        } catch (IOException | RuntimeException e) {
            // closed
        }
        lines.add("\u0000closed");
    }

    public synchronized void send(Message m) throws IOException {
        sendLine(MessageWriter.line(m));
    }

    public synchronized void sendLine(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Writes raw bytes as they are (a whole transfer, say) and flushes. */
    public synchronized void sendRaw(byte[] bytes, int off, int len) throws IOException {
        out.write(bytes, off, len);
    }

    public synchronized void flush() throws IOException {
        out.flush();
    }

    /** The next line that matches, dropping the others before it; throws after the timeout or on close. */
    public String expect(Predicate<String> p, long timeoutMs) throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            long left = deadline - System.nanoTime();
            String l;
            try {
                l = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            if (l == null) {
                throw new IOException("no expected line from the server within " + timeoutMs + " ms");
            }
            if (l.equals("\u0000closed")) {
                lines.add(l);
                throw new IOException("connection closed");
            }
            if (p.test(l)) {
                return l;
            }
        }
    }

    /** Sends a command and returns its data lines and final line (OKAY... or ERROR...), other lines dropped. */
    public List<String> command(ClientMessage m, Predicate<String> dataLine, long timeoutMs) throws IOException {
        send(m);
        List<String> result = new ArrayList<>();
        while (true) {
            String l = expect(x -> x.startsWith("OKAY") || x.startsWith("ERROR") || dataLine.test(x), timeoutMs);
            result.add(l);
            if (l.startsWith("OKAY") || l.startsWith("ERROR")) {
                return result;
            }
        }
    }

    /**
     * Uploads {@code data} as song {@code title}: SEND, pipelined 1000-byte CHUNKs, OKAY (every line written with
     * MessageWriter). Returns the server's final reply line.
     */
    public String upload(String title, byte[] data, long timeoutMs) throws IOException {
        synchronized (this) {
            writeTransfer(out, title, data);
            out.flush();
        }
        return expect(l -> l.startsWith("OKAY") || l.startsWith("ERROR"), timeoutMs);
    }

    static void writeTransfer(OutputStream out, String title, byte[] data) throws IOException {
        out.write((MessageWriter.line(new Message.Send(title, "bench", "bench", "bench")) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        byte[] full = (MessageWriter.line(new Message.Chunk(new byte[Message.Chunk.MAX_BYTES])) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int off = 0; off < data.length; off += Message.Chunk.MAX_BYTES) {
            int n = Math.min(Message.Chunk.MAX_BYTES, data.length - off);
            out.write(n == Message.Chunk.MAX_BYTES ? full
                    : (MessageWriter.line(new Message.Chunk(new byte[n])) + "\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data, off, n);
        }
        out.write((MessageWriter.line(Message.Okay.PLAIN) + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
