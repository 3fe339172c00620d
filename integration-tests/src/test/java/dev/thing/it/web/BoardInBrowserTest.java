package dev.thing.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.it.TelnetClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The board on the page (RFC 6.45, 10.9): the grid follows the server, the page's clicks and drags are the right
 * BOARD SET (checked from telnet), a grid is editable only by its track's player, seats and viewers follow, the
 * loop's onsets land at start + k * beat on the AudioContext by the page's own clock mapping, ERRORs show beside
 * the grid, and a phone's width scrolls only the grid.
 */
class BoardInBrowserTest extends BrowserTestBase {
    static final String EMPTY = "0000000000000000";
    /** How close an onset must be to its server instant, as for a song's start (PlaybackInBrowserTest). */
    static final double ONSET_TOLERANCE_US = 5_000;

    /** A telnet admin alice, and the page let in as {@code user}. */
    private TelnetClient lobbyWithPage(Page page, String user) {
        TelnetClient alice = telnetAdmin("party", "alice");
        page.join("party", user);
        alice.skipUntilLine("NOTIFY " + user + " asks to join party: ACCEPT " + user + " or REJECT " + user);
        alice.okay("ACCEPT " + user);
        page.waitForThing("window.thing.view === 'lobby' && window.thing.role === 'USER'");
        page.waitFor("the board's grids", () -> page.all("#board-tracks .board-grid").size() == 2);
        return alice;
    }

    /** A plain telnet member of party, let in by alice. */
    private TelnetClient member(TelnetClient alice, String user) {
        TelnetClient c = telnet(user);
        c.send("party " + user);
        alice.skipUntilLine("NOTIFY " + user + " asks to join party: ACCEPT " + user + " or REJECT " + user);
        alice.okay("ACCEPT " + user);
        c.skipUntil(l -> l.matches("OKAY( .*)?"));
        return c;
    }

    private static WebElement cell(Page page, int track, int row, int col) {
        return page.css(".board-grid[data-track='" + track + "'] .cell[data-row='" + row + "'][data-col='" + col + "']");
    }

    private static String classes(Page page, int track, int row, int col) {
        return cell(page, track, row, col).getAttribute("class");
    }

    private static void takeSeat(Page page, TelnetClient alice, String user, int track) {
        page.css(".board-track[data-track='" + track + "'] [data-act='take-seat']").click();
        alice.skipUntil(l -> l.startsWith("NOTIFY " + user + " took seat " + track + " "));
        page.waitForThing("window.thing.board.seat === " + track
                + " && document.querySelector(\".board-grid[data-track='" + track + "']\").classList.contains('editable')");
    }

    /** The names under "Watching", sorted. */
    @SuppressWarnings("unchecked")
    private static List<String> viewers(Page page) {
        return (List<String>) page.js("return [...document.querySelectorAll('#board-viewers li')]"
                + ".map(li => li.textContent).sort()");
    }

