package dev.thing.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.it.TelnetClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Synchronised playback in the page: a PLAY from telnet, a late joiner, and the browser's autoplay rule. The page
 * exposes what it scheduled on {@code window.thing.playback}: the AudioContext time its source starts at, mapped
 * back to server time through the page's clock sync and the context's output timestamp, must name the PLAY's
 * start instant.
 */
class PlaybackInBrowserTest extends BrowserTestBase {
    /** How close the page's scheduled start must be to the server's instant (the bound). */
    static final long START_TOLERANCE_US = 5_000;

    /** The telnet admin's "PLAY <title> <start-us> <position-ms>" line, read past anything else. */
    private static long[] playEvent(TelnetClient admin, String title) {
        String line = admin.skipUntil(l -> l.startsWith("PLAY " + title + " "));
        String[] parts = line.split(" ");
        return new long[] {Long.parseLong(parts[parts.length - 2]), Long.parseLong(parts[parts.length - 1])};
    }

    /** The server instant at which the page's song is at the PLAY's position, by the page's own mapping. */
    private static double impliedStartUs(Page page) {
        return ((Number) page.js("const s = window.thing.playback.scheduled;"
                + "return window.thing.ctxTimeToServerUs(s.ctxTime) - (s.positionS - s.eventPositionMs / 1000) * 1e6;"))
                .doubleValue();
    }

    private Page acceptedPage(TelnetClient alice, boolean autoplay) {
        Page page = browser(autoplay);
        page.join("party", "bob");
        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        alice.send("ACCEPT bob");
        alice.skipUntilLine("OKAY");
        page.waitForThing("window.thing.view === 'lobby'");
        return page;
    }

    @Test
    void aPlayFromTelnetStartsThePageAtTheServersInstant() {
        start();
        TelnetClient alice = telnetAdmin("party", "alice");
        Page page = acceptedPage(alice, true);
        page.clockReady();
        assertThat(alice.upload("Click", fixture("click-track-30s.mp3"))).isEqualTo("OKAY 1");
        // The upload is pushed to the page (CAP SONGS), which keeps it: the PLAY needs no download.
        page.waitFor("the pushed song cached", () -> ((Number) page.asyncJs(
                "const done = arguments[arguments.length - 1]; window.thing.cache().then(s => done(s.songs));"))
                .intValue() == 1);

        alice.send("PLAY Click");
        long[] play = playEvent(alice, "Click");
        alice.skipUntilLine("OKAY");

        page.waitForThing("window.thing.playback.state === 'playing' && window.thing.playback.scheduled");
        Map<String, Object> scheduled = page.thingMap("playback.scheduled");
        System.out.println("page playback: " + page.js("return JSON.stringify(window.thing.playback)"));
        assertThat(((Number) scheduled.get("eventStartUs")).longValue()).isEqualTo(play[0]);
        assertThat(scheduled.get("late")).as("scheduled ahead of the instant, not late: %s", page.thing("playback")).isEqualTo(false);
        assertThat(((Number) scheduled.get("positionS")).doubleValue()).isEqualTo(0.0);
        assertThat(Math.abs(impliedStartUs(page) - play[0])).as("scheduled start vs PLAY start, us")
                .isLessThan((double) START_TOLERANCE_US);
        assertThat(Math.abs(((Number) scheduled.get("impliedStartUs")).doubleValue() - play[0]))
                .isLessThan((double) START_TOLERANCE_US);

        // Server and browser share this machine's clock: the measured offset is small, the RTT tiny.
        Map<String, Object> clock = page.thingMap("clock");
        assertThat(Math.abs(((Number) clock.get("offsetMs")).doubleValue())).isLessThan(20.0);
        assertThat(((Number) clock.get("bestRttMs")).doubleValue()).isLessThan(50.0);
        assertThat(page.thing("playback.contextState")).isEqualTo("running");
        page.waitFor("the position bar moving", () -> !"0:00".equals(page.el("pos-now").getText()));
        assertThat(page.el("now-title").getText()).isEqualTo("Click");
        assertThat(page.el("pos-len").getText()).isEqualTo("0:30");
    }

