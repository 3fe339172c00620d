package dev.thing.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.it.TelnetClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The home page, joining, waiting for approval, and what the page shows when it is refused or the server stops. */
class HomeAndJoinInBrowserTest extends BrowserTestBase {

    private static String lobbyCell(Page page, String lobby, int column) {
        return String.valueOf(page.js("const r = document.querySelector('#lobbies tr[data-lobby=\"' + arguments[0]"
                + " + '\"]'); return r ? r.cells[arguments[1]].textContent : null;", lobby, column));
    }

    @Test
    void theHomePageListsLobbiesAndKeepsTheirCountsLive() {
        start();
        TelnetClient alice = telnetAdmin("party", "alice");
        telnetAdmin("study-hall", "dana");
        Page page = browser();

        page.waitFor("both lobbies listed", () -> "1".equals(lobbyCell(page, "party", 1))
                && "1".equals(lobbyCell(page, "study-hall", 1)));
        assertThat(lobbyCell(page, "party", 2)).isEqualTo("0");

        TelnetClient bob = telnet("bob");
        bob.send("party bob");
        bob.expectLine("NOTIFY waiting for approval to join party");
        page.waitFor("party's waiting count 1", () -> "1".equals(lobbyCell(page, "party", 2)));

        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        alice.send("ACCEPT bob");
        bob.expectJoinOkay();
        page.waitFor("party with 2 members and nobody waiting",
                () -> "2".equals(lobbyCell(page, "party", 1)) && "0".equals(lobbyCell(page, "party", 2)));
    }

    @Test
    void aJoinerWaitsUntilATelnetAdminAcceptsThenSeesTheLobby() {
        start();
        TelnetClient alice = telnetAdmin("party", "alice");
        Page page = browser();
        page.join("party", "bob");

        page.waitForThing("window.thing.view === 'waiting'");
        assertThat(page.visible("cancel-wait")).isTrue();
        assertThat(page.el("waiting-text").getText()).contains("party");
        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        alice.send("ACCEPT bob");
        alice.expectLine("NOTIFY bob joined party");
        alice.expectLine("OKAY");

        page.waitForThing("window.thing.view === 'lobby' && window.thing.role === 'USER'");
        page.waitForThing("window.thing.members.length === 2");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> members = (List<Map<String, Object>>) page.thing("members");
        assertThat(members).extracting(m -> m.get("name") + " " + m.get("role"))
                .containsExactlyInAnyOrder("alice ADMIN", "bob USER");
        assertThat(page.css("#members li[data-user=alice] .badge").getText()).isEqualToIgnoringCase("admin");
        // A user sees no staff controls, no upload, no wanted list.
        assertThat(page.visible("controls")).isFalse();
        assertThat(page.visible("upload-card")).isFalse();
        assertThat(page.visible("wanted-card")).isFalse();
        // The join NOTIFY is shown as a toast, for people.
        page.waitForThing("window.thing.notices.some(n => n.text === 'bob joined party')");
    }

    @Test
    void cancellingTheWaitLeavesTheLobbyAndReturnsHome() {
        start();
        TelnetClient alice = telnetAdmin("party", "alice");
        Page page = browser();
        page.join("party", "bob");
        page.waitForThing("window.thing.view === 'waiting'");
        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");

        page.el("cancel-wait").click();
        alice.expectLine("NOTIFY bob stopped waiting to join");
        page.waitForThing("window.thing.view === 'home'");
        // The name is free again: a telnet bob may ask.
        TelnetClient bob = telnet("bob");
        bob.send("party bob");
        bob.expectLine("NOTIFY waiting for approval to join party");
    }

    @Test
    void aRefusedJoinerIsToldWhoRefusedIt() {
        start();
        TelnetClient alice = telnetAdmin("party", "alice");
        Page page = browser();
        page.join("party", "mallory");
        page.waitForThing("window.thing.view === 'waiting'");
        alice.expectLine("NOTIFY mallory asks to join party: ACCEPT mallory or REJECT mallory");
        alice.send("REJECT mallory");
        alice.expectLine("NOTIFY alice refused mallory");
        alice.expectLine("OKAY");

        page.waitForThing("window.thing.view === 'home'");
        page.waitFor("the refusal shown", () -> page.el("join-error").getText()
                .contains("your request to join party was refused by alice"));
    }

    @Test
    void aTakenNameIsRefusedOnTheForm() {
        start();
        telnetAdmin("party", "alice");
        Page page = browser();
        page.join("party", "ALICE");
        page.waitFor("the taken name shown", () -> page.el("join-error").getText().contains("already in party"));
        assertThat(page.thing("view")).isEqualTo("home");
    }

    @Test
    void aMalformedNameIsRefusedBeforeAnythingIsSent() {
        start();
        Page page = browser();
        page.join("party", "bob smith");
        page.waitFor("the rule shown", () -> page.el("join-error").getText().contains("1 to 32 letters"));
        assertThat(server.lobbies().lobbies()).isEmpty();
    }

    @Test
    void whenTheServerStopsThePageSaysSo() {
        start();
        Page page = browser();
        page.create("party", "alice");
        server.close();
        page.waitForThing("window.thing.view === 'closed'");
        assertThat(page.el("closed-reason").getText()).isEqualTo("server is shutting down");
        assertThat(page.visible("back-home")).isTrue();
        page.el("back-home").click();
        page.waitFor("home says the server cannot be reached",
                () -> page.el("home-status").getText().contains("trying again"));
    }
}
