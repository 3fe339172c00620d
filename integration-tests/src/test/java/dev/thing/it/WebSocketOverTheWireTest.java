package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.server.library.Song;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The protocol over a real WebSocket against a real server: the same lobbies, rules and errors as over TCP, with a
 * telnet client and a WebSocket client side by side.
 */
class WebSocketOverTheWireTest extends ServerTestBase {

    void startWithHttp() {
        start(b -> b.httpBind = new InetSocketAddress("127.0.0.1", 0));
    }

    URI wsUri() {
        InetSocketAddress a = server.httpAddress();
        return URI.create("ws://127.0.0.1:" + a.getPort() + "/ws");
    }

    WsClient ws(String name) {
        WsClient c = WsClient.open(name, wsUri(), null);
        closeLater(c);
        c.expectLine(GREETING);
        return c;
    }

    private final java.util.List<WsClient> wsClients = new java.util.ArrayList<>();

    private void closeLater(WsClient c) {
        wsClients.add(c);
    }

    @org.junit.jupiter.api.AfterEach
    void closeWebSockets() {
        wsClients.forEach(WsClient::close);
    }

    static byte[] read(java.nio.file.Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aWebSocketJoinsAndCreatesALobby() {
        startWithHttp();
        WsClient alice = ws("alice");
        alice.send("party alice");
        alice.expectJoinOkay();
        WsClient.Reply users = alice.command("USERS");
        assertThat(users.last()).isEqualTo("OKAY");
        assertThat(users.data()).hasSize(1).first().asString().startsWith("USER alice ADMIN");
        assertThat(alice.command("LOBBIES").data()).containsExactly("LOBBY party 1 0");
    }

    @Test
    void aTelnetAdminAndAWebSocketJoinerAcceptEachOther() {
        startWithHttp();
        TelnetClient alice = admin("party", "alice");
        WsClient bob = ws("bob");
        bob.send("party bob");
        bob.expectLine("NOTIFY waiting for approval to join party");
        alice.expectLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        assertThat(bob.command("LIST").last()).startsWith("ERROR PENDING ");
        alice.send("ACCEPT bob");
        bob.expectJoinOkay();
        bob.expectLine("NOTIFY bob joined party");
        alice.skipUntilLine("OKAY");
        // The WebSocket member is a member like any other: promoted by the telnet admin, it accepts a telnet joiner.
        alice.okay("PROMOTE bob");
        bob.skipUntilLine("NOTIFY bob is now a moderator of party");
        TelnetClient carol = connect("carol");
        carol.send("party carol");
        carol.expectLine("NOTIFY waiting for approval to join party");
        bob.skipUntilLine("NOTIFY carol asks to join party: ACCEPT carol or REJECT carol");
        bob.send("ACCEPT carol");
        carol.expectLine("OKAY bob let you into party as a USER");
    }

    @Test
    void anUploadOverTheWebSocketIsStoredAndComesBackWithGet() {
        startWithHttp();
        WsClient alice = ws("alice");
        alice.send("party alice");
        alice.expectJoinOkay();
        byte[] mp3 = fixture("click-track-30s.mp3");
        assertThat(alice.upload("Tune", mp3)).startsWith("OKAY ");
        assertThat(alice.nextLine()).startsWith("UPDATE Tune ");
        Song song;
        try {
            song = server.library().findByTitle("Tune").orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        alice.send("GET Tune");
        WsClient.Transfer t = alice.receiveTransfer();
        assertThat(t.sendLine()).startsWith("SEND Tune");
        assertThat(t.complete()).isTrue();
        assertThat(t.bytes()).isEqualTo(read(song.file()));
        // A telnet member of the lobby sees the same library.
        TelnetClient bob = connect("bob");
        bob.send("party bob");
        bob.expectLine("NOTIFY waiting for approval to join party");
        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        alice.send("ACCEPT bob");
        bob.expectJoinOkay();
        bob.send("GET Tune");
        bob.skipUntil(l -> l.startsWith("SEND "));
    }

    /** A WebSocket member of a new lobby. */
    WsClient wsAdmin(String lobby, String user) {
        WsClient c = ws(user);
        c.send(lobby + " " + user);
        c.expectJoinOkay();
        return c;
    }

    @Test
    void aTextMessageWithALineBreakIsOneClearErrorAndTheConnectionStaysInStep() {
        startWithHttp();
        WsClient alice = wsAdmin("party", "alice");
        alice.send("USERS\nLIST");
        assertThat(alice.nextLine()).isEqualTo("ERROR SYNTAX a text message is one line, without CR or LF; "
                + "this one held a line break and was discarded");
        alice.send("USERS\r\n");
        assertThat(alice.nextLine()).startsWith("ERROR SYNTAX a text message is one line");
        assertThat(alice.command("USERS").data()).hasSize(1);
    }

    @Test
    void aSendWithALineBreakDiscardsItsTransferWithOneError() {
        startWithHttp();
        WsClient alice = wsAdmin("party", "alice");
        alice.send("SEND Tune\nCHUNK 3");
        assertThat(alice.nextLine()).startsWith("ERROR SYNTAX a text message is one line")
                .endsWith("; the rest of this transfer is discarded");
        byte[] mp3 = fixture("mono-22k-1s.mp3");
        for (int off = 0; off < mp3.length; off += 1000) {
            alice.chunk(mp3, off, Math.min(1000, mp3.length - off));
        }
        alice.send("OKAY");
        // The transfer was thrown away silently: the next reply is the next command's.
        assertThat(alice.command("LIST").data()).isEmpty();
    }

    @Test
    void anOverLongTextMessageIsDiscardedAsOnTcp() {
        startWithHttp();
        WsClient alice = wsAdmin("party", "alice");
        alice.send("LIST " + "x".repeat(5000));
        assertThat(alice.nextLine()).isEqualTo("ERROR LINE_TOO_LONG line longer than 4096 bytes was discarded");
        // Far past one WebSocket frame's worth (64 KiB): read in fragments and thrown away as it comes.
        alice.send("LIST " + "y".repeat(300_000));
        assertThat(alice.nextLine()).isEqualTo("ERROR LINE_TOO_LONG line longer than 4096 bytes was discarded");
        assertThat(alice.command("USERS").last()).isEqualTo("OKAY");
    }

    @Test
    void aBinaryMessageWithoutAChunkBeforeItIsAnError() {
        startWithHttp();
        WsClient alice = wsAdmin("party", "alice");
        alice.sendBinary(new byte[] {1, 2, 3});
        assertThat(alice.nextLine()).isEqualTo("ERROR SYNTAX a binary message must come right after its CHUNK <n> "
                + "text message; this one (3 bytes) was discarded");
        assertThat(alice.command("USERS").last()).isEqualTo("OKAY");
    }

    @Test
    void aChunkFollowedByATextMessageIsAnErrorAndTheTextIsStillRead() {
        startWithHttp();
        WsClient alice = wsAdmin("party", "alice");
        alice.send("CHUNK 3");
        alice.send("USERS");
        assertThat(alice.nextLine()).isEqualTo("ERROR SYNTAX CHUNK 3 must be followed by a binary message of 3 "
                + "bytes, not by a text message; the chunk is lost");
        WsClient.Reply users = alice.expectReply();
        assertThat(users.data()).hasSize(1);
        assertThat(users.last()).isEqualTo("OKAY");
    }

    @Test
    void aBinaryMessageOfTheWrongLengthIsAnError() {
        startWithHttp();
        WsClient alice = wsAdmin("party", "alice");
        alice.send("CHUNK 3");
        alice.sendBinary(new byte[5]);
        assertThat(alice.nextLine()).isEqualTo("ERROR SYNTAX CHUNK 3 announced 3 bytes but its binary message held 5; "
                + "the chunk was discarded");
        alice.send("CHUNK 1500");
        alice.sendBinary(new byte[1500]);
        assertThat(alice.nextLine()).isEqualTo("ERROR TOO_LARGE chunk of 1500 bytes is over the 1000-byte limit; "
                + "its bytes were discarded");
        alice.send("CHUNK 2");
        alice.sendBinary(new byte[2]);
        assertThat(alice.nextLine()).isEqualTo("ERROR NOT_ALLOWED CHUNK outside a transfer: send SEND <title> first");
        assertThat(alice.command("USERS").last()).isEqualTo("OKAY");
    }

    @Test
    void aFramingErrorInsideAnUploadAbandonsItAndTheNextUploadWorks() {
        startWithHttp();
        WsClient alice = wsAdmin("party", "alice");
        byte[] mp3 = fixture("mono-22k-1s.mp3");
        alice.send("SEND Tune");
        alice.chunk(mp3, 0, 1000);
        alice.send("CHUNK 1000");
        alice.sendBinary(new byte[999]);
        assertThat(alice.nextLine()).isEqualTo("ERROR SYNTAX CHUNK 1000 announced 1000 bytes but its binary message "
                + "held 999; the chunk was discarded; the upload of Tune was abandoned");
        assertThat(storedFiles()).isEmpty();
        eventually("the abandoned upload's temporary file is gone", () -> incomingFiles().isEmpty());
        assertThat(alice.upload("Tune", mp3)).startsWith("OKAY ");
        assertThat(storedFiles()).hasSize(1);
    }

    @Test
    void aSongPushedToAWebSocketMemberComesAsTextAndBinaryMessages() {
        startWithHttp();
        TelnetClient alice = admin("party", "alice");
        WsClient bob = ws("bob");
        assertThat(bob.command("CAP SONGS").last()).isEqualTo("OKAY");
        bob.send("party bob");
        bob.expectLine("NOTIFY waiting for approval to join party");
        alice.expectLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        alice.send("ACCEPT bob");
        bob.expectJoinOkay();
        alice.skipUntilLine("OKAY");
        assertThat(alice.upload("Tune", fixture("click-track-30s.mp3"))).startsWith("OKAY ");
        String first;
        do {
            first = bob.nextLine();
        } while (!first.startsWith("SEND "));
        assertThat(first).startsWith("SEND Tune");
        // Every CHUNK text message is followed by its binary message, checked while the transfer is read.
        WsClient.Transfer pushed = bob.receiveTransferAfterSend(first);
        assertThat(pushed.complete()).isTrue();
        Song song;
        try {
            song = server.library().findByTitle("Tune").orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(pushed.bytes()).isEqualTo(read(song.file()));
        bob.send("GET Tune");
        WsClient.Transfer asked = bob.receiveTransfer();
        assertThat(asked.bytes()).isEqualTo(pushed.bytes());
    }

    @Test
    void aPageFromAnotherSiteMayNotOpenTheWebSocket() {
        startWithHttp();
        Throwable refused = WsClient.handshakeFailure(wsUri(), "http://evil.example");
        assertThat(refused).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
        assertThat(((java.net.http.WebSocketHandshakeException) refused).getResponse().statusCode()).isEqualTo(403);
        assertThat(server.connectionCount()).isZero();
        // The page's own origin is welcome, and so is a program that sends no Origin at all.
        int port = server.httpAddress().getPort();
        WsClient own = WsClient.open("own", wsUri(), "http://127.0.0.1:" + port);
        closeLater(own);
        own.expectLine(GREETING);
        assertThat(WsClient.handshakeFailure(wsUri(), "http://127.0.0.1:" + (port == 1 ? 2 : port - 1)))
                .as("the same host on another port is another origin").isNotNull();
    }

    @Test
    void anOriginTheOperatorListedMayOpenTheWebSocket() {
        start(b -> {
            b.httpBind = new InetSocketAddress("127.0.0.1", 0);
            b.allowedOrigins = java.util.List.of("https://party.example");
        });
        WsClient listed = WsClient.open("listed", wsUri(), "https://party.example");
        closeLater(listed);
        listed.expectLine(GREETING);
        assertThat(WsClient.handshakeFailure(wsUri(), "https://other.example")).isNotNull();
    }

    @Test
    void atShutdownAWebSocketGetsTheNoticeThenCloseCode1001() {
        startWithHttp();
        WsClient alice = wsAdmin("party", "alice");
        TelnetClient bob = connect("bob");
        stopServer();
        alice.expectLine("NOTIFY server is shutting down");
        WsClient.Closed closed = alice.expectClose();
        assertThat(closed.code()).isEqualTo(1001);
        bob.expectLine("NOTIFY server is shutting down");
    }

    @Test
    void quitClosesTheWebSocketNormally() {
        startWithHttp();
        WsClient alice = wsAdmin("party", "alice");
        alice.send("QUIT");
        alice.expectLine("OKAY");
        assertThat(alice.expectClose().code()).isEqualTo(1000);
        eventually("the session is gone", () -> server.connectionCount() == 0);
    }

    @Test
    void withHttpOffThereIsNoWebServer() {
        start();
        assertThat(server.httpAddress()).isNull();
        TelnetClient alice = admin("party", "alice");
        assertThat(alice.command("USERS").last()).isEqualTo("OKAY");
    }

    @Test
    void theWebSocketCountsAgainstTheConnectionLimit() {
        start(b -> {
            b.httpBind = new InetSocketAddress("127.0.0.1", 0);
            b.maxConnections = 1;
        });
        TelnetClient alice = admin("party", "alice");
        WsClient bob = WsClient.open("bob", wsUri(), null);
        closeLater(bob);
        assertThat(bob.nextLine()).startsWith("NOTIFY server full (1 connections)");
        assertThat(bob.expectClose().code()).isEqualTo(1000);
        assertThat(alice.command("USERS").last()).isEqualTo("OKAY");
    }

    /** A client frame (masked, as RFC 6455 requires of clients; the zero key leaves the payload as it is). */
    static byte[] clientTextFrame(String text) {
        byte[] payload = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream f = new java.io.ByteArrayOutputStream();
        f.write(0x81);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else {
            f.write(0x80 | 126);
            f.write(payload.length >> 8);
            f.write(payload.length & 0xff);
        }
        f.writeBytes(new byte[4]);
        f.writeBytes(payload);
        return f.toByteArray();
    }

    @Test
    void aWebSocketClientThatStopsReadingIsDisconnectedLikeASlowTcpReader() throws Exception {
        start(b -> {
            b.httpBind = new InetSocketAddress("127.0.0.1", 0);
            b.maxUnsentBytes = 64 * 1024;
            b.rateBurst = 1_000_000;
            b.ratePerSecond = 1_000_000;
        });
        TelnetClient alice = admin("party", "alice");
        try (java.net.Socket sloth = new java.net.Socket()) {
            sloth.setReceiveBufferSize(4096);
            sloth.connect(new InetSocketAddress("127.0.0.1", server.httpAddress().getPort()));
            java.io.OutputStream out = sloth.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(clientTextFrame("party sloth"));
            out.flush();
            alice.expectLine("NOTIFY sloth asks to join party: ACCEPT sloth or REJECT sloth");
            assertThat(alice.command("ACCEPT sloth").last()).isEqualTo("OKAY");
            // The sloth asks for HELP again and again and never reads a byte of the answers.
            byte[] help = clientTextFrame("HELP");
            int sent = 0;
            try {
                while (server.connectionCount() > 1 && sent < 100_000) {
                    out.write(help);
                    sent++;
                }
            } catch (java.io.IOException e) {
                // The server closed the connection under the writes: what this test waits for.
            }
            // Its answers pile up in the server past the unsent bound (its own writes may all be in the socket's
            // buffers by then): it is cut off, as a TCP client that stops reading is.
            eventually("the sloth is disconnected", () -> server.connectionCount() == 1);
        }
        // The others are served on.
        assertThat(alice.command("USERS").data()).hasSize(1).first().asString().startsWith("USER alice ADMIN");
    }

    @Test
    void anHttpPortInUseIsNamedAndTheServerDoesNotStartHalfway() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            dev.thing.server.ServerConfig.Builder b = config();
            b.httpBind = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
            dev.thing.server.ThingServer s = new dev.thing.server.ThingServer(b.build());
            org.assertj.core.api.Assertions.assertThatThrownBy(s::start)
                    .isInstanceOf(java.net.BindException.class)
                    .hasMessageStartingWith("HTTP on /127.0.0.1:" + taken.getLocalPort() + ": ");
            s.close();
        }
        // Nothing was left bound: a server starts in the same folder at once.
        startWithHttp();
        assertThat(server.httpAddress()).isNotNull();
    }
}
