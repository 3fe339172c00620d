package dev.thing.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.it.TelnetClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

/** The admin's library work from the page: uploads with progress, a cancelled upload, tag edits, sort and filter. */
class LibraryInBrowserTest extends BrowserTestBase {

    /** The page creates "party"; a telnet bob asks to join and the page's Accept button lets him in. */
    private TelnetClient adminPageWithTelnetMember(Page page) {
        page.create("party", "alice");
        TelnetClient bob = telnet("bob");
        bob.send("party bob");
        bob.expectLine("NOTIFY waiting for approval to join party");
        page.waitFor("bob waiting on the page", () -> !page.all("#pending li[data-user=bob]").isEmpty());
        page.css("#pending li[data-user=bob] button[data-act=accept]").click();
        bob.expectJoinOkay();
        bob.expectLine("NOTIFY bob joined party");
        return bob;
    }

    /** Records every value the upload's progress bar takes, from now on. */
    private static void recordProgress(Page page) {
        page.js("window.__progress = []; const bar = document.getElementById('upload-progress');"
                + "new MutationObserver(() => window.__progress.push([+bar.value, +bar.max]))"
                + ".observe(bar, {attributes: true});");
    }

    private List<String> storedMp3s() throws IOException {
        try (Stream<Path> s = Files.list(server.library().folder())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mp3")).toList();
        }
    }

    @Test
    void anUploadFromThePageShowsItsProgressAndReachesEveryone() throws IOException {
        start();
        Page page = browser();
        TelnetClient bob = adminPageWithTelnetMember(page);
        assertThat(page.visible("upload-card")).isTrue();

        recordProgress(page);
        Path file = fixtureFile("click-track-30s.mp3");
        assertThat(page.upload(file, "Click Track")).isEqualTo("stored");

        @SuppressWarnings("unchecked")
        List<List<Number>> progress = (List<List<Number>>) page.js("return window.__progress");
        long total = Files.size(file);
        assertThat(progress).as("progress bar values").isNotEmpty();
        assertThat(progress).anySatisfy(v -> assertThat(v.get(0).longValue()).isStrictlyBetween(0L, total));
        assertThat(progress.get(progress.size() - 1).get(0).longValue()).isEqualTo(total);
        assertThat(progress).allSatisfy(v -> assertThat(v.get(1).longValue()).isEqualTo(total));

        bob.skipUntil(l -> l.startsWith("UPDATE \"Click Track\" "));
        TelnetClient.Reply list = bob.command("LIST");
        assertThat(list.data()).anySatisfy(l -> assertThat(l).startsWith("SONG 1 \"Click Track\" "));
        page.waitFor("the song in the page's library",
                () -> !page.all("#library tbody tr[data-title='Click Track']").isEmpty());
        assertThat(storedMp3s()).hasSize(1);
        // The uploader keeps its own copy for playing: nothing to fetch later.
        page.waitFor("the upload in the page's cache", () -> ((Number) page.asyncJs(
                "const done = arguments[arguments.length - 1]; window.thing.cache().then(s => done(s.songs));"))
                .intValue() == 1);
    }

    /** Drops a file on the page's upload box, as a drag from the desktop would. */
    private static void dropFile(Page page, String name, byte[] bytes) {
        page.js("const bin = atob(arguments[0]); const u8 = new Uint8Array(bin.length);"
                + "for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);"
                + "const dt = new DataTransfer(); dt.items.add(new File([u8], arguments[1]));"
                + "const drop = document.getElementById('drop');"
                + "for (const type of ['dragenter', 'dragover', 'drop'])"
                + "  drop.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true}));",
                java.util.Base64.getEncoder().encodeToString(bytes), name);
    }

