package dev.thing.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.it.TelnetClient;
import org.junit.jupiter.api.Test;

/** Accounts from the page (RFC 4.6, 4.9, 4.10): a password login retried on one socket, REGISTER, PASSWORD, bans. */
class AccountsInBrowserTest extends BrowserTestBase {

    /** Registers {@code user} with {@code password} from a telnet client in a lobby of its own, then leaves. */
    private void registerFromTelnet(String user, String password) {
        TelnetClient c = telnetAdmin("elsewhere", user);
        c.okay("REGISTER " + TelnetClient.quote(password));
        c.send("QUIT");
        c.drainUntilClosed();
    }

    private static void typePassword(Page page, String password) {
        page.el("join-password").clear();
        page.el("join-password").sendKeys(password);
    }

    @Test
    void aRegisteredNameIsRefusedWithoutItsPasswordAndJoinsOnTheSameSocketWithIt() {
        start();
        registerFromTelnet("alice", "alice-secret-1");
        Page page = browser();
        page.join("party", "alice");
        page.waitFor("the server's refusal on the form",
                () -> page.el("join-error").getText().contains("alice is registered"));
        assertThat(page.thing("view")).isEqualTo("home");
        assertThat(page.thing("connection")).as("the socket is kept for another try").isEqualTo("unjoined");

        typePassword(page, "not-her-password");
        page.el("join-button").click();
        page.waitFor("the wrong password said", () -> page.el("join-error").getText().contains("wrong password for alice"));
        assertThat(page.thing("connection")).isEqualTo("unjoined");

        typePassword(page, "alice-secret-1");
        page.el("join-button").click();
        page.waitForThing("window.thing.view === 'lobby' && window.thing.role === 'ADMIN'");
        assertThat(((Number) page.thing("connections")).intValue()).as("all three attempts on one socket").isEqualTo(1);
        assertThat(page.thing("registered")).isEqualTo(true);
        assertThat(page.el("join-password").getAttribute("value")).as("the password is not kept").isEmpty();
        assertThat(page.js("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage)").toString())
                .doesNotContain("alice-secret-1");

        // The page is alice, by her account: a telnet alice without the password is refused.
        TelnetClient impostor = telnet("impostor");
        impostor.send("party alice");
        assertThat(impostor.nextLine()).startsWith("ERROR NOT_ALLOWED alice is registered");
    }

    @Test
    void aGuestRegistersChangesItsPasswordAndClaimsTheLobbyFromTheAccountMenu() {
        start();
        Page page = browser();
        page.create("party", "dana");
        assertThat(page.visible("account-button")).isTrue();
        page.el("account-button").click();
        page.waitFor("the account menu", () -> page.visible("register-form"));
        assertThat(page.visible("password-form")).as("a guest has no password to change").isFalse();

        page.el("reg-password").sendKeys("dana-pass-12");
        page.el("reg-password2").sendKeys("dana-pass-13");
        page.css("#register-form button[type=submit]").click();
        page.waitFor("the mismatch said", () -> !page.el("account-error").getText().isEmpty());
        assertThat(page.thing("registered")).isEqualTo(false);

        page.el("reg-password").sendKeys("dana-pass-12");
        page.el("reg-password2").sendKeys("dana-pass-12");
        page.css("#register-form button[type=submit]").click();
        page.waitForThing("window.thing.registered === true");
        page.waitForThing("window.thing.notices.some(n => n.text.startsWith('dana is registered'))");
        page.waitFor("the password form instead", () -> page.visible("password-form") && !page.visible("register-form"));
        assertThat(page.el("reg-password").getAttribute("value")).isEmpty();

        TelnetClient other = telnet("other");
        other.send("home dana");
        assertThat(other.nextLine()).startsWith("ERROR NOT_ALLOWED dana is registered");

        page.el("pw-old").sendKeys("dana-pass-12");
        page.el("pw-new").sendKeys("dana-pass-99");
        page.css("#password-form button[type=submit]").click();
        page.waitFor("the fields cleared", () -> page.el("pw-new").getAttribute("value").isEmpty());
        other.send("home dana dana-pass-12");
        assertThat(other.nextLine()).startsWith("ERROR NOT_ALLOWED wrong password for dana");
        other.send("home dana dana-pass-99");
        other.expectOkay();

        page.waitFor("the claim buttons for the admin", () -> page.visible("btn-claim"));
        page.el("btn-claim").click();
        page.waitForThing("window.thing.notices.some(n => n.text.includes('claimed party'))");
        page.el("btn-claim").click();
        page.waitFor("a second claim refused in the menu",
                () -> !page.el("account-error").getText().isEmpty());
        page.waitForThing("window.thing.notices.some(n => n.kind === 'error' && n.text.startsWith('CLAIM: '))");
    }

    @Test
    void theAdminBansFromTheMemberListSeesTheBanAndLiftsIt() {
        start();
        Page page = browser();
        page.create("party", "alice");
        TelnetClient bob = telnet("bob");
        bob.send("party bob");
        bob.expectLine("NOTIFY waiting for approval to join party");
        page.waitFor("bob waiting", () -> !page.all("#pending li[data-user=bob]").isEmpty());
        page.css("#pending li[data-user=bob] button[data-act=accept]").click();
        bob.expectOkay();
        page.waitFor("bob's ban button", () -> !page.all("#members li[data-user=bob] button[data-act=ban]").isEmpty());

        page.css("#members li[data-user=bob] button[data-act=ban]").click(); // arms it
        page.waitFor("the ban asks to be sure", () -> "Ban?".equals(
                page.css("#members li[data-user=bob] button[data-act=ban]").getText()));
        page.css("#members li[data-user=bob] button[data-act=ban]").click();
        bob.skipUntilLine("NOTIFY you were banned from party by alice");
        bob.assertClosedByServer();
        page.waitFor("bob gone from the members", () -> page.all("#members li[data-user=bob]").isEmpty());

        TelnetClient again = telnet("bob-again");
        again.send("party bob");
        again.expectLine("ERROR NOT_ALLOWED bob is banned from party");

        page.el("bans-refresh").click();
        page.waitFor("bob in the ban list", () -> !page.all("#bans li[data-user=bob]").isEmpty());
        assertThat(page.css("#bans li[data-user=bob]").getText()).contains("alice");

        page.css("#bans li[data-user=bob] button[data-act=unban]").click();
        page.waitFor("the ban list empty", () -> page.all("#bans li").isEmpty());
        // The refused connection stayed open: the same one may now ask again.
        again.send("party bob");
        again.expectLine("NOTIFY waiting for approval to join party");
    }
}
