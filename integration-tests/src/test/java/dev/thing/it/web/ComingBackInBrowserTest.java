package dev.thing.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.it.TelnetClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue #16 item 5 in the page: after its WebSocket drops, or the tab is reloaded, the page comes back to its place
 * with the token kept in sessionStorage, with no approval, a guest and an account alike; leaving gives the place
 * up.
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

    @Test
    void anAccountOnThePageComesBackWithItsTokenToItsRoleWithoutApprovalAndTheServerStillKnowsTheAccount() {
        start(b -> b.rejoinGrace = Duration.ofSeconds(120));
        TelnetClient registering = telnetAdmin("elsewhere", "bob");
        registering.okay("REGISTER bob-secret-1");
        registering.send("QUIT");
        registering.drainUntilClosed();
        TelnetClient alice = telnetAdmin("party", "alice");
        Page page = browser();
        page.join("party", "bob");
        page.waitFor("the password asked for", () -> page.el("join-error").getText().contains("bob is registered"));
        page.el("join-password").sendKeys("bob-secret-1");
        page.el("join-button").click();
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
        assertThat(page.thing("registered")).isEqualTo(true);
        assertThat(alice.command("USERS").data()).hasSize(2).allMatch(l -> !l.endsWith(" AWAY"));
        assertThat(page.js("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage)").toString())
                .as("the password is not kept to come back with").doesNotContain("bob-secret-1");

        // The place came back as the account, not as a guest under its name: its password can be changed.
        page.el("account-button").click();
        page.waitFor("the password form", () -> page.visible("password-form"));
        page.el("pw-old").sendKeys("bob-secret-1");
        page.el("pw-new").sendKeys("bob-secret-2");
        page.css("#password-form button[type=submit]").click();
        page.waitFor("the fields cleared", () -> page.el("pw-new").getAttribute("value").isEmpty());
        assertThat(page.el("account-error").getText()).isEmpty();
        TelnetClient check = telnet("bob elsewhere");
        check.send("other bob bob-secret-2");
        check.expectOkay();
    }
}
