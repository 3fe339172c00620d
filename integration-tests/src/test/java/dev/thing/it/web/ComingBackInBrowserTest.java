package dev.thing.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.it.TelnetClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue #16 item 5 in the page: after its WebSocket drops, or the tab is reloaded, the page comes back to its place
 * with the token kept in sessionStorage, with no approval; leaving gives the place up.
 */
class ComingBackInBrowserTest extends BrowserTestBase {

    @Test
    void thePageComesBackAfterADropAndAfterAReloadButNotAfterLeaving() {
        start(b -> b.rejoinGrace = Duration.ofSeconds(120));
        TelnetClient alice = telnetAdmin("party", "alice");
        Page page = browser();
        page.join("party", "bob");
        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        alice.send("ACCEPT bob");
        alice.skipUntilLine("OKAY");
        page.waitForThing("window.thing.view === 'lobby' && window.thing.role === 'USER'");
        alice.send("PROMOTE bob");
        alice.skipUntilLine("OKAY");
        page.waitForThing("window.thing.role === 'MODERATOR'");

        page.js("window.thing.dropConnection()");
        alice.skipUntilLine("NOTIFY bob lost the connection; their place is kept for 2:00");
        alice.skipUntilLine("NOTIFY bob is back");
        page.waitForThing("window.thing.view === 'lobby' && window.thing.role === 'MODERATOR'");
        page.waitForThing("window.thing.notices.some(n => n.text === 'reconnected to party')");
        assertThat(alice.command("USERS").data()).hasSize(2).allMatch(l -> !l.endsWith(" AWAY"));

        page.driver.navigate().refresh();
        alice.skipUntilLine("NOTIFY bob lost the connection; their place is kept for 2:00");
        alice.skipUntilLine("NOTIFY bob is back");
        page.waitForThing("window.thing.view === 'lobby' && window.thing.role === 'MODERATOR'");

        page.el("leave").click();
        alice.skipUntilLine("NOTIFY bob left party");
        page.waitForThing("window.thing.view === 'home'");
        assertThat(page.js("return sessionStorage.getItem('thing.rejoin')")).isNull();
        assertThat(alice.command("USERS").data()).containsExactly("USER alice ADMIN -");
    }
}