    @Test
    void theGridFollowsATelnetPlayerAndSeatsAndViewersUpdate() {
        start();
        Page page = browser();
        TelnetClient alice = lobbyWithPage(page, "pat");
        TelnetClient bob = member(alice, "bob");
        page.waitFor("three viewers", () -> viewers(page).size() == 3);

        bob.okay("BOARD JOIN 1");
        bob.okay("BOARD SET 1 3 1234000012000000");
        page.waitForThing("window.thing.board.tracks[0].rows[2] === '1234000012000000'");
        assertThat(page.thing("board.tracks[0].player")).isEqualTo("bob");
        page.waitFor("bob off the viewers", () -> viewers(page).equals(List.of("alice", "pat")));
        assertThat(classes(page, 1, 3, 0)).contains("note", "start").doesNotContain("end");
        assertThat(classes(page, 1, 3, 3)).contains("note", "end");
        assertThat(classes(page, 1, 3, 4)).contains("rest");
        assertThat(classes(page, 1, 3, 8)).contains("note", "start");
        assertThat(classes(page, 1, 3, 9)).contains("note", "end");
        assertThat(page.css(".board-track[data-track='1'] .seat-name").getText()).isEqualTo("bob");

        // Not pat's track: read-only, a click sends nothing and changes nothing.
        assertThat(page.css(".board-grid[data-track='1']").getAttribute("class")).doesNotContain("editable");
        assertThat(page.all(".board-track[data-track='1'] [data-act='take-seat']")).isEmpty();
        assertThat(page.css(".board-track[data-track='1'] .track-instrument").isEnabled()).isFalse();
        cell(page, 1, 1, 0).click();
        assertThat(page.thingMap("board.pending")).isEmpty();
        assertThat(classes(page, 1, 1, 0)).contains("rest");
        bob.okay("BOARD SET 1 1 0000000000000001");
        page.waitForThing("window.thing.board.tracks[0].rows[0] === '0000000000000001'");
        assertThat(classes(page, 1, 1, 0)).contains("rest");

        // pat takes the other seat from the page: the telnet members see it, the viewers are now alice alone.
        takeSeat(page, alice, "pat", 2);
        bob.skipUntilLine("NOTIFY pat took seat 2 (drums)");
        page.waitFor("alice alone watching", () -> viewers(page).equals(List.of("alice")));
        assertThat(page.all("[data-act='leave-seat']")).hasSize(1);
        assertThat(page.css(".board-track[data-track='2'] .track-instrument").isEnabled()).isTrue();
        assertThat(page.css(".board-track[data-track='1'] .track-instrument").isEnabled()).isFalse();
        assertThat(page.visible("board-play")).as("players start and stop").isTrue();
        assertThat(page.visible("board-mix-box")).as("the mix is for staff").isFalse();

        // The instrument select sends BOARD INSTRUMENT; the drum rows become pitches.
        page.js("const s = document.querySelector(\".board-track[data-track='2'] .track-instrument\");"
                + "s.value = 'organ'; s.dispatchEvent(new Event('change'));");
        alice.skipUntilLine("NOTIFY pat set track 2 to organ");
        page.waitForThing("window.thing.board.tracks[1].instrument === 'organ'"
                + " && document.querySelector(\".board-grid[data-track='2'] .row-label\").textContent === 'C5'");

        page.css("[data-act='leave-seat']").click();
        alice.skipUntilLine("NOTIFY pat left seat 2");
        page.waitFor("pat watching again", () -> viewers(page).equals(List.of("alice", "pat")));
        page.waitForThing("window.thing.board.seat === 0");
        assertThat(page.visible("board-play")).as("a viewer neither starts nor stops").isFalse();
    }

    @Test
    void clicksAndDragsOnThePageSendTheRowThatTelnetSees() {
        start();
        Page page = browser();
        TelnetClient alice = lobbyWithPage(page, "pat");
        takeSeat(page, alice, "pat", 1);

        cell(page, 1, 2, 0).click();
        alice.skipUntilLine("NOTIFY pat set track 1 row 2: 1000000000000000");
        page.waitForThing("window.thing.board.tracks[0].rows[1] === '1000000000000000'");

        new Actions(page.driver()).clickAndHold(cell(page, 1, 4, 2)).moveToElement(cell(page, 1, 4, 3))
                .moveToElement(cell(page, 1, 4, 5)).release().perform();
        alice.skipUntilLine("NOTIFY pat set track 1 row 4: 0012340000000000");
        page.waitForThing("window.thing.board.tracks[0].rows[3] === '0012340000000000'");
        assertThat(classes(page, 1, 4, 5)).contains("note", "end");

        // A drag stops before the next note; a note follows another at once.
        new Actions(page.driver()).clickAndHold(cell(page, 1, 4, 0)).moveToElement(cell(page, 1, 4, 1))
                .moveToElement(cell(page, 1, 4, 9)).release().perform();
        alice.skipUntilLine("NOTIFY pat set track 1 row 4: 1212340000000000");

        // Clicking a note removes the whole note.
        cell(page, 1, 4, 4).click();
        alice.skipUntilLine("NOTIFY pat set track 1 row 4: 1200000000000000");
        page.waitForThing("window.thing.board.tracks[0].rows[3] === '1200000000000000'");
        assertThat(page.thingMap("board.pending")).isEmpty();

        // What the server has is what the page shows.
        List<String> board = alice.command("BOARD").data();
        assertThat(board).contains("ROW 1 2 1000000000000000", "ROW 1 4 1200000000000000", "ROW 1 3 " + EMPTY);
    }

