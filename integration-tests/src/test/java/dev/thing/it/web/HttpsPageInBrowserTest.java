package dev.thing.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.it.TelnetClient;
import dev.thing.server.TlsConfig;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The page over HTTPS in a real browser: Chromium loads it from the HTTPS listener (trusting the server's
 * self-signed certificate by its key, as a user who accepted it would), opens its WebSocket as wss:// on the same
 * origin, and is a member of the same lobbies as telnet.
 */
class HttpsPageInBrowserTest extends BrowserTestBase {

    @Test
    void thePageOverHttpsSpeaksWssAndSharesTheLobbiesWithTelnet() {
        start(b -> {
            b.httpBind = null;
            b.tls = new TlsConfig(null, null, null, new InetSocketAddress("127.0.0.1", 0));
        });
        assertThat(server.httpAddress()).as("plain HTTP is off: only HTTPS serves the page").isNull();
        TelnetClient alice = telnetAdmin("party", "alice");

        Page page = browser();
        assertThat(page.js("return location.protocol")).isEqualTo("https:");
        page.join("party", "bob");
        page.waitForThing("window.thing.view === 'waiting'");
        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        alice.send("ACCEPT bob");
        page.waitForThing("window.thing.view === 'lobby' && window.thing.role === 'USER'");
        // The socket the page speaks through is the secure one, to the HTTPS listener's own port.
        assertThat(String.valueOf(page.js("return window.thing.socketUrl || null")))
                .isEqualTo("wss://127.0.0.1:" + server.httpsAddress().getPort() + "/ws");
        alice.skipUntilLine("NOTIFY bob joined party");
        alice.expectLine("OKAY");
        assertThat(alice.command("USERS").data()).anySatisfy(l -> assertThat(l).startsWith("USER bob USER"));
    }
}
