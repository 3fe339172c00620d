package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A raw-socket client that speaks THING as a person at a telnet prompt would: lines out, lines in. It knows
 * nothing of the project's protocol classes, so what it checks is the wire itself.
 *
 * <p>Reads block for at most {@link #timeout} (10 s by default) and fail the test when nothing comes; no test
 * ever sleeps.
 */
public final class TelnetClient implements AutoCloseable {
    /** What {@link #nextLine()} does with a PING line. */
    public enum Pings { SKIP, ANSWER, KEEP }

    /** A reply: its data lines, its final line, and the unsolicited lines that came in between. */
    public record Reply(List<String> data, String last, List<String> unsolicited, List<Transfer> pushed) {
        public boolean okay() {
            return last.equals("OKAY") || last.startsWith("OKAY ");
        }
    }

    /** A S->C transfer: its SEND line, the bytes, and whether it ended with OKAY (false: ABORT). */
    public record Transfer(String sendLine, byte[] bytes, boolean complete) {
    }

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> UNSOLICITED = List.of("NOTIFY", "UPDATE", "PING", "SEND", "PLAY", "PAUSE",
            "STOP");

    private final String name;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private Pings pings = Pings.SKIP;
    private Duration timeout = DEFAULT_TIMEOUT;
    private final List<String> pingsSeen = new ArrayList<>();

    public TelnetClient(String name, InetSocketAddress address) {
        this(name, address, 0);
    }

    /** A client whose socket receive buffer is {@code receiveBuffer} bytes (0: the system's default). */
    public TelnetClient(String name, InetSocketAddress address, int receiveBuffer) {
        this.name = name;
        try {
            socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(address, (int) DEFAULT_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
            in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot connect to " + address, e);
        }
    }

    /**
     * A client over a socket already connected (an {@code SSLSocket}, say: what {@code openssl s_client} is to
     * telnet).
     */
    public TelnetClient(String name, Socket connected) {
        this.name = name;
        try {
            socket = connected;
            socket.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
            in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot use the socket " + connected, e);
        }
    }

    public String name() {
        return name;
    }

    public Socket socket() {
        return socket;
    }

    public TelnetClient pings(Pings mode) {
        this.pings = mode;
        return this;
    }

    public TelnetClient timeout(Duration timeout) {
        this.timeout = timeout;
        try {
            socket.setSoTimeout((int) timeout.toMillis());
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The PING lines seen so far (skipped, answered or kept). */
    public synchronized List<String> pingsSeen() {
        return new ArrayList<>(pingsSeen);
    }

    // ---- writing ----

    public TelnetClient send(String line) {
        return sendBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    public TelnetClient sendBytes(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": write failed", e);
        }
        return this;
    }

    /** Writes one CHUNK frame: the header line and the bytes. */
    public TelnetClient chunk(byte[] data, int off, int len) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(len + 16);
        frame.writeBytes(("CHUNK " + len + "\n").getBytes(StandardCharsets.US_ASCII));
        frame.write(data, off, len);
        return sendBytes(frame.toByteArray());
    }

    /** Writes SEND and the whole file as CHUNKs of at most 1000 bytes, without the closing line. */
    public TelnetClient sendTransfer(String title, byte[] mp3, String... fields) {
        StringBuilder line = new StringBuilder("SEND ").append(quote(title));
        for (String f : fields) {
            line.append(' ').append(quote(f));
        }
        send(line.toString());
        for (int off = 0; off < mp3.length; off += 1000) {
            chunk(mp3, off, Math.min(1000, mp3.length - off));
        }
        return this;
    }

    /** A whole upload: SEND, CHUNKs of 1000 bytes, OKAY; returns the final reply line. */
    public String upload(String title, byte[] mp3, String... fields) {
        sendTransfer(title, mp3, fields);
        send("OKAY");
        return expectReply().last();
    }

    /** Quotes a token the way the protocol's writers do: only when it needs it. */
    public static String quote(String token) {
        boolean needs = token.isEmpty();
        for (int i = 0; i < token.length() && !needs; i++) {
            char c = token.charAt(i);
            needs = c == ' ' || c == '\t' || c == '"' || c == '\\';
        }
        if (!needs) {
            return token;
        }
        return "\"" + token.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // ---- reading ----

    /** One raw line (CR before LF dropped), or null at end of stream. PINGs are not filtered here. */
    private String rawLine() throws IOException {
        return rawLine(true);
    }

    /**
     * As {@link #rawLine()}; at the server's end of stream this side is closed too when {@code closeAtEnd}, as telnet
     * and the thing client do (the server shuts its output first and drains until the client closes, RFC 2.1).
     */
    private String rawLine(boolean closeAtEnd) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (closeAtEnd) {
                    close();
                }
                if (buf.size() == 0) {
                    return null;
                }
                fail(name + ": connection closed in the middle of a line: " + buf.toString(StandardCharsets.UTF_8));
            }
            if (b == '\n') {
                break;
            }
            buf.write(b);
        }
        byte[] bytes = buf.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') {
            len--;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, len)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError(name + ": the server sent a line that is not UTF-8", e);
        }
    }

    /** The next line, PINGs handled as configured; fails on timeout or end of stream. */
    public String nextLine() {
        while (true) {
            String line;
            try {
                line = rawLine();
            } catch (SocketTimeoutException e) {
                throw new AssertionError(name + ": no line from the server within " + timeout);
            } catch (IOException e) {
                throw new UncheckedIOException(name + ": read failed", e);
            }
            if (line == null) {
                throw new AssertionError(name + ": the server closed the connection");
            }
            if (line.startsWith("PING")) {
                synchronized (this) {
                    pingsSeen.add(line);
                }
                if (pings == Pings.KEEP) {
                    return line;
                }
                if (pings == Pings.ANSWER) {
                    String token = line.length() > 5 ? line.substring(5) : "";
                    send(token.isEmpty() ? "OKAY" : "OKAY " + token);
                }
                continue;
            }
            return line;
        }
    }

    /**
     * The OKAY that ends a join line, with its words for people (RFC 6.5): the lobby created, let in by a member, in
     * at once, or back to a kept place. Returns the line.
     */
    public String expectJoinOkay() {
        String line = nextLine();
        assertThat(line).as(name + " expected the OKAY of a join").matches(JOIN_OKAY);
        return line;
    }

    /** The join OKAY's forms (RFC 6.5). */
    public static final String JOIN_OKAY = "OKAY (you created \\S+ and are its ADMIN|\\S+ let you into \\S+ as a USER|you are in \\S+ as its (ADMIN|MODERATOR|USER)|welcome back to \\S+ as \\S+)";

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

    public String expectPrefix(String prefix) {
        String line = nextLine();
        assertThat(line).as(name + " expected a line starting with " + prefix).startsWith(prefix);
        return line;
    }

    /** Skips lines until one matches; returns it. */
    public String skipUntil(Predicate<String> wanted) {
        while (true) {
            String line = nextLine();
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    public String skipUntilLine(String exact) {
        return skipUntil(exact::equals);
    }

    /** The data lines of a reply up to its final OKAY or ERROR; unsolicited lines and pushed songs set aside. */
    public Reply expectReply() {
        List<String> data = new ArrayList<>();
        List<String> unsolicited = new ArrayList<>();
        List<Transfer> pushed = new ArrayList<>();
        while (true) {
            String line = nextLine();
            if (line.equals("OKAY") || line.startsWith("OKAY ") || line.startsWith("ERROR ")) {
                return new Reply(data, line, unsolicited, pushed);
            }
            String verb = line.split("[ \t]", 2)[0];
            if (verb.equals("SEND")) {
                pushed.add(transferAfter(line));
            } else if (UNSOLICITED.contains(verb)) {
                unsolicited.add(line);
            } else {
                data.add(line);
            }
        }
    }

    /** Sends a command and returns its reply. */
    public Reply command(String line) {
        send(line);
        return expectReply();
    }

    /** Sends a command that must be answered OKAY with no data; returns the unsolicited lines seen meanwhile. */
    public Reply okay(String line) {
        Reply r = command(line);
        // An OKAY may carry words for people ("OKAY nothing was playing", RFC 6.5): still a success.
        assertThat(r.last()).as(name + ": reply to " + line).matches("OKAY( .*)?");
        // EVENT lines (a connection with CAP EVENTS) are not data: EVENT BY comes before a playback line.
        assertThat(r.data()).as(name + ": data lines of " + line).allMatch(l -> l.startsWith("EVENT "));
        return r;
    }

    /** Receives a S->C transfer: the next line must be its SEND. */
    public Transfer receiveTransfer() {
        String first = nextLine();
        assertThat(first).as(name + " expected a SEND").startsWith("SEND ");
        return transferAfter(first);
    }

    /** Receives the rest of a S->C transfer whose SEND line {@code sendLine} has just been read. */
    public Transfer receiveTransferAfter(String sendLine) {
        return transferAfter(sendLine);
    }

    private Transfer transferAfter(String sendLine) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            while (true) {
                String line = rawLine();
                if (line == null) {
                    fail(name + ": closed in the middle of a transfer");
                }
                if (line.equals("OKAY")) {
                    return new Transfer(sendLine, bytes.toByteArray(), true);
                }
                if (line.equals("ABORT")) {
                    return new Transfer(sendLine, bytes.toByteArray(), false);
                }
                assertThat(line).as(name + ": inside a transfer only CHUNK, OKAY or ABORT").startsWith("CHUNK ");
                int n = Integer.parseInt(line.substring(6).trim());
                assertThat(n).isBetween(1, 1000);
                bytes.write(in.readNBytes(n));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError(name + ": transfer stalled for " + timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that the server closes the connection: reads to end of stream (a reset counts as closed), failing if
     * a line other than a PING comes first or nothing happens within the timeout.
     */
    public void assertClosedByServer() {
        try {
            while (true) {
                String line = rawLine();
                if (line == null) {
                    return;
                }
                if (!line.startsWith("PING")) {
                    fail(name + ": expected the server to close, got " + line);
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError(name + ": the server did not close the connection within " + timeout);
        } catch (SocketException | javax.net.ssl.SSLException e) {
            return; // reset, or TLS ended without close_notify: closed too
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads to the server's end of stream, skipping PINGs, without closing this side (to see that the server still
     * takes what is sent); fails on a reset, another line or the timeout.
     */
    public void assertEndOfStreamKeepingOpen() {
        try {
            for (String line = rawLine(false); line != null; line = rawLine(false)) {
                if (!line.startsWith("PING")) {
                    fail(name + ": expected the server's end of stream, got " + line);
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError(name + ": no end of stream within " + timeout);
        } catch (IOException e) {
            throw new AssertionError(name + ": the connection ended with " + e + ", not an end of stream", e);
        }
    }

    /** True if the server has closed (end of stream within the timeout, ignoring any lines on the way). */
    public void drainUntilClosed() {
        try {
            while (in.read() >= 0) {
                // discard
            }
            close(); // as telnet does at the server's end of stream
        } catch (SocketTimeoutException e) {
            throw new AssertionError(name + ": the server did not close the connection within " + timeout);
        } catch (SocketException | javax.net.ssl.SSLException e) {
            // reset, or TLS ended without close_notify: closed
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