    @Test
    void startSchedulesOnsetsAtStartPlusColumnTimesBeatOnTheContextClock() {
        start();
        Page page = browser();
        TelnetClient alice = lobbyWithPage(page, "pat");
        TelnetClient bob = member(alice, "bob");
        page.clockReady();
        takeSeat(page, alice, "pat", 1);
        cell(page, 1, 8, 0).click(); // C4 on beat 1
        alice.skipUntilLine("NOTIFY pat set track 1 row 8: 1000000000000000");
        new Actions(page.driver()).clickAndHold(cell(page, 1, 1, 4)).moveToElement(cell(page, 1, 1, 5))
                .release().perform(); // C5 for two beats from beat 5
        alice.skipUntilLine("NOTIFY pat set track 1 row 1: 0000120000000000");
        bob.okay("BOARD JOIN 2");
        bob.okay("BOARD SET 2 1 1000100010001000"); // the kick on every fourth beat
        alice.okay("BOARD TEMPO 240");

        alice.okay("BOARD START");
        String head = alice.command("BOARD").data().get(0);
        String[] parts = head.split(" ");
        assertThat(parts[4]).isEqualTo("PLAYING");
        long startUs = Long.parseLong(parts[5]);
        int bpm = 240;
        page.waitForThing("window.thing.board.startUs === " + startUs);

        // Two loops of 16 columns at 240 bpm are 8 s; wait for onsets of the second loop.
        // Each onset is judged by where the page's clock mapping put it at the moment it sounded (heardUs): the
        // mapping is refined while the loop plays, and a note is scheduled only LOOKAHEAD_S before it sounds.
        page.waitForThing("window.thing.board.onsets.some(o => o.step >= 20 && o.heardUs != null)");
        assertThat(page.thing("board.state")).isEqualTo("playing");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> onsets = (List<Map<String, Object>>) page.js(
                "return window.thing.board.onsets.filter(o => o.heardUs != null);");
        System.out.println("board onsets: " + onsets);
        assertThat(onsets).isNotEmpty();
        assertThat(onsets.stream().map(o -> ((Number) o.get("step")).longValue()))
                .as("the second loop's first beats have sounded")
                .contains(16L, 20L);
        for (Map<String, Object> o : onsets) {
            long step = ((Number) o.get("step")).longValue();
            long column = ((Number) o.get("column")).longValue();
            long expected = startUs + Math.floorDiv(step * 60_000_000L, bpm);
            assertThat(((Number) o.get("onsetUs")).longValue()).isEqualTo(expected);
            assertThat(Math.abs(((Number) o.get("heardUs")).doubleValue() - expected))
                    .as("onset of step %d (track %s row %s) vs start + k * beat, us", step, o.get("track"), o.get("row"))
                    .isLessThan(ONSET_TOLERANCE_US);
            int track = ((Number) o.get("track")).intValue();
            int row = ((Number) o.get("row")).intValue();
            if (track == 1) {
                assertThat(List.of(row, column)).isIn(List.of(8, 0L), List.of(1, 4L));
                assertThat(((Number) o.get("key")).intValue()).isEqualTo(row == 8 ? 60 : 72);
                assertThat(((Number) o.get("duration")).intValue()).isEqualTo(row == 8 ? 1 : 2);
            } else {
                assertThat(row).isEqualTo(1);
                assertThat(column % 4).isZero();
                assertThat(((Number) o.get("key")).intValue()).isEqualTo(36);
            }
        }
        assertThat(onsets.stream().filter(o -> ((Number) o.get("step")).longValue() == 16)).hasSize(2);
        assertThat(page.all(".board-grid .cell.now")).as("the playing column highlighted").isNotEmpty();

        // A row change is heard in a later loop.
        bob.okay("BOARD SET 2 2 0000000010000000");
        page.waitForThing("window.thing.board.onsets.some(o => o.track === 2 && o.row === 2 && o.column === 8)");

        // Mix INSTEAD mutes the song while the board plays; STOP ends the loop and gives the song back.
        alice.okay("BOARD MIX INSTEAD");
        page.waitForThing("window.thing.board.songMuted && window.thing.board.songGain === 0");
        alice.okay("BOARD STOP");
        page.waitForThing("window.thing.board.state === 'stopped' && !window.thing.board.songMuted");
        page.waitForThing("window.thing.board.songGain === 1");
        page.waitForThing("document.querySelectorAll('.board-grid .cell.now').length === 0");
        assertThat(page.el("board-play").getText()).isEqualTo("Start");
    }