    @Test
    void aLateJoinerStartsWhereTheSongIsNow() {
        start();
        TelnetClient alice = telnetAdmin("party", "alice");
        assertThat(alice.upload("Click", fixture("click-track-30s.mp3"))).isEqualTo("OKAY 1");
        Page page = browser(true);
        page.join("party", "bob");
        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        alice.send("PLAY Click");
        long[] play = playEvent(alice, "Click");
        alice.skipUntilLine("OKAY");
        // Let the song get a second in before bob is let in.
        long wanted = play[0] + 1_000_000;
        assertEventually("the song a second in", () -> serverTimeUs(alice) > wanted);
        alice.send("ACCEPT bob");
        alice.skipUntilLine("OKAY");

        page.waitForThing("window.thing.playback.state === 'playing' && window.thing.playback.scheduled");
        Map<String, Object> scheduled = page.thingMap("playback.scheduled");
        assertThat(((Number) scheduled.get("eventStartUs")).longValue()).isEqualTo(play[0]);
        assertThat(scheduled.get("late")).isEqualTo(true);
        assertThat(((Number) scheduled.get("positionS")).doubleValue()).isGreaterThan(1.0).isLessThan(30.0);
        assertThat(Math.abs(impliedStartUs(page) - play[0])).as("implied start vs PLAY start, us")
                .isLessThan((double) START_TOLERANCE_US);
        // It fetched the song once and kept it.
        Object cached = page.asyncJs("const done = arguments[arguments.length - 1];"
                + "window.thing.cache().then(s => done(s.songs));");
        assertThat(((Number) cached).intValue()).isEqualTo(1);
    }

    @Test
    void withoutAGestureThePageAsksForSoundAndStartsInPlaceOnceAllowed() {
        start();
        TelnetClient alice = telnetAdmin("party", "alice");
        assertThat(alice.upload("Click", fixture("click-track-30s.mp3"))).isEqualTo("OKAY 1");
        Page page = acceptedPage(alice, false);
        page.clockReady();
        assertThat(page.visible("enable-sound")).as("the Enable sound button").isTrue();
        assertThat(page.thing("playback.contextState")).isEqualTo("suspended");

        alice.send("PLAY Click");
        long[] play = playEvent(alice, "Click");
        alice.skipUntilLine("OKAY");
        page.waitForThing("window.thing.playback.state === 'needs-sound'");
        assertThat(page.el("now-sub").getText()).contains("enable sound");
        assertThat(page.el("enable-sound").getAttribute("class")).contains("pulse");

        page.el("enable-sound").click();
        page.waitForThing("window.thing.playback.state === 'playing' && window.thing.playback.scheduled");
        assertThat(page.thing("playback.contextState")).isEqualTo("running");
        assertThat(page.visible("enable-sound")).isFalse();
        assertThat(Math.abs(impliedStartUs(page) - play[0])).isLessThan((double) START_TOLERANCE_US);
    }

    @Test
    void pauseAndStopFromTelnetStopThePage() {
        start();
        TelnetClient alice = telnetAdmin("party", "alice");
        assertThat(alice.upload("Click", fixture("click-track-30s.mp3"))).isEqualTo("OKAY 1");
        Page page = acceptedPage(alice, true);
        alice.send("PLAY Click");
        playEvent(alice, "Click");
        alice.skipUntilLine("OKAY");
        page.waitForThing("window.thing.playback.state === 'playing'");

        alice.send("PAUSE");
        String pause = alice.skipUntil(l -> l.startsWith("PAUSE Click "));
        alice.skipUntilLine("OKAY");
        page.waitForThing("window.thing.playback.state === 'paused'");
        long pausedAt = Long.parseLong(pause.substring(pause.lastIndexOf(' ') + 1));
        assertThat(((Number) page.thing("playback.event.positionMs")).longValue()).isEqualTo(pausedAt);
        // The page says who acted (EVENT BY before the PAUSE line, RFC 10.1), as telnet is told in a NOTIFY.
        String paused = "alice paused Click at " + String.format("%d:%02d", pausedAt / 60_000, pausedAt / 1000 % 60);
        page.waitFor("the who-acted notice", () -> noticeTexts(page).contains(paused));

        alice.send("STOP");
        alice.skipUntilLine("STOP");
        alice.skipUntilLine("NOTIFY alice stopped Click");
        page.waitForThing("window.thing.playback.state === 'stopped'");
        assertThat(page.el("now-title").getText()).isEqualTo("Nothing playing");
        page.waitFor("the stop's notice", () -> noticeTexts(page).contains("alice stopped Click"));
    }

    @SuppressWarnings("unchecked")
    private static java.util.List<String> noticeTexts(Page page) {
        return ((java.util.List<java.util.Map<String, Object>>) page.js("return window.thing.notices")).stream()
                .map(n -> String.valueOf(n.get("text"))).toList();
    }

    private static long serverTimeUs(TelnetClient c) {
        TelnetClient.Reply r = c.command("TIME");
        String line = r.data().get(0);
        return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
    }
}
