package dev.thing.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.it.TelnetClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Running the party from the page: playback controls, roles, kicks, requests, the wanted list, the layout. */
class StaffInBrowserTest extends BrowserTestBase {

    private TelnetClient acceptFromPage(Page page, String user) {
        TelnetClient c = telnet(user);
        c.send("party " + user);
        c.expectLine("NOTIFY waiting for approval to join party");
        page.waitFor(user + " waiting on the page", () -> !page.all("#pending li[data-user=" + user + "]").isEmpty());
        page.css("#pending li[data-user=" + user + "] button[data-act=accept]").click();
        c.expectJoinOkay();
        c.expectLine("NOTIFY " + user + " joined party");
        return c;
    }

    private static long positionOf(String playLine) {
        return Long.parseLong(playLine.substring(playLine.lastIndexOf(' ') + 1));
    }

    @Test
    void theAdminRunsPlaybackFromThePage() {
        start();
        Page page = browser();
        page.create("party", "alice");
        TelnetClient bob = acceptFromPage(page, "bob");
        assertThat(page.upload(fixtureFile("click-track-30s.mp3"), "Click")).isEqualTo("stored");
        page.waitFor("the song listed", () -> !page.all("#library tbody tr[data-title=Click]").isEmpty());
        assertThat(page.visible("controls")).isTrue();

        page.css("#library tbody tr[data-title=Click] button[data-act=play]").click();
        assertThat(positionOf(bob.skipUntil(l -> l.startsWith("PLAY Click ")))).isZero();
        page.waitForThing("window.thing.playback.state === 'playing'");
        page.waitFor("the Pause button", () -> "Pause".equals(page.el("btn-pause").getText()));

        page.el("btn-pause").click();
        bob.skipUntil(l -> l.startsWith("PAUSE Click "));
        page.waitFor("the Resume button", () -> "Resume".equals(page.el("btn-pause").getText()));
        page.el("btn-pause").click();
        bob.skipUntil(l -> l.startsWith("PLAY Click "));

        // Seek to the middle through the position bar.
        page.waitFor("the bar open to staff", () -> page.el("pos-bar").isEnabled());
        page.js("const b = document.getElementById('pos-bar'); b.value = 500;"
                + "b.dispatchEvent(new Event('input')); b.dispatchEvent(new Event('change'));");
        long seekedTo = positionOf(bob.skipUntil(l -> l.startsWith("PLAY Click ")));
        assertThat(seekedTo).isBetween(14_000L, 16_000L);

        page.el("btn-stop").click();
        bob.skipUntilLine("STOP");
        page.waitForThing("window.thing.playback.state === 'stopped'");

        page.css("#library tbody tr[data-title=Click] button[data-act=play]").click();
        bob.skipUntil(l -> l.startsWith("PLAY Click "));
        page.el("btn-skip").click(); // nothing queued: the lobby stops
        bob.skipUntilLine("STOP");
    }

    @Test
    void theAdminPromotesDemotesAndKicksFromThePage() {
        start();
        Page page = browser();
        page.create("party", "alice");
        TelnetClient bob = acceptFromPage(page, "bob");
        TelnetClient carol = acceptFromPage(page, "carol");
        page.waitFor("three members", () -> page.all("#members li").size() == 3);
        // No buttons against oneself.
        assertThat(page.all("#members li[data-user=alice] button")).isEmpty();

        page.css("#members li[data-user=bob] button[data-act=promote]").click();
        bob.skipUntilLine("NOTIFY bob is now a moderator of party");
        page.waitFor("bob a moderator", () -> "moderator".equalsIgnoreCase(
                page.css("#members li[data-user=bob] .badge").getText()));

        page.css("#members li[data-user=bob] button[data-act=demote]").click();
        bob.skipUntilLine("NOTIFY bob is no longer a moderator of party");
        page.waitFor("bob a user again", () -> "user".equalsIgnoreCase(
                page.css("#members li[data-user=bob] .badge").getText()));

        page.css("#members li[data-user=carol] button[data-act=kick]").click();
        carol.skipUntilLine("NOTIFY you were kicked from party by alice");
        carol.assertClosedByServer();
        bob.skipUntilLine("NOTIFY carol was kicked from party by alice");
        page.waitFor("carol gone", () -> page.all("#members li[data-user=carol]").isEmpty());
    }

