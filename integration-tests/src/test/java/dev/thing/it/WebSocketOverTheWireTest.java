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
        alice.expectLine("OKAY");
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
        bob.expectLine("OKAY");
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
        carol.expectLine("OKAY");
    }

    @Test
    void anUploadOverTheWebSocketIsStoredAndComesBackWithGet() {
        startWithHttp();
        WsClient alice = ws("alice");
        alice.send("party alice");
        alice.expectLine("OKAY");
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
        bob.expectLine("OKAY");
        bob.send("GET Tune");
        bob.skipUntil(l -> l.startsWith("SEND "));
    }
}
