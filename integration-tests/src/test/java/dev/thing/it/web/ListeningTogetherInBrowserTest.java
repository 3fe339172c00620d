package dev.thing.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.it.TelnetClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** Skip votes, the queue's editing and RENAME from the page (RFC 6.33-6.37), checked from telnet. */
class ListeningTogetherInBrowserTest extends BrowserTestBase {

    /** A telnet admin alice with the given songs; the page joins as {@code user} and alice accepts it. */
    private TelnetClient telnetLobbyWithPage(Page page, String user, String... songs) {
        TelnetClient alice = telnetAdmin("party", "alice");
        for (String s : songs) {
            String file = switch (s) {
                case "Click" -> "click-track-30s.mp3";
                case "Sweep" -> "long-sweep-180s.mp3";
                case "Sine" -> "sine-440-3s.mp3";
                case "Chirp" -> "chirp-5s-vbr.mp3";
                default -> throw new IllegalArgumentException(s);
            };
            assertThat(alice.upload(s, fixture(file))).startsWith("OKAY ");
        }
        page.join("party", user);
        alice.skipUntilLine("NOTIFY " + user + " asks to join party: ACCEPT " + user + " or REJECT " + user);
        alice.okay("ACCEPT " + user);
        page.waitForThing("window.thing.view === 'lobby' && window.thing.role === 'USER'");
        page.waitFor("the library", () -> page.all("#library tbody tr").size() == songs.length);
        return alice;
    }

    private static List<String> queueOf(TelnetClient c) {
        return c.command("QUEUE").data();
    }

    @Test
    void aVoteFromThePageAndOneFromTelnetSkipTheSongAndTheCountIsShown() {
        start();
        Page page = browser();
        TelnetClient alice = telnetLobbyWithPage(page, "pat", "Sweep");
        TelnetClient bob = telnet("bob");
        bob.send("party bob");
        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        alice.okay("ACCEPT bob");
        bob.skipUntil(l -> l.matches("OKAY( .*)?"));
        page.waitFor("three members on the page", () -> page.all("#members li").size() == 3);
        assertThat(page.visible("votes-box")).as("nothing plays: no vote").isFalse();

        alice.okay("PLAY Sweep");
        page.waitFor("the vote button", () -> page.visible("btn-vote"));
        assertThat(page.el("btn-vote").getText()).isEqualTo("Vote to skip");
        assertThat(page.visible("voteshare-form")).as("the share is for staff").isFalse();

        page.el("btn-vote").click();
        // Three members present: more than half is two votes.
        bob.skipUntilLine("NOTIFY pat votes to skip Sweep (1 of 2 votes needed; VOTE SKIP to agree)");
        page.waitFor("the count on the page", () -> page.el("vote-count").getText().equals("1 of 2 votes to skip"));
        page.waitFor("the button says it voted", () -> !page.el("btn-vote").isEnabled());

        bob.send("VOTE SKIP");
        bob.skipUntilLine("STOP");
        bob.skipUntilLine("NOTIFY the lobby voted to skip Sweep (2 of 3 members)");
        page.waitForThing("window.thing.playback.state === 'stopped'");
        page.waitFor("no vote while nothing plays", () -> !page.visible("votes-box"));
        assertThat(page.thing("votes")).isNull();
    }

    @Test
    void staffSetTheVoteShareFromThePage() {
        start();
        Page page = browser();
        TelnetClient alice = telnetLobbyWithPage(page, "mod", "Sweep");
        alice.okay("PROMOTE mod");
        alice.okay("PLAY Sweep");
        page.waitForThing("window.thing.role === 'MODERATOR'");
        page.waitFor("the share control", () -> page.visible("voteshare-form"));
        page.waitFor("the share read from the server", () -> "50".equals(page.el("voteshare").getAttribute("value")));

        WebElement box = page.el("voteshare");
        box.clear();
        box.sendKeys("0");
        box.sendKeys(Keys.ENTER);
        alice.skipUntil(l -> l.startsWith("NOTIFY mod set the skip vote share to 0%"));
        assertThat(alice.command("VOTESHARE").data()).containsExactly("VOTESHARE 0");
        page.waitForThing("window.thing.voteShare === 0");

        // A share out of range is the server's ERROR, shown as a toast; the share stays.
        box.clear();
        box.sendKeys("100");
        page.js("document.getElementById('voteshare').removeAttribute('max');"); // past the form's own check
        box.sendKeys(Keys.ENTER);
        page.waitForThing("window.thing.notices.some(n => n.kind === 'error' && n.text.startsWith('VOTESHARE: '))");
        assertThat(alice.command("VOTESHARE").data()).containsExactly("VOTESHARE 0");
    }

    @Test
    void thePagesQueueFollowsTelnetRequestsAsTheyArePushed() {
        start();
        Page page = browser();
        TelnetClient alice = telnetLobbyWithPage(page, "pat", "Sweep", "Click", "Sine");
        alice.okay("PLAY Sweep");
        page.waitForThing("window.thing.queuePushes >= 1"); // the whole (empty) queue, on entering the lobby
        long pushes = ((Number) page.thing("queuePushes")).longValue();

        // The page's safety poll is 30 s apart: what shows up sooner came pushed (EVENT ENTRY / EVENT QUEUE).
        alice.okay("REQUEST Click");
        page.waitFor("Click on the page's queue", () -> page.all("#queue li[data-title=Click]").size() == 1);
        alice.okay("REQUEST Sine");
        page.waitFor("Sine after it", () -> page.all("#queue li").size() == 2
                && "Sine".equals(page.all("#queue li").get(1).getAttribute("data-title")));
        alice.okay("SKIP"); // Click leaves the queue to play
        page.waitFor("Sine moved up", () -> page.all("#queue li").size() == 1
                && "1.".equals(page.css("#queue li[data-title=Sine] .q-n").getText()));
        assertThat(((Number) page.thing("queuePushes")).longValue()).as("one push per change")
                .isEqualTo(pushes + 3);
        assertThat(page.thing("queue.map(q => q.title + ' ' + q.n + ' ' + q.by).join()")).isEqualTo("Sine 1 alice");
    }

