package dev.thing.it;

import static dev.thing.it.TelnetClient.quote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.AudioDigest;
import dev.thing.protocol.Tokens;
import dev.thing.server.library.Song;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.junit.jupiter.api.Test;

/** Uploads, tags, downloads and deletions through the wire, checked against the files the server keeps. */
class LibraryOverTheWireTest extends ServerTestBase {
    static final List<String> GOOD = List.of("sine-440-3s", "chirp-5s-vbr", "notags-2s", "mono-22k-1s",
            "unicode-tags", "click-track-30s", "long-sweep-180s");
    static final Map<String, Long> NOMINAL_MS = Map.of("sine-440-3s", 3000L, "chirp-5s-vbr", 5000L, "notags-2s",
            2000L, "mono-22k-1s", 1000L, "unicode-tags", 3000L, "click-track-30s", 30_000L, "long-sweep-180s",
            180_000L);

    Song song(String title) {
        try {
            return server.library().findByTitle(title).orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String update(Song s) {
        return "UPDATE " + quote(s.title()) + " " + quote(s.artist()) + " " + quote(s.tag1()) + " " + quote(s.tag2());
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Tag tagOf(Path file) {
        try {
            return AudioFileIO.read(file.toFile()).getTag();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<String> tokens(String line) {
        try {
            return Tokens.split(line);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    void assertNoTrace() {
        assertThat(storedFiles()).isEmpty();
        eventually(".incoming is empty", () -> incomingFiles().isEmpty());
    }

    /** Sends the chunks of a file, without SEND or the closing line. */
    static void chunks(TelnetClient c, byte[] data, int from, int to) {
        for (int off = from; off < to; off += 1000) {
            c.chunk(data, off, Math.min(1000, to - off));
        }
    }

    @Test
    void everyGoodFixtureIsStoredAnnouncedToEveryoneAndPushedToTheUploadersLobby() {
        start();
        TelnetClient alice = admin("party", "alice");
        TelnetClient bob = member(alice, "party", "bob");
        bob.okay("CAP SONGS");
        TelnetClient carol = admin("other", "carol");
        List<Long> ids = new ArrayList<>();
        for (String name : GOOD) {
            byte[] mp3 = fixture(name + ".mp3");
            String reply = alice.upload(name, mp3);
            assertThat(reply).as(name).matches("OKAY [0-9]+");
            ids.add(Long.parseLong(reply.substring(5)));
            Song s = song(name);
            assertThat(s.id()).isEqualTo(ids.get(ids.size() - 1));
            alice.expectLine(update(s));
            carol.expectLine(update(s));
            bob.expectLine(update(s));
            TelnetClient.Transfer pushed = bob.receiveTransfer();
            assertThat(pushed.complete()).isTrue();
            assertThat(pushed.sendLine()).startsWith("SEND " + quote(name));
            assertThat(pushed.bytes()).as(name + " pushed to bob").isEqualTo(read(s.file()));
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();

        TelnetClient.Reply list = carol.command("LIST");
        assertThat(list.last()).isEqualTo("OKAY");
        assertThat(list.data()).hasSize(GOOD.size());
        for (int i = 0; i < GOOD.size(); i++) {
            String name = GOOD.get(i);
            Song s = song(name);
            List<String> f = tokens(list.data().get(i));
            assertThat(f).hasSize(9);
            assertThat(f.get(0)).isEqualTo("SONG");
            assertThat(Long.parseLong(f.get(1))).isEqualTo(ids.get(i));
            assertThat(f.subList(2, 6)).containsExactly(name, s.artist(), s.tag1(), s.tag2());
            assertThat(Long.parseLong(f.get(6))).as(name + " duration").isCloseTo(NOMINAL_MS.get(name),
                    org.assertj.core.data.Offset.offset(100L));
            assertThat(Long.parseLong(f.get(7))).isEqualTo(read(s.file()).length);
            assertThat(f.get(8)).isEqualTo(AudioDigest.sha256Hex(read(s.file())))
                    .isEqualTo(AudioDigest.sha256Hex(fixture(name + ".mp3")));
        }
        // The fixture's own tags were kept where SEND gave none.
        assertThat(song("unicode-tags").artist()).isNotEmpty();
        assertThat(storedFiles()).hasSize(GOOD.size());
    }

    @Test
    void metadataGivenWithSendIsStoredInTheFilesTag() {
        start();
        TelnetClient alice = admin("party", "alice");
        assertThat(alice.upload("My Tune", fixture("notags-2s.mp3"), "Björk & 東京", "partytime", "late night"))
                .startsWith("OKAY ");
        alice.expectLine("UPDATE \"My Tune\" \"Björk & 東京\" partytime \"late night\"");
        Tag tag = tagOf(song("My Tune").file());
        assertThat(tag.getFirst(FieldKey.TITLE)).isEqualTo("My Tune");
        assertThat(tag.getFirst(FieldKey.ARTIST)).isEqualTo("Björk & 東京");
        assertThat(tag.getFirst(FieldKey.GENRE)).isEqualTo("partytime");
        assertThat(tag.getFirst(FieldKey.COMMENT)).isEqualTo("late night");
    }

    @Test
    void badAudioIsRefusedAndLeavesNoTrace() {
        start();
        TelnetClient alice = admin("party", "alice");
        TelnetClient bob = member(alice, "party", "bob");
        for (String name : List.of("not-an-mp3", "random-bytes", "truncated")) {
            assertThat(alice.upload(name, fixture(name + ".mp3"))).as(name).startsWith("ERROR BAD_AUDIO ");
        }
        assertThat(alice.upload("empty", new byte[0])).startsWith("ERROR BAD_AUDIO ");
        assertNoTrace();
        assertThat(alice.command("LIST").data()).isEmpty();
        TelnetClient.Reply quiet = bob.command("TIME");
        assertThat(quiet.unsolicited()).isEmpty();
        assertThat(quiet.pushed()).isEmpty();
    }

    @Test
    void anUploadByANonAdminIsRefusedAtOnceAndTheConnectionStaysInStep() {
        start();
        TelnetClient alice = admin("party", "alice");
        TelnetClient bob = member(alice, "party", "bob");
        byte[] mp3 = fixture("sine-440-3s.mp3");
        bob.send("SEND Tune");
        bob.expectPrefix("ERROR NOT_ALLOWED ");
        chunks(bob, mp3, 0, mp3.length);
        bob.send("OKAY");
        assertThat(bob.command("TIME x").data()).hasSize(1);
        assertThat(bob.command("LIST").data()).isEmpty();
        assertNoTrace();
    }

    @Test
    void aTitleThatExistsIsRefusedAtOnceWithoutRegardToCase() {
        start();
        TelnetClient alice = admin("party", "alice");
        assertThat(alice.upload("Tune", fixture("mono-22k-1s.mp3"))).startsWith("OKAY ");
        alice.expectPrefix("UPDATE Tune ");
        byte[] mp3 = fixture("sine-440-3s.mp3");
        alice.send("SEND TUNE");
        alice.expectPrefix("ERROR TITLE_EXISTS ");
        chunks(alice, mp3, 0, mp3.length);
        alice.send("OKAY");
        assertThat(alice.command("TIME x").data()).hasSize(1);
        assertThat(alice.command("LIST").data()).hasSize(1);
        assertThat(storedFiles()).hasSize(1);
    }

    @Test
    void aTitleThatDiffersOnlyInUnicodeFormIsRefusedRightAfterTheSendLine() {
        start();
        TelnetClient alice = admin("party", "alice");
        assertThat(alice.upload("Café", fixture("mono-22k-1s.mp3"))).startsWith("OKAY ");
        alice.expectPrefix("UPDATE Café ");
        byte[] mp3 = fixture("sine-440-3s.mp3");
        alice.send("SEND \"CAFE\u0301\"");
        alice.expectPrefix("ERROR TITLE_EXISTS ");
        chunks(alice, mp3, 0, mp3.length);
        alice.send("OKAY");
        assertThat(alice.command("TIME x").data()).hasSize(1);
        assertThat(alice.command("LIST").data()).hasSize(1);
        assertThat(storedFiles()).hasSize(1);
    }

    @Test
    void anUploadPastTheLibraryBoundIsTooLargeAndAFullLibraryRefusesTheSend() {
        start(b -> b.maxLibraryBytes = 60_000);
        TelnetClient alice = admin("party", "alice");
        assertThat(alice.upload("First", fixture("sine-440-3s.mp3"))).startsWith("OKAY ");
        alice.expectPrefix("UPDATE First ");
        byte[] mp3 = fixture("sine-440-3s.mp3");
        alice.send("SEND Second");
        chunks(alice, mp3, 0, mp3.length);
        alice.expectLine("ERROR TOO_LARGE the library is full: its songs take 0.0 MiB of the 0.1 MiB the server "
                + "allows (--max-library-mib)");
        alice.send("OKAY");
        assertThat(alice.command("TIME x").data()).hasSize(1);
        assertThat(alice.command("LIST").data()).hasSize(1);
        assertThat(storedFiles()).hasSize(1);
    }

    @Test
    void anUploadOverTheSizeLimitIsRefusedOnceItPassesTheLimitAndTheRestIsDiscarded() {
        start(b -> b.maxUploadBytes = 20_000);
        TelnetClient alice = admin("party", "alice");
        byte[] mp3 = fixture("sine-440-3s.mp3");
        alice.send("SEND Big");
        chunks(alice, mp3, 0, 21_000);
        alice.expectPrefix("ERROR TOO_LARGE ");
        chunks(alice, mp3, 21_000, mp3.length);
        alice.send("OKAY");
        assertThat(alice.command("TIME x").data()).hasSize(1);
        assertNoTrace();
        // A song under the limit still goes in.
        assertThat(alice.upload("Small", fixture("mono-22k-1s.mp3"))).startsWith("OKAY ");
    }

    @Test
    void abortCancelsAnUploadAndStoresNothing() {
        start();
        TelnetClient alice = admin("party", "alice");
        byte[] mp3 = fixture("sine-440-3s.mp3");
        alice.send("SEND Tune");
        chunks(alice, mp3, 0, 10_000);
        alice.send("ABORT");
        alice.expectLine("ERROR ABORTED upload of Tune cancelled; nothing stored");
        assertNoTrace();
        assertThat(alice.upload("Tune", mp3)).startsWith("OKAY "); // the title is free
    }

    @Test
    void aChunkOfTwoThousandBytesInsideAnUploadIsTooLarge() {
        start();
        TelnetClient alice = admin("party", "alice");
        byte[] mp3 = fixture("sine-440-3s.mp3");
        alice.send("SEND Tune");
        chunks(alice, mp3, 0, 3000);
        java.io.ByteArrayOutputStream big = new java.io.ByteArrayOutputStream();
        big.writeBytes("CHUNK 2000\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        big.write(mp3, 3000, 2000);
        alice.sendBytes(big.toByteArray());
        alice.expectPrefix("ERROR TOO_LARGE ");
        chunks(alice, mp3, 5000, mp3.length);
        alice.send("OKAY");
        assertThat(alice.command("TIME x").data()).hasSize(1);
        assertNoTrace();
    }

    @Test
    void aDisconnectInTheMiddleOfAnUploadLeavesNoTrace() {
        start();
        byte[] mp3 = fixture("sine-440-3s.mp3");
        // After SEND.
        TelnetClient a = admin("one", "a");
        a.send("SEND Tune");
        a.close();
        // After some chunks.
        TelnetClient b = admin("two", "b");
        b.send("SEND Tune2");
        chunks(b, mp3, 0, 20_000);
        b.close();
        // In the middle of a chunk's bytes.
        TelnetClient c = admin("three", "c");
        c.send("SEND Tune3");
        chunks(c, mp3, 0, 5000);
        java.io.ByteArrayOutputStream half = new java.io.ByteArrayOutputStream();
        half.writeBytes("CHUNK 1000\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        half.write(mp3, 5000, 500);
        c.sendBytes(half.toByteArray());
        c.close();

        eventually("all three are gone", () -> server.connectionCount() == 0);
        assertNoTrace();
        TelnetClient d = admin("four", "d");
        assertThat(d.command("LIST").data()).isEmpty();
        for (String title : List.of("Tune", "Tune2", "Tune3")) {
            assertThat(d.upload(title, mp3)).startsWith("OKAY ");
            d.expectPrefix("UPDATE ");
        }
    }

    @Test
    void aLineOtherThanChunkInsideAnUploadAbandonsItAndIsThenHandled() {
        start();
        TelnetClient alice = admin("party", "alice");
        byte[] mp3 = fixture("sine-440-3s.mp3");
        alice.send("SEND Tune");
        chunks(alice, mp3, 0, 3000);
        alice.send("TIME x");
        alice.expectPrefix("ERROR SYNTAX expected CHUNK, OKAY or ABORT");
        alice.expectPrefix("TIME x ");
        alice.expectLine("OKAY");
        alice.send("OKAY"); // no longer in a transfer: a bare OKAY gets no answer
        assertThat(alice.command("LIST").data()).isEmpty();
        assertNoTrace();
    }

    @Test
    void songSetWritesTheTagAndTellsEveryone() {
        start();
        TelnetClient alice = admin("party", "alice");
        TelnetClient bob = member(alice, "party", "bob");
        bob.okay("CAP SONGS");
        TelnetClient carol = admin("other", "carol");
        assertThat(alice.upload("Tune", fixture("notags-2s.mp3"), "Someone", "", "")).startsWith("OKAY ");
        Song s = song("Tune");
        for (TelnetClient c : List.of(alice, bob, carol)) {
            c.expectLine(update(s));
        }
        assertThat(bob.receiveTransfer().complete()).isTrue();

        alice.okay("SONG Tune SET TAG1 partytime");
        alice.okay("song tune set tag2 late night");
        alice.okay("SONG #" + s.id() + " SET ARTIST \"Björk & 東京\"");
        String finalUpdate = "UPDATE Tune \"Björk & 東京\" partytime \"late night\"";
        for (TelnetClient c : List.of(bob, carol)) {
            c.expectLine("UPDATE Tune Someone partytime \"\"");
            c.expectLine("UPDATE Tune Someone partytime \"late night\"");
            c.expectLine(finalUpdate);
        }
        alice.expectLine(finalUpdate);

        Tag tag = tagOf(song("Tune").file());
        assertThat(tag.getFirst(FieldKey.GENRE)).isEqualTo("partytime");
        assertThat(tag.getFirst(FieldKey.COMMENT)).isEqualTo("late night");
        assertThat(tag.getFirst(FieldKey.ARTIST)).isEqualTo("Björk & 東京");
        List<String> f = tokens(carol.command("LIST").data().get(0));
        assertThat(f.subList(2, 6)).containsExactly("Tune", "Björk & 東京", "partytime", "late night");
        assertThat(alice.command("SONG Nothing SET TAG1 x").last()).startsWith("ERROR NO_SUCH_SONG ");
    }

    @Test
    void getSendsTheStoredFileByTitleOrById() {
        start();
        TelnetClient alice = admin("party", "alice");
        assertThat(alice.upload("Tune", fixture("click-track-30s.mp3"))).startsWith("OKAY ");
        alice.expectPrefix("UPDATE ");
        TelnetClient bob = member(alice, "party", "bob");
        Song s = song("Tune");
        bob.send("GET tune"); // a transfer asked for comes without CAP SONGS
        TelnetClient.Transfer t = bob.receiveTransfer();
        assertThat(t.complete()).isTrue();
        assertThat(t.bytes()).isEqualTo(read(s.file()));
        bob.send("GET #" + s.id());
        assertThat(bob.receiveTransfer().bytes()).isEqualTo(read(s.file()));
        assertThat(bob.command("GET Nothing").last()).startsWith("ERROR NO_SUCH_SONG ");
        assertThat(bob.command("GET #999").last()).startsWith("ERROR NO_SUCH_SONG ");
    }

    @Test
    void deleteRemovesTheSongAndItsFile() {
        start();
        TelnetClient alice = admin("party", "alice");
        assertThat(alice.upload("Tune", fixture("mono-22k-1s.mp3"))).startsWith("OKAY ");
        alice.expectPrefix("UPDATE ");
        assertThat(alice.upload("Other", fixture("notags-2s.mp3"))).startsWith("OKAY ");
        alice.expectPrefix("UPDATE ");
        Path file = song("Tune").file();
        assertThat(file).exists();
        TelnetClient.Reply r = alice.command("DELETE Tune");
        assertThat(r.last()).isEqualTo("OKAY");
        assertThat(file).doesNotExist();
        List<String> list = alice.command("LIST").data();
        assertThat(list).hasSize(1);
        assertThat(tokens(list.get(0)).get(2)).isEqualTo("Other");
        assertThat(storedFiles()).hasSize(1);
        assertThat(alice.command("GET Tune").last()).startsWith("ERROR NO_SUCH_SONG ");
        assertThat(alice.command("DELETE Tune").last()).startsWith("ERROR NO_SUCH_SONG ");
    }

    @Test
    void aRestartedServerFindsExactlyTheSongsAndTagsItHad() {
        start();
        TelnetClient alice = admin("party", "alice");
        for (String name : List.of("sine-440-3s", "notags-2s", "unicode-tags")) {
            assertThat(alice.upload(name, fixture(name + ".mp3"))).startsWith("OKAY ");
            alice.expectPrefix("UPDATE ");
        }
        alice.okay("SONG notags-2s SET ARTIST \"Björk & 東京\"");
        alice.okay("SONG sine-440-3s SET TAG2 \"a comment\"");
        alice.okay("DELETE unicode-tags");
        List<String> before = alice.command("LIST").data();
        List<String> files = storedFiles();
        stopServer();
        alice.skipUntilLine("NOTIFY server is shutting down");

        start();
        TelnetClient again = admin("party", "alice");
        assertThat(again.command("LIST").data()).isEqualTo(before);
        assertThat(storedFiles()).isEqualTo(files);
        assertThat(tagOf(song("notags-2s").file()).getFirst(FieldKey.ARTIST)).isEqualTo("Björk & 東京");
        assertThat(tagOf(song("sine-440-3s").file()).getFirst(FieldKey.COMMENT)).isEqualTo("a comment");
    }

    @Test
    void concurrentUploadsAndEditsFromTwoLobbiesAllTakeEffect() throws Exception {
        // Each admin edits the other's songs too: a trusted group (song ownership is OwnershipClaimsAndBansTest's).
        start(b -> b.trustedAdmins = true);
        TelnetClient alice = admin("one", "alice");
        TelnetClient carol = admin("two", "carol");
        List<String> aliceSongs = List.of("a1", "a2", "a3");
        List<String> carolSongs = List.of("c1", "c2", "c3");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<String>>> uploads = pool.invokeAll(List.of(
                    uploadAll(alice, aliceSongs, "sine-440-3s.mp3"),
                    uploadAll(carol, carolSongs, "notags-2s.mp3")));
            for (Future<List<String>> f : uploads) {
                assertThat(f.get(60, TimeUnit.SECONDS)).allMatch(r -> r.matches("OKAY [0-9]+"));
            }
            List<String> all = new ArrayList<>(aliceSongs);
            all.addAll(carolSongs);
            // alice sets TAG1 and carol TAG2 of every song, at the same time.
            List<Future<List<String>>> edits = pool.invokeAll(List.of(
                    editAll(alice, all, "TAG1", "one"), editAll(carol, all, "TAG2", "two")));
            for (Future<List<String>> f : edits) {
                assertThat(f.get(60, TimeUnit.SECONDS)).allMatch("OKAY"::equals);
            }
            List<String> list = alice.command("LIST").data();
            assertThat(list).hasSize(6);
            for (String line : list) {
                List<String> f = tokens(line);
                assertThat(f.subList(4, 6)).as(line).containsExactly("one-" + f.get(2), "two-" + f.get(2));
                Tag tag = tagOf(song(f.get(2)).file());
                assertThat(tag.getFirst(FieldKey.GENRE)).isEqualTo("one-" + f.get(2));
                assertThat(tag.getFirst(FieldKey.COMMENT)).isEqualTo("two-" + f.get(2));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Callable<List<String>> uploadAll(TelnetClient c, List<String> titles, String fixture) {
        return () -> {
            List<String> replies = new ArrayList<>();
            for (String t : titles) {
                replies.add(c.upload(t, fixture(fixture)));
            }
            return replies;
        };
    }

    private static Callable<List<String>> editAll(TelnetClient c, List<String> titles, String field, String prefix) {
        return () -> {
            List<String> replies = new ArrayList<>();
            for (String t : titles) {
                replies.add(c.command("SONG " + t + " SET " + field + " " + prefix + "-" + t).last());
            }
            return replies;
        };
    }
}
