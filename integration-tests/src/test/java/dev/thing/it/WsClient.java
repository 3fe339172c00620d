package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket client (the JDK's) that speaks THING as the browser page will: one text message per line, a chunk
 * body as the binary message right after its {@code CHUNK <n>}. It knows nothing of the project's protocol classes,
 * so what it checks is the wire. Waits are bounded by {@link #WAIT}; no test sleeps.
 */
public final class WsClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> UNSOLICITED = List.of("NOTIFY", "UPDATE", "PING", "SEND", "PLAY", "PAUSE",
            "STOP", "EVENT");

    /** What the server sent: a text message, a binary message, or the close. */
    public sealed interface Received permits Text, Binary, Closed {
    }

    public record Text(String text) implements Received {
    }

    public record Binary(byte[] bytes) implements Received {
    }

    public record Closed(int code, String reason) implements Received {
    }

    /** A reply: its data lines, its final line, and the unsolicited lines that came in between. */
    public record Reply(List<String> data, String last, List<String> unsolicited) {
    }

    /** A S->C transfer: its SEND line, the bytes, and whether it ended with OKAY (false: ABORT). */
    public record Transfer(String sendLine, byte[] bytes, boolean complete) {
    }

    private final String name;
    private final WebSocket socket;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    private WsClient(String name, WebSocket socket) {
        this.name = name;
        this.socket = socket;
    }

    /** Opens {@code ws://host:port/ws}, with an Origin header when {@code origin} is not null. */
    public static WsClient open(String name, URI uri, String origin) {
        return open(name, uri, origin, HttpClient.newHttpClient());
    }

    /** Opens {@code uri} (ws:// or wss://) through {@code http}, e.g. one that trusts a test certificate. */
    public static WsClient open(String name, URI uri, String origin, HttpClient http) {
        Listener listener = new Listener();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(WAIT);
        if (origin != null) {
            builder.header("Origin", origin);
        }
        try {
            WebSocket ws = builder.buildAsync(uri, listener).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            WsClient client = new WsClient(name, ws);
            listener.attach(client);
            return client;
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + ": cannot open " + uri + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(name + ": cannot open " + uri, e);
        }
    }

    /** The failure a handshake ends with (for a refused one), or null when it opened. */
    public static Throwable handshakeFailure(URI uri, String origin) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        if (origin != null) {
            builder.header("Origin", origin);
        }
        try {
            WebSocket ws = builder.buildAsync(uri, new WebSocket.Listener() { }).get(WAIT.toSeconds(),
                    TimeUnit.SECONDS);
            ws.abort();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        private final List<Received> early = new ArrayList<>();
        private volatile WsClient client;

        synchronized void attach(WsClient c) {
            client = c;
            c.received.addAll(early);
            early.clear();
        }

        private synchronized void add(Received r) {
            if (client == null) {
                early.add(r);
            } else {
                client.received.add(r);
            }
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                add(new Text(text.toString()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                add(new Binary(binary.toByteArray()));
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            add(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            add(new Closed(1006, String.valueOf(error)));
        }
    }

    public String name() {
        return name;
    }

    // ---- writing ----

    public WsClient send(String line) {
        join(socket.sendText(line, true));
        return this;
    }

    public WsClient sendBinary(byte[] bytes) {
        join(socket.sendBinary(ByteBuffer.wrap(bytes), true));
        return this;
    }

    /** One chunk: its {@code CHUNK <n>} text message, then its bytes as one binary message. */
    public WsClient chunk(byte[] data, int off, int len) {
        send("CHUNK " + len);
        byte[] body = new byte[len];
        System.arraycopy(data, off, body, 0, len);
        return sendBinary(body);
    }

    /** SEND and the whole file as chunks of at most 1000 bytes, without the closing OKAY. */
    public WsClient sendTransfer(String title, byte[] mp3) {
        send("SEND " + TelnetClient.quote(title));
        for (int off = 0; off < mp3.length; off += 1000) {
            chunk(mp3, off, Math.min(1000, mp3.length - off));
        }
        return this;
    }

    /** A whole upload: SEND, chunks, OKAY; returns the final reply line. */
    public String upload(String title, byte[] mp3) {
        sendTransfer(title, mp3);
        send("OKAY");
        return expectReply().last();
    }

    private void join(CompletableFuture<WebSocket> sent) {
        try {
            sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + ": send failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(name + ": send did not complete within " + WAIT, e);
        }
    }

    // ---- reading ----

    /** The next thing the server sent; fails after {@link #WAIT}. */
    public Received next() {
        try {
            Received r = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                throw new AssertionError(name + ": nothing from the server within " + WAIT);
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next text message that is not a PING; fails on a binary message or the close. */
    public String nextLine() {
        while (true) {
            Received r = next();
            if (r instanceof Text t) {
                if (t.text().startsWith("PING")) {
                    continue;
                }
                return t.text();
            }
            throw new AssertionError(name + ": expected a text message, got " + describe(r));
        }
    }

    /**
     * The OKAY that ends a join line, with its words for people (RFC 6.5): the lobby created, let in by a member, in
     * at once, or back to a kept place. Returns the line.
     */
    public String expectJoinOkay() {
        String line = nextLine();
        assertThat(line).as(name + " expected the OKAY of a join").matches(TelnetClient.JOIN_OKAY);
        return line;
    }


    public String expectLine(String exact) {
        String line = nextLine();
        assertThat(line).as(name + " expected a line").isEqualTo(exact);
        return line;
    }

    /** The next line is an OKAY, bare or with words after it (a reply that says what happened); returns it. */
    public String expectOkay() {
        String line = nextLine();
        assertThat(line).as(name + " expected OKAY").matches("OKAY( .*)?");
        return line;
    }

    public String skipUntilLine(String exact) {
        while (true) {
            if (nextLine().equals(exact)) {
                return exact;
            }
        }
    }

    public Reply expectReply() {
        List<String> data = new ArrayList<>();
        List<String> unsolicited = new ArrayList<>();
        while (true) {
            String line = nextLine();
            if (line.equals("OKAY") || line.startsWith("OKAY ") || line.startsWith("ERROR ")) {
                return new Reply(data, line, unsolicited);
            }
            String verb = line.split("[ \t]", 2)[0];
            if (verb.equals("SEND")) {
                transferAfter(line);
                unsolicited.add(line);
            } else if (UNSOLICITED.contains(verb)) {
                unsolicited.add(line);
            } else {
                data.add(line);
            }
        }
    }

    public Reply command(String line) {
        send(line);
        return expectReply();
    }

    /** The next line must be a transfer's SEND; reads the transfer to its OKAY or ABORT. */
    public Transfer receiveTransfer() {
        String first = nextLine();
        assertThat(first).as(name + " expected a SEND").startsWith("SEND ");
        return transferAfter(first);
    }

    /** The rest of a transfer whose SEND line was just read. */
    public Transfer receiveTransferAfterSend(String sendLine) {
        return transferAfter(sendLine);
    }

    private Transfer transferAfter(String sendLine) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            Received r = next();
            if (!(r instanceof Text t)) {
                throw new AssertionError(name + ": inside a transfer expected CHUNK, OKAY or ABORT, got "
                        + describe(r));
            }
            if (t.text().equals("OKAY")) {
                return new Transfer(sendLine, bytes.toByteArray(), true);
            }
            if (t.text().equals("ABORT")) {
                return new Transfer(sendLine, bytes.toByteArray(), false);
            }
            assertThat(t.text()).as(name + ": inside a transfer only CHUNK, OKAY or ABORT").startsWith("CHUNK ");
            int n = Integer.parseInt(t.text().substring(6).trim());
            Received body = next();
            assertThat(body).as(name + ": the binary message right after " + t.text()).isInstanceOf(Binary.class);
            assertThat(((Binary) body).bytes()).hasSize(n);
            bytes.writeBytes(((Binary) body).bytes());
        }
    }

    /** Reads up to the server's close (PINGs and other lines skipped); returns it. */
    public Closed expectClose() {
        while (true) {
            Received r = next();
            if (r instanceof Closed c) {
                return c;
            }
        }
    }

    private static String describe(Received r) {
        if (r instanceof Binary b) {
            return "a binary message of " + b.bytes().length + " bytes";
        }
        if (r instanceof Closed c) {
            return "the close (" + c.code() + " " + c.reason() + ")";
        }
        return "the line " + ((Text) r).text();
    }

    @Override
    public void close() {
        socket.abort();
    }

    @Override
    public String toString() {
        return name;
    }
}