    @Test
    void aSongDroppedOnTheUploadBoxIsUploaded() {
        start();
        Page page = browser();
        page.create("party", "alice");
        dropFile(page, "notes.txt", "not a song".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        page.waitForThing("window.thing.notices.some(n => n.kind === 'error' && n.text === 'Drop an MP3 file')");
        assertThat(page.el("upload-button").isEnabled()).isFalse();

        dropFile(page, "Dropped_Song.mp3", fixture("sine-440-3s.mp3"));
        page.waitFor("the title taken from the file name",
                () -> "Dropped Song".equals(page.el("up-title").getDomProperty("value")));
        page.js("window.__uploadsBefore = window.thing.lastUpload;");
        page.el("upload-button").click();
        page.waitForThing("window.thing.lastUpload && window.thing.lastUpload !== window.__uploadsBefore");
        assertThat(page.thing("lastUpload.outcome")).isEqualTo("stored");
        page.waitFor("the song listed", () -> !page.all("#library tbody tr[data-title='Dropped Song']").isEmpty());
    }

    @Test
    void aCancelledUploadStoresNothing() throws IOException {
        start();
        Page page = browser();
        TelnetClient bob = adminPageWithTelnetMember(page);
        // Press Cancel as soon as the bar first moves: the rest of the file is never sent.
        page.js("const bar = document.getElementById('upload-progress');"
                + "const o = new MutationObserver(() => { if (+bar.value > 0) { o.disconnect();"
                + " window.__cancelledAt = +bar.value; document.getElementById('upload-cancel').click(); } });"
                + "o.observe(bar, {attributes: true});");
        Path file = fixtureFile("long-sweep-180s.mp3");
        assertThat(page.upload(file, "Long Sweep")).isEqualTo("ABORTED");

        long cancelledAt = ((Number) page.js("return window.__cancelledAt")).longValue();
        assertThat(cancelledAt).isStrictlyBetween(0L, Files.size(file));
        page.waitForThing("window.thing.notices.some(n => n.text === 'Upload of Long Sweep cancelled')");
        assertThat(page.visible("upload-status")).isFalse();
        assertThat(bob.command("LIST").data()).isEmpty();
        assertThat(storedMp3s()).isEmpty();

        // The connection is still in step: the next upload of the same title goes through.
        assertThat(page.upload(fixtureFile("sine-440-3s.mp3"), "Long Sweep")).isEqualTo("stored");
        assertThat(bob.command("LIST").data()).singleElement().asString().startsWith("SONG 1 \"Long Sweep\" ");
    }

    @Test
    void anUploadTheServerRefusesSaysWhy() {
        start();
        Page page = browser();
        page.create("party", "alice");
        assertThat(page.upload(fixtureFile("not-an-mp3.mp3"), "Noise")).isEqualTo("BAD_AUDIO");
        page.waitForThing("window.thing.notices.some(n => n.kind === 'error' && n.text.startsWith('Upload of Noise failed'))");
        assertThat(page.thing("library")).asList().isEmpty();
    }

    @Test
    void theAdminEditsATagInlineAndEveryoneGetsTheUpdate() {
        start();
        Page page = browser();
        TelnetClient bob = adminPageWithTelnetMember(page);
        assertThat(page.upload(fixtureFile("sine-440-3s.mp3"), "Sine")).isEqualTo("stored");
        page.waitFor("the song listed", () -> !page.all("#library tbody tr[data-title=Sine]").isEmpty());
        bob.skipUntil(l -> l.startsWith("UPDATE Sine "));

        page.css("#library tbody tr[data-title=Sine] td[data-field=artist]").click();
        var input = page.css("#library tbody tr[data-title=Sine] td[data-field=artist] input");
        // (WebDriver's clear() would blur the field, which saves it: select and type over instead.)
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), "The Testers\n");
        bob.skipUntil(l -> l.startsWith("UPDATE Sine \"The Testers\" "));
        assertThat(bob.command("LIST").data()).singleElement().asString().startsWith("SONG 1 Sine \"The Testers\" ");
        page.waitFor("the new artist in the table", () -> "The Testers".equals(
                page.css("#library tbody tr[data-title=Sine] td[data-field=artist]").getText()));

        // Genre too (the file said Ambient), and Escape leaves a value as it was.
        page.css("#library tbody tr[data-title=Sine] td[data-field=tag1]").click();
        var genre = page.css("#library tbody tr[data-title=Sine] td[data-field=tag1] input");
        genre.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Drone\n");
        bob.skipUntil(l -> l.startsWith("UPDATE Sine \"The Testers\" Drone "));
        page.css("#library tbody tr[data-title=Sine] td[data-field=tag2]").click();
        var comment = page.css("#library tbody tr[data-title=Sine] td[data-field=tag2] input");
        comment.sendKeys("not this" + Keys.ESCAPE);
        assertThat(bob.command("LIST").data()).singleElement().asString()
                .startsWith("SONG 1 Sine \"The Testers\" Drone ");
    }

    @Test
    void aUserCannotEditTags() {
        start();
        TelnetClient alice = telnetAdmin("party", "alice");
        assertThat(alice.upload("Sine", fixture("sine-440-3s.mp3"))).isEqualTo("OKAY 1");
        Page page = browser();
        page.join("party", "bob");
        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        alice.send("ACCEPT bob");
        page.waitForThing("window.thing.view === 'lobby' && window.thing.library.length === 1");
        page.waitFor("the row", () -> !page.all("#library tbody tr[data-title=Sine]").isEmpty());
        assertThat(page.all("#library td.editable")).isEmpty();
        assertThat(page.all("#library button[data-act=play]")).isEmpty();
        assertThat(page.all("#library button[data-act=request]")).hasSize(1);
    }

    @Test
    void theLibrarySortsAndFilters() {
        start();
        TelnetClient alice = telnetAdmin("party", "alice");
        assertThat(alice.upload("Bravo", fixture("sine-440-3s.mp3"), "Zed")).isEqualTo("OKAY 1");
        assertThat(alice.upload("Alpha", fixture("notags-2s.mp3"), "Yan")).isEqualTo("OKAY 2");
        assertThat(alice.upload("Charlie", fixture("chirp-5s-vbr.mp3"), "Abe")).isEqualTo("OKAY 3");
        Page page = browser();
        page.join("party", "bob");
        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        alice.send("ACCEPT bob");
        page.waitFor("three rows", () -> page.all("#library tbody tr").size() == 3);

        assertThat(titles(page)).containsExactly("Bravo", "Alpha", "Charlie"); // by id
        page.css("#library th[data-sort=title]").click();
        assertThat(titles(page)).containsExactly("Alpha", "Bravo", "Charlie");
        page.css("#library th[data-sort=title]").click();
        assertThat(titles(page)).containsExactly("Charlie", "Bravo", "Alpha");
        page.css("#library th[data-sort=artist]").click();
        assertThat(titles(page)).containsExactly("Charlie", "Alpha", "Bravo");
        page.css("#library th[data-sort=durationMs]").click();
        assertThat(titles(page)).containsExactly("Alpha", "Bravo", "Charlie");

        page.el("filter").sendKeys("zed");
        assertThat(titles(page)).containsExactly("Bravo");
        page.el("filter").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE, "#3");
        assertThat(titles(page)).containsExactly("Charlie");
    }

    private static List<String> titles(Page page) {
        return page.all("#library tbody tr").stream().map(r -> r.getAttribute("data-title")).toList();
    }
}