    @Test
    void anErrorIsShownBesideTheGridAndTheRowRestored() {
        start();
        Page page = browser();
        TelnetClient alice = lobbyWithPage(page, "pat");
        takeSeat(page, alice, "pat", 1);
        cell(page, 1, 3, 0).click();
        alice.skipUntilLine("NOTIFY pat set track 1 row 3: 1000000000000000");

        page.el("board-bpm").clear();
        page.el("board-bpm").sendKeys("10");
        page.css("#board-tempo-form button").click();
        page.waitFor("the tempo refused beside the grid", () -> page.el("board-error").getText()
                .equals("BOARD TEMPO: tempo must be 30..300 beats per minute, got 10"));
        page.waitFor("the tempo field back at the board's", () -> "120".equals(page.el("board-bpm").getDomProperty("value")));

        // A row the server refuses: the reason is shown and the row is the server's again.
        Object answer = page.asyncJs("const done = arguments[arguments.length - 1];"
                + "window.thing.boardSet(1, 3, '1300000000000000').then(done);");
        assertThat(String.valueOf(answer)).startsWith("cell 2 is \"3\"");
        assertThat(page.el("board-error").getText()).startsWith("Track 1 row 3: cell 2 is \"3\" but");
        assertThat(page.thing("board.tracks[0].rows[2]")).isEqualTo("1000000000000000");
        assertThat(page.thingMap("board.pending")).isEmpty();
        assertThat(classes(page, 1, 3, 1)).contains("rest").doesNotContain("pending");
        assertThat(classes(page, 1, 3, 0)).contains("note");

        // The next edit that works clears the message.
        cell(page, 1, 3, 2).click();
        alice.skipUntilLine("NOTIFY pat set track 1 row 3: 1010000000000000");
        page.waitFor("the error cleared", () -> page.el("board-error").getText().isEmpty());
    }

    @Test
    void staffGetTheMixAndClearBothTracksWithoutASeat() {
        start();
        Page page = browser();
        page.create("jam", "ann");
        page.waitFor("the board's grids", () -> page.all("#board-tracks .board-grid").size() == 2);
        page.waitFor("the mix for staff", () -> page.visible("board-mix-box"));
        assertThat(page.visible("board-tempo-form")).isTrue();
        assertThat(page.el("board-clear").getText()).isEqualTo("Clear both tracks");
        page.js("const s = document.getElementById('board-mix'); s.value = 'INSTEAD';"
                + "s.dispatchEvent(new Event('change'));");
        page.waitForThing("window.thing.board.mix === 'INSTEAD'");
        page.el("board-columns").clear();
        page.el("board-columns").sendKeys("8");
        page.el("board-rows").clear();
        page.el("board-rows").sendKeys("4");
        page.css("#board-size-form button").click();
        page.waitForThing("window.thing.board.columns === 8 && window.thing.board.rows === 4"
                + " && document.querySelectorAll(\".board-grid[data-track='1'] .cell\").length === 32");
        page.el("board-play").click();
        page.waitForThing("window.thing.board.playing && window.thing.board.songMuted");
        page.waitFor("the Stop button", () -> page.el("board-play").getText().equals("Stop"));
        page.el("board-play").click();
        page.waitForThing("!window.thing.board.playing && window.thing.board.state === 'stopped'");
        assertThat(page.el("board-error").getText()).isEmpty();
    }

    @Test
    void atAPhonesWidthOnlyTheGridScrollsSideways() {
        start();
        Page page = browser();
        TelnetClient alice = lobbyWithPage(page, "pat");
        page.resize(375, 800);
        alice.okay("BOARD SIZE 64 16");
        page.waitForThing("document.querySelectorAll(\".board-grid[data-track='1'] .cell\").length === 1024");
        takeSeat(page, alice, "pat", 1);
        long[] w = page.widths();
        assertThat(w[1]).as("page scroll width vs its width").isLessThanOrEqualTo(w[0]);
        assertThat(w[2]).isLessThanOrEqualTo(w[0]);
        Object inner = page.js("const s = document.querySelector(\".board-track[data-track='1'] .board-scroll\");"
                + "return [s.clientWidth, s.scrollWidth];");
        @SuppressWarnings("unchecked")
        List<Number> sizes = (List<Number>) inner;
        assertThat(sizes.get(1).longValue()).as("the grid scrolls inside its card").isGreaterThan(sizes.get(0).longValue());
        assertThat(sizes.get(0).longValue()).isLessThanOrEqualTo(w[0]);

        // Still playable there: a tap places a note.
        page.js("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", cell(page, 1, 16, 40));
        cell(page, 1, 16, 40).click();
        alice.skipUntil(l -> l.startsWith("NOTIFY pat set track 1 row 16: ") && l.charAt(l.length() - 24) == '1');
        page.screenshot("board-phone");
        assertThat(page.widths()[1]).isLessThanOrEqualTo(page.widths()[0]);
    }
}
