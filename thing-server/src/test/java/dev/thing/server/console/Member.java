package dev.thing.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A member over a real socket, as telnet would be: lines out, lines in, waited for with a generous timeout. */
final class Member implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final List<String> seen = new ArrayList<>();

    Member(InetSocketAddress server) throws IOException {
        socket = new Socket(server.getAddress(), server.getPort());
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
        expect("NOTIFY THING/1.0");
    }

    /** Sends a line. */
    Member send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** Reads lines until one starts with {@code prefix}; returns it. */
    String expect(String prefix) throws IOException {
        while (true) {
            String line;
            try {
                line = in.readLine();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no line starting '" + prefix + "' within 30 s; seen: " + seen);
            }
            if (line == null) {
                throw new AssertionError("connection closed before a line starting '" + prefix + "'; seen: " + seen);
            }
            seen.add(line);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Reads until the server closes the connection; fails if it does not within the timeout. */
    void expectClosed() throws IOException {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                seen.add(line);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection stayed open; seen: " + seen);
        } catch (java.net.SocketException e) {
            // reset by the server: closed too
        }
    }

    List<String> seen() {
        return seen;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Creates {@code lobby} as {@code name}. */
    static Member creating(InetSocketAddress server, String lobby, String name, String... caps) throws IOException {
        Member m = new Member(server);
        for (String cap : caps) {
            m.send("CAP " + cap).expect("OKAY");
        }
        m.send(lobby + " " + name);
        assertThat(m.expect("OKAY")).isNotNull();
        return m;
    }

    /** Joins {@code lobby} as {@code name}, let in by {@code admin}. */
    static Member joining(InetSocketAddress server, Member admin, String lobby, String name, String... caps)
            throws IOException {
        Member m = new Member(server);
        for (String cap : caps) {
            m.send("CAP " + cap).expect("OKAY");
        }
        m.send(lobby + " " + name);
        m.expect("NOTIFY waiting for approval");
        admin.send("ACCEPT " + name).expect("OKAY");
        m.expect("OKAY");
        return m;
    }
}