    @Test
    void aModeratorOnThePageAdmitsAndRejectsJoiners() {
        start();
        TelnetClient alice = telnetAdmin("party", "alice");
        Page page = browser();
        page.join("party", "mod");
        alice.expectLine("NOTIFY mod asks to join party: ACCEPT mod or REJECT mod");
        alice.send("ACCEPT mod");
        alice.skipUntilLine("OKAY");
        page.waitForThing("window.thing.view === 'lobby'");
        alice.send("PROMOTE mod");
        alice.skipUntilLine("OKAY");
        page.waitForThing("window.thing.role === 'MODERATOR'");
        page.waitFor("staff controls shown", () -> page.visible("controls") && page.visible("wanted-card"));
        assertThat(page.visible("upload-card")).as("only the admin uploads").isFalse();

        TelnetClient eve = telnet("eve");
        eve.send("party eve");
        eve.expectLine("NOTIFY waiting for approval to join party");
        page.waitFor("eve waiting", () -> !page.all("#pending li[data-user=eve]").isEmpty());
        page.css("#pending li[data-user=eve] button[data-act=reject]").click();
        eve.skipUntilLine("NOTIFY your request to join party was refused by mod");
        eve.assertClosedByServer();
        page.waitFor("eve no longer waiting", () -> page.all("#pending li[data-user=eve]").isEmpty());
        // A moderator may kick users but not the admin.
        assertThat(page.all("#members li[data-user=alice] button[data-act=kick]")).isEmpty();
    }

    @Test
    void requestsQueueSongsAndMissingTitlesBecomeWishes() {
        start();
        TelnetClient alice = telnetAdmin("party", "alice");
        assertThat(alice.upload("Click", fixture("click-track-30s.mp3"))).isEqualTo("OKAY 1");
        assertThat(alice.upload("Sine", fixture("sine-440-3s.mp3"))).isEqualTo("OKAY 2");
        alice.send("PLAY Click");
        alice.skipUntil(l -> l.startsWith("PLAY Click "));
        alice.skipUntilLine("OKAY");
        Page page = browser();
        page.join("party", "bob");
        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        alice.send("ACCEPT bob");
        page.waitFor("the library", () -> page.all("#library tbody tr").size() == 2);

        page.css("#library tbody tr[data-title=Sine] button[data-act=request]").click();
        alice.skipUntilLine("NOTIFY bob queued Sine");
        page.waitFor("Sine queued", () -> !page.all("#queue li[data-title=Sine]").isEmpty());
        assertThat(page.visible("queue-empty")).isFalse();

        page.el("req-title").sendKeys("Under Pressure");
        page.el("req-artist").sendKeys("Queen\n");
        alice.skipUntilLine("NOTIFY bob wants \"Under Pressure\" by Queen, which is not in the library");
        List<String> wishes = alice.command("WANTED").data();
        assertThat(wishes).containsExactly("WISH \"Under Pressure\" Queen bob party");
        page.waitForThing("window.thing.notices.some(n => n.text.includes('is now wanted'))");
    }

    @Test
    void theWantedListShowsWishesToStaffWhoMayRemoveThem() {
        start();
        Page page = browser();
        page.create("party", "alice");
        TelnetClient bob = acceptFromPage(page, "bob");
        bob.okay("REQUEST Halo Beyonce");
        page.waitFor("the wish listed", () -> !page.all("#wanted li[data-title=Halo]").isEmpty());
        assertThat(page.css("#wanted li[data-title=Halo]").getText()).contains("Beyonce").contains("bob");
        page.css("#wanted li[data-title=Halo] button[data-act=unwant]").click();
        bob.skipUntilLine("NOTIFY alice removed your wish Halo from the wanted list");
        page.waitFor("the wish gone", () -> page.all("#wanted li").isEmpty());
    }

    @Test
    void atAPhonesWidthNothingScrollsSideways() {
        start();
        Page page = browser();
        page.resize(375, 812);
        long[] home = page.widths();
        page.screenshot("home-phone");
        assertThat(home[1]).as("home page content width at 375 px").isLessThanOrEqualTo(home[0]);

        page.create("party", "alice");
        TelnetClient bob = acceptFromPage(page, "bob-with-a-rather-long-name");
        assertThat(page.upload(fixtureFile("click-track-30s.mp3"),
                "A Very Long Title That Goes On And On Without Any Mercy For Small Screens At All")).isEqualTo("stored");
        assertThat(page.upload(fixtureFile("sine-440-3s.mp3"), "Sine")).isEqualTo("stored");
        page.waitFor("two songs", () -> page.all("#library tbody tr").size() == 2);
        page.css("#library tbody tr[data-title=Sine] button[data-act=play]").click();
        page.waitForThing("window.thing.playback.state === 'playing'");
        bob.okay("REQUEST \"Some Song Nobody Has Uploaded Yet With A Long Name\" \"An Artist\"");
        page.waitFor("the wish listed", () -> !page.all("#wanted li").isEmpty());

        long[] lobby = page.widths();
        page.screenshot("lobby-phone");
        assertThat(lobby[1]).as("lobby page content width at 375 px").isLessThanOrEqualTo(lobby[0]);
        assertThat(lobby[0]).isLessThanOrEqualTo(375);

        page.resize(1280, 900);
        page.screenshot("lobby-desktop");
        long[] desktop = page.widths();
        assertThat(desktop[1]).isLessThanOrEqualTo(desktop[0]);
    }
}