    @Test
    void aUserTakesItsOwnEntryOffTheQueueAndStaffMoveAndRemoveAny() {
        start();
        Page page = browser();
        TelnetClient alice = telnetLobbyWithPage(page, "pat", "Sweep", "Click", "Sine", "Chirp");
        alice.okay("PLAY Sweep");
        alice.okay("REQUEST Click");
        alice.okay("REQUEST Sine");
        page.css("#library tbody tr[data-title=Chirp] button[data-act=request]").click();
        alice.skipUntilLine("NOTIFY pat queued Chirp");
        page.waitFor("three entries", () -> page.all("#queue li").size() == 3);
        // Position and requester are shown; a USER may remove only its own entry and moves nothing.
        WebElement mine = page.css("#queue li[data-title=Chirp]");
        assertThat(mine.getText()).contains("pat");
        assertThat(page.all("#queue li[data-title=Click] button")).isEmpty();
        assertThat(page.all("#queue li button[data-act=up], #queue li button[data-act=down]")).isEmpty();
        assertThat(page.all("#queue li .q-n").stream().map(WebElement::getText).toList())
                .containsExactly("1.", "2.", "3.");

        page.clickCss("#queue li[data-title=Chirp] button[data-act=unqueue]");
        alice.skipUntilLine("NOTIFY pat took Chirp off the queue");
        assertThat(queueOf(alice)).containsExactly("ENTRY 1 2 Click alice", "ENTRY 2 3 Sine alice");
        page.waitFor("Chirp gone from the page's queue", () -> page.all("#queue li[data-title=Chirp]").isEmpty());

        alice.okay("PROMOTE pat");
        page.waitForThing("window.thing.role === 'MODERATOR'");
        page.waitFor("move buttons for staff", () -> !page.all("#queue li[data-title=Sine] button[data-act=up]").isEmpty());
        page.clickCss("#queue li[data-title=Sine] button[data-act=up]");
        alice.skipUntilLine("NOTIFY pat moved Sine to position 1 of the queue");
        assertThat(queueOf(alice)).containsExactly("ENTRY 1 3 Sine alice", "ENTRY 2 2 Click alice");
        page.waitFor("the page's queue in the new order", () -> page.all("#queue li").size() == 2
                && "Sine".equals(page.all("#queue li").get(0).getAttribute("data-title")));

        page.clickCss("#queue li[data-title=Sine] button[data-act=down]");
        alice.skipUntilLine("NOTIFY pat moved Sine to position 2 of the queue");
        assertThat(queueOf(alice)).containsExactly("ENTRY 1 2 Click alice", "ENTRY 2 3 Sine alice");

        page.clickCss("#queue li[data-title=Click] button[data-act=unqueue]");
        alice.skipUntilLine("NOTIFY pat took Click off the queue (queued by alice)");
        assertThat(queueOf(alice)).containsExactly("ENTRY 1 3 Sine alice");
        page.waitFor("one entry left on the page", () -> page.all("#queue li").size() == 1);
        assertThat(page.css("#queue li .q-n").getText()).isEqualTo("1.");
    }

    @Test
    void theUploaderRenamesASongInTheLibraryAndEveryoneFollows() {
        start();
        Page page = browser();
        page.create("party", "alice");
        TelnetClient bob = telnet("bob");
        bob.send("party bob");
        page.waitFor("bob waiting", () -> !page.all("#pending li[data-user=bob]").isEmpty());
        page.css("#pending li[data-user=bob] button[data-act=accept]").click();
        bob.skipUntil(l -> l.matches("OKAY( .*)?"));
        bob.okay("CAP EVENTS");
        assertThat(page.upload(fixtureFile("click-track-30s.mp3"), "Clik")).isEqualTo("stored");
        page.waitFor("the song listed", () -> !page.all("#library tbody tr[data-title=Clik]").isEmpty());
        bob.okay("REQUEST Clik");
        page.waitFor("the song playing", () -> "Clik".equals(page.el("now-title").getText()));

        page.css("#library tbody tr[data-title=Clik] td.col-title").click();
        WebElement input = page.css("#library tbody tr[data-title=Clik] td.col-title input");
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Click Track", Keys.ENTER);
        bob.skipUntilLine("EVENT RENAMED Clik \"Click Track\"");
        bob.skipUntil(l -> l.startsWith("UPDATE \"Click Track\" "));
        page.waitFor("the library under the new title", () -> page.all("#library tbody tr[data-title=Clik]").isEmpty()
                && page.all("#library tbody tr[data-title='Click Track']").size() == 1);
        assertThat(page.all("#library tbody tr")).as("the same song, not a new one").hasSize(1);
        assertThat(page.css("#library tbody tr[data-title='Click Track'] td.col-id").getAttribute("textContent"))
                .isEqualTo("1");
        page.waitFor("now playing renamed", () -> "Click Track".equals(page.el("now-title").getText()));
        assertThat(bob.command("LIST").data().stream().filter(l -> l.startsWith("SONG ")).toList()).singleElement()
                .satisfies(l -> assertThat(l).startsWith("SONG 1 \"Click Track\" "));
    }
}
