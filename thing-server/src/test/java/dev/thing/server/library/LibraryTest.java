package dev.thing.server.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.AudioDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.jaudiotagger.audio.mp3.MP3File;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LibraryTest {
    private static final long LIMIT = 64L * 1024 * 1024;

    @TempDir
    Path tmp;
    Path folder;
    Path dbFile;
    Library lib;

    @BeforeEach
    void open() throws Exception {
        folder = tmp.resolve("songs");
        dbFile = tmp.resolve("db/thing.db");
        lib = Library.open(folder, dbFile, LIMIT);
    }

    @AfterEach
    void close() {
        lib.close();
    }

    private Library reopen() throws Exception {
        lib.close();
        lib = Library.open(folder, dbFile, LIMIT);
        return lib;
    }

    private Song upload(Library l, String fixture, String title, String artist, String tag1, String tag2, int piece)
            throws Exception {
        byte[] data = Fixtures.bytes(fixture);
        try (Upload u = l.beginUpload(title, artist, tag1, tag2)) {
            for (int off = 0; off < data.length; off += piece) {
                u.append(data, off, Math.min(piece, data.length - off));
            }
            assertThat(u.bytesReceived()).isEqualTo(data.length);
            return u.commit();
        }
    }

    private Song upload(String fixture, String title) throws Exception {
        return upload(lib, fixture, title, null, null, null, 1000);
    }

    private static Tag tagOf(Path file) throws Exception {
        return new MP3File(file.toFile(), MP3File.LOAD_ALL, true).getTag();
    }

    private List<Path> incomingFiles() throws Exception {
        try (Stream<Path> s = Files.list(folder.resolve(".incoming"))) {
            return s.toList();
        }
    }

    private List<Path> mp3Files() throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".mp3")).toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sine-440-3s.mp3", "chirp-5s-vbr.mp3", "notags-2s.mp3", "mono-22k-1s.mp3",
        "unicode-tags.mp3", "click-track-30s.mp3", "long-sweep-180s.mp3"})
    void uploadsEveryGoodFixtureKeepingItsOwnTags(String fixture) throws Exception {
        TagStore.Tags own = TagStore.read(Fixtures.copy(fixture, tmp.resolve("orig.mp3")));
        Song s = upload(fixture, "Song " + fixture);
        assertThat(s.title()).isEqualTo("Song " + fixture);
        assertThat(s.artist()).isEqualTo(own.artist());
        assertThat(s.tag1()).isEqualTo(own.tag1());
        assertThat(s.tag2()).isEqualTo(own.tag2());
        assertThat(s.durationMs()).isCloseTo(Fixtures.nominalMs(fixture), Offset.offset(100L));
        assertThat(s.file()).exists().hasParent(folder);
        assertThat(s.sizeBytes()).isEqualTo(Files.size(s.file()));
        assertThat(s.audioHash()).isEqualTo(AudioDigest.sha256Hex(tmp.resolve("orig.mp3")))
                .isEqualTo(AudioDigest.sha256Hex(s.file()));
        Tag t = tagOf(s.file());
        assertThat(t.getFirst(FieldKey.TITLE)).isEqualTo("Song " + fixture);
        assertThat(t.getFirst(FieldKey.ARTIST)).isEqualTo(own.artist());
        assertThat(t.getFirst(FieldKey.COMMENT)).isEqualTo(own.tag2());
        assertThat(lib.list()).containsExactly(s);
        assertThat(incomingFiles()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sine-440-3s.mp3", "unicode-tags.mp3", "long-sweep-180s.mp3"})
    void uploadWithGivenMetadataWritesItIntoTheFile(String fixture) throws Exception {
        Song s = upload(lib, fixture, "Café del Mar – Ñandú", "Björk & 東京", "Trip-hop", "late night ☾", 1000);
        assertThat(s.artist()).isEqualTo("Björk & 東京");
        Tag t = tagOf(s.file());
        assertThat(t.getFirst(FieldKey.TITLE)).isEqualTo("Café del Mar – Ñandú");
        assertThat(t.getFirst(FieldKey.ARTIST)).isEqualTo("Björk & 東京");
        assertThat(t.getFirst(FieldKey.GENRE)).isEqualTo("Trip-hop");
        assertThat(t.getFirst(FieldKey.COMMENT)).isEqualTo("late night ☾");
        assertThat(TagStore.read(s.file()).tag1()).isEqualTo("Trip-hop");
    }

    @Test
    void unicodeFixtureTagsAreReadAsIs() throws Exception {
        TagStore.Tags t = TagStore.read(Fixtures.copy("unicode-tags.mp3", tmp.resolve("u.mp3")));
        assertThat(t.title()).isEqualTo("Café del Mar – Ñandú");
        assertThat(t.artist()).isEqualTo("Björk & 東京");
    }

    @Test
    void numericGenreSurvives() throws Exception {
        Song s = upload(lib, "sine-440-3s.mp3", "Numbers", "x", "17", "y", 4096);
        assertThat(TagStore.read(s.file()).tag1()).isEqualTo("17");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-mp3.mp3", "random-bytes.mp3", "truncated.mp3", ""})
    void badAudioLeavesNothing(String fixture) throws Exception {
        Upload u = lib.beginUpload("Bad", null, null, null);
        if (!fixture.isEmpty()) {
            byte[] data = Fixtures.bytes(fixture);
            u.append(data, 0, data.length);
        }
        assertThatThrownBy(u::commit).isInstanceOfSatisfying(LibraryException.class,
                e -> assertThat(e.reason()).isEqualTo(LibraryException.Reason.BAD_AUDIO));
        assertThat(incomingFiles()).isEmpty();
        assertThat(mp3Files()).isEmpty();
        assertThat(lib.list()).isEmpty();
        // the title is free again
        assertThat(upload("sine-440-3s.mp3", "Bad").title()).isEqualTo("Bad");
    }

    @Test
    void tooLargeAbortsTheUpload() throws Exception {
        lib.close();
        lib = Library.open(folder, dbFile, 10_000);
        Upload u = lib.beginUpload("Big", null, null, null);
        byte[] data = Fixtures.bytes("sine-440-3s.mp3");
        assertThatThrownBy(() -> {
            for (int off = 0; off < data.length; off += 1000) {
                u.append(data, off, Math.min(1000, data.length - off));
            }
        }).isInstanceOfSatisfying(LibraryException.class, e -> {
            assertThat(e.reason()).isEqualTo(LibraryException.Reason.TOO_LARGE);
            assertThat(e.getMessage()).contains("limit");
        });
        assertThat(u.isOpen()).isFalse();
        assertThat(u.bytesReceived()).isEqualTo(10_000);
        assertThat(incomingFiles()).isEmpty();
        assertThat(lib.beginUpload("Big", null, null, null)).isNotNull();
        assertThat(new LibraryException(LibraryException.Reason.TOO_LARGE, "upload is larger than the "
                + Library.describeSize(LIMIT) + " limit").getMessage()).isEqualTo("upload is larger than the 64 MiB limit");
    }

    @Test
    void abortLeavesNothingAndIsIdempotent() throws Exception {
        Upload u = lib.beginUpload("Gone", null, null, null);
        byte[] data = Fixtures.bytes("sine-440-3s.mp3");
        u.append(data, 0, 5000);
        assertThat(incomingFiles()).hasSize(1);
        u.abort();
        u.abort();
        u.close();
        assertThat(incomingFiles()).isEmpty();
        assertThat(lib.list()).isEmpty();
        assertThatThrownBy(() -> u.append(data, 0, 1)).isInstanceOf(IllegalStateException.class);
        lib.beginUpload("Gone", null, null, null).abort();
    }

    @Test
    void titleExists() throws Exception {
        upload("sine-440-3s.mp3", "Hello World");
        assertThatThrownBy(() -> lib.beginUpload("Hello World", null, null, null))
                .isInstanceOfSatisfying(LibraryException.class,
                        e -> assertThat(e.reason()).isEqualTo(LibraryException.Reason.TITLE_EXISTS));
        assertThatThrownBy(() -> lib.beginUpload("hELLO wORLD", null, null, null))
                .isInstanceOfSatisfying(LibraryException.class,
                        e -> assertThat(e.reason()).isEqualTo(LibraryException.Reason.TITLE_EXISTS));
        Upload inProgress = lib.beginUpload("Ñandú", null, null, null);
        assertThatThrownBy(() -> lib.beginUpload("ñANDÚ", null, null, null))
                .isInstanceOfSatisfying(LibraryException.class,
                        e -> assertThat(e.reason()).isEqualTo(LibraryException.Reason.TITLE_EXISTS));
        inProgress.abort();
        lib.beginUpload("ñANDÚ", null, null, null).close();
    }

    @Test
    void titleSyntax() {
        for (String bad : new String[] {"", "#12", "#0", "a\nb", "tab\there", "x".repeat(257)}) {
            assertThatThrownBy(() -> lib.beginUpload(bad, null, null, null))
                    .as(bad).isInstanceOfSatisfying(LibraryException.class,
                            e -> assertThat(e.reason()).isEqualTo(LibraryException.Reason.SYNTAX));
        }
        assertThatThrownBy(() -> lib.beginUpload("ok", "bad\u0007artist", null, null))
                .isInstanceOfSatisfying(LibraryException.class,
                        e -> assertThat(e.reason()).isEqualTo(LibraryException.Reason.SYNTAX));
    }

    @Test
    void findResolveAndRandom() throws Exception {
        Song a = upload("sine-440-3s.mp3", "Alpha");
        Song b = upload("notags-2s.mp3", "Beta");
        assertThat(lib.list()).containsExactly(a, b);
        assertThat(lib.findByTitle("ALPHA")).contains(a);
        assertThat(lib.findById(b.id())).contains(b);
        assertThat(lib.resolve("#" + b.id())).isEqualTo(b);
        assertThat(lib.resolve("beta")).isEqualTo(b);
        assertThatThrownBy(() -> lib.resolve("#999999")).isInstanceOfSatisfying(LibraryException.class,
                e -> assertThat(e.reason()).isEqualTo(LibraryException.Reason.NO_SUCH_SONG));
        assertThatThrownBy(() -> lib.resolve("#99999999999999999999999")).isInstanceOf(LibraryException.class);
        assertThatThrownBy(() -> lib.resolve("Gamma")).hasMessage("no song titled \"Gamma\" in the library");
        Random rng = new Random(1);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            seen.add(lib.random(rng).orElseThrow().id());
        }
        assertThat(seen).containsExactlyInAnyOrder(a.id(), b.id());
        lib.delete("#" + a.id());
        lib.delete("beta");
        assertThat(lib.random(rng)).isEmpty();
        assertThat(mp3Files()).isEmpty();
    }

    @Test
    void reopenKeepsSongsAndTags() throws Exception {
        Song a = upload(lib, "unicode-tags.mp3", "Un", "Björk & 東京", "g", "c", 1000);
        Song b = upload("click-track-30s.mp3", "Deux");
        Song b2 = lib.setField("Deux", SongField.TAG2, "édité");
        reopen();
        assertThat(lib.lastReconcile().added()).isZero();
        assertThat(lib.lastReconcile().removed()).isZero();
        assertThat(lib.list()).containsExactly(a, b2);
        assertThat(b2.id()).isEqualTo(b.id());
        assertThat(tagOf(b2.file()).getFirst(FieldKey.COMMENT)).isEqualTo("édité");
    }

    @Test
    void handDroppedFileIsIndexedFromItsTags() throws Exception {
        upload("sine-440-3s.mp3", "Chirp"); // its own title will clash
        Fixtures.copy("chirp-5s-vbr.mp3", folder.resolve("dropped by hand.mp3"));
        Fixtures.copy("notags-2s.mp3", folder.resolve("No Tags Here.mp3"));
        Fixtures.copy("random-bytes.mp3", folder.resolve("junk.mp3"));
        reopen();
        ReconcileReport r = lib.lastReconcile();
        assertThat(r.added()).isEqualTo(2);
        assertThat(r.skipped()).isEqualTo(1);
        Song chirp = lib.resolve("Chirp (2)");
        assertThat(chirp.artist()).isEqualTo("Sweep Ensemble");
        assertThat(chirp.tag1()).isEqualTo("Electronic");
        assertThat(chirp.file().getFileName().toString()).isEqualTo("dropped by hand.mp3");
        assertThat(lib.resolve("No Tags Here").artist()).isEmpty();
        assertThat(folder.resolve("junk.mp3")).exists(); // skipped, not deleted
        reopen();
        assertThat(lib.lastReconcile().added()).isZero();
        assertThat(lib.lastReconcile().skipped()).isEqualTo(1);
    }

    @Test
    void vanishedFileDropsItsRow() throws Exception {
        Song a = upload("sine-440-3s.mp3", "A");
        Song b = upload("notags-2s.mp3", "B");
        Files.delete(a.file());
        reopen();
        assertThat(lib.lastReconcile().removed()).isEqualTo(1);
        assertThat(lib.list()).containsExactly(b);
    }

    @Test
    void leftoversAreCleaned() throws Exception {
        Upload u = lib.beginUpload("Half", null, null, null);
        u.append(new byte[100], 0, 100);
        lib.close(); // aborts it
        Files.write(folder.resolve(".incoming/upload-crashed.part"), new byte[123]);
        Files.createDirectories(folder.resolve(".incoming/sub"));
        Files.write(folder.resolve(".incoming/sub/x"), new byte[1]);
        Files.write(folder.resolve(".1-song.mp3.abc" + TagStore.TEMP_SUFFIX), new byte[5]);
        lib = Library.open(folder, dbFile, LIMIT);
        assertThat(lib.lastReconcile().leftoversCleaned()).isEqualTo(3);
        assertThat(incomingFiles()).isEmpty();
        try (Stream<Path> s = Files.list(folder)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(".incoming");
        }
    }

    @Test
    void crashBetweenMoveAndCommitIsRepairedAtOpen() throws Exception {
        // simulate: the tagged file got into place but the row was never committed
        Song s = upload(lib, "sine-440-3s.mp3", "Crashed", "Artist X", "G", "C", 1000);
        Path keep = tmp.resolve("keep.mp3");
        Files.copy(s.file(), keep);
        lib.delete("Crashed");
        Files.copy(keep, folder.resolve("7-crashed.mp3"));
        reopen();
        Song back = lib.resolve("crashed");
        assertThat(back.title()).isEqualTo("Crashed");
        assertThat(back.artist()).isEqualTo("Artist X");
        assertThat(back.tag1()).isEqualTo("G");
        assertThat(back.tag2()).isEqualTo("C");
        assertThat(back.audioHash()).isEqualTo(s.audioHash());
    }

    @Test
    void renameWritesTheId3TitleAndKeepsTheSong() throws Exception {
        Song s = upload("sine-440-3s.mp3", "Old Name");
        Song other = upload("mono-22k-1s.mp3", "Taken");
        lib.setField("Old Name", SongField.ARTIST, "Someone");

        Library.Renamed r = lib.rename("old name", "Nouveau – 東京");

        assertThat(r.oldTitle()).isEqualTo("Old Name");
        Song renamed = r.song();
        assertThat(renamed.id()).isEqualTo(s.id());
        assertThat(renamed.title()).isEqualTo("Nouveau – 東京");
        assertThat(renamed.artist()).isEqualTo("Someone");
        assertThat(renamed.audioHash()).isEqualTo(s.audioHash());
        assertThat(tagOf(renamed.file()).getFirst(FieldKey.TITLE)).isEqualTo("Nouveau – 東京");
        assertThat(lib.resolve("NOUVEAU – 東京").id()).isEqualTo(s.id());
        assertThatThrownBy(() -> lib.resolve("Old Name")).isInstanceOfSatisfying(LibraryException.class,
                e -> assertThat(e.reason()).isEqualTo(LibraryException.Reason.NO_SUCH_SONG));
        // The old title is free for an upload again.
        upload("notags-2s.mp3", "Old Name");
        // Survives a reopen: the index and the file agree.
        assertThat(reopen().findById(s.id())).map(Song::title).contains("Nouveau – 東京");
        assertThat(lib.findById(other.id())).map(Song::title).contains("Taken");
    }

    @Test
    void renameRefusesTakenUnchangedAndInvalidTitles() throws Exception {
        upload("sine-440-3s.mp3", "One");
        upload("mono-22k-1s.mp3", "Two");
        assertRenameRefused("One", "two", LibraryException.Reason.TITLE_EXISTS);
        assertRenameRefused("One", "One", LibraryException.Reason.TITLE_EXISTS);
        assertRenameRefused("One", "#5", LibraryException.Reason.SYNTAX);
        assertRenameRefused("One", "x".repeat(257), LibraryException.Reason.SYNTAX);
        assertRenameRefused("Three", "Four", LibraryException.Reason.NO_SUCH_SONG);
        try (Upload u = lib.beginUpload("Coming", null, null, null)) {
            assertRenameRefused("One", "COMING", LibraryException.Reason.TITLE_EXISTS);
        }
        // A change of case only is a rename of its own title.
        assertThat(lib.rename("one", "ONE").song().title()).isEqualTo("ONE");
        assertThat(lib.resolve("Two").title()).isEqualTo("Two");
    }

    private void assertRenameRefused(String ref, String title, LibraryException.Reason reason) {
        assertThatThrownBy(() -> lib.rename(ref, title)).isInstanceOfSatisfying(LibraryException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void setFieldWritesTheTag() throws Exception {
        Song s = upload("sine-440-3s.mp3", "Edit me");
        Song a = lib.setField("edit ME", SongField.ARTIST, "Björk & 東京");
        Song g = lib.setField("#" + s.id(), SongField.TAG1, "Ambient – ☁");
        Song c = lib.setField("Edit me", SongField.TAG2, "");
        assertThat(a.artist()).isEqualTo("Björk & 東京");
        assertThat(c.artist()).isEqualTo("Björk & 東京");
        assertThat(c.tag1()).isEqualTo("Ambient – ☁");
        assertThat(c.tag2()).isEmpty();
        assertThat(g.audioHash()).isEqualTo(s.audioHash());
        assertThat(AudioDigest.sha256Hex(c.file())).isEqualTo(s.audioHash());
        Tag t = tagOf(c.file());
        assertThat(t.getFirst(FieldKey.ARTIST)).isEqualTo("Björk & 東京");
        assertThat(t.getFirst(FieldKey.GENRE)).isEqualTo("Ambient – ☁");
        assertThat(t.getFirst(FieldKey.COMMENT)).isEmpty();
        assertThat(lib.findById(s.id())).contains(c);
        assertThatThrownBy(() -> lib.setField("nope", SongField.TAG1, "x"))
                .isInstanceOfSatisfying(LibraryException.class,
                        e -> assertThat(e.reason()).isEqualTo(LibraryException.Reason.NO_SUCH_SONG));
        assertThatThrownBy(() -> lib.setField("Edit me", SongField.TAG1, "y".repeat(257)))
                .isInstanceOfSatisfying(LibraryException.class,
                        e -> assertThat(e.reason()).isEqualTo(LibraryException.Reason.SYNTAX));
        try (Stream<Path> st = Files.list(folder)) {
            assertThat(st.filter(TagStore::isTempFile)).isEmpty();
        }
    }

    @Test
    void maliciousTitleStaysInsideTheFolder() throws Exception {
        Song s = upload("sine-440-3s.mp3", "../../etc/passwd");
        assertThat(s.file().getParent()).isEqualTo(folder);
        assertThat(s.file().getFileName().toString()).matches("[0-9]+-[a-z0-9-]{1,40}\\.mp3");
        assertThat(s.file().getFileName().toString()).isEqualTo(s.id() + "-etc-passwd.mp3");
        Song t = upload("sine-440-3s.mp3", "/ \\ .. 東京");
        assertThat(t.file().getFileName().toString()).isEqualTo(t.id() + "-song.mp3");
        assertThat(Library.slug("x".repeat(100))).hasSize(40);
        assertThat(Library.slug("Café del Mar – Ñandú")).isEqualTo("cafe-del-mar-nandu");
    }

    @Test
    void concurrentUploadsFromFourThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Song>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String fixture = Fixtures.GOOD[i % 4];
                String title = "Parallel " + i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return upload(lib, fixture, title, "artist " + title, null, null, 1000);
                }));
            }
            start.countDown();
            List<Song> songs = new ArrayList<>();
            for (Future<Song> f : futures) {
                songs.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(lib.list()).containsExactlyInAnyOrderElementsOf(songs);
            assertThat(songs.stream().map(Song::file).distinct()).hasSize(12);
            for (Song s : songs) {
                assertThat(tagOf(s.file()).getFirst(FieldKey.TITLE)).isEqualTo(s.title());
                assertThat(tagOf(s.file()).getFirst(FieldKey.ARTIST)).isEqualTo("artist " + s.title());
            }
            assertThat(incomingFiles()).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentUploadsOfOneTitleStoreOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(pool.submit(() -> {
                    try {
                        return upload(lib, "sine-440-3s.mp3", "Same", null, null, null, 1000);
                    } catch (LibraryException e) {
                        return e.reason();
                    }
                }));
            }
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(results).filteredOn(r -> r instanceof Song).hasSize(1);
            assertThat(results).filteredOn(r -> r == LibraryException.Reason.TITLE_EXISTS).hasSize(3);
            assertThat(lib.list()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentEditsOfOneSongAllLand() throws Exception {
        Song s = upload("click-track-30s.mp3", "Busy");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> futures = new ArrayList<>();
            SongField[] fields = SongField.values();
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < 6; t++) {
                SongField field = fields[t % 3];
                int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 5; i++) {
                        lib.setField("Busy", field, field + " wave2 " + thread + "/" + i);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Song now = lib.findById(s.id()).orElseThrow();
        // every field holds a value some thread wrote last for it, and the file agrees with the index
        assertThat(now.artist()).matches("ARTIST wave2 [03]/4");
        assertThat(now.tag1()).matches("TAG1 wave2 [14]/4");
        assertThat(now.tag2()).matches("TAG2 wave2 [25]/4");
        TagStore.Tags t = TagStore.read(now.file());
        assertThat(t.artist()).isEqualTo(now.artist());
        assertThat(t.tag1()).isEqualTo(now.tag1());
        assertThat(t.tag2()).isEqualTo(now.tag2());
        assertThat(t.title()).isEqualTo("Busy");
        assertThat(AudioDigest.sha256Hex(now.file())).isEqualTo(s.audioHash());
        assertThat(now.sizeBytes()).isEqualTo(Files.size(now.file()));
        try (Stream<Path> st = Files.list(folder)) {
            assertThat(st.filter(TagStore::isTempFile)).isEmpty();
        }
    }

    /** Simulates a crash between a tag edit's file rewrite and its index update: the file's tag wins on reopen. */
    @Test
    void aTagEditInterruptedBeforeTheIndexUpdateIsFinishedFromTheFileAtNextOpen() throws Exception {
        Song song = upload("sine-440-3s.mp3", "Crashy");
        lib.close();
        // The state a crash leaves: the note is there and the file holds the new tag, the row the old one.
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dbFile)) {
            c.createStatement().execute("INSERT INTO tag_edits (song_id) VALUES (" + song.id() + ")");
        }
        TagStore.write(song.file(), "Crashy", "New Artist", "New Genre", "new comment");

        lib = Library.open(folder, dbFile, LIMIT);

        Song after = lib.resolve("Crashy");
        assertThat(after.artist()).isEqualTo("New Artist");
        assertThat(after.tag1()).isEqualTo("New Genre");
        assertThat(after.tag2()).isEqualTo("new comment");
        assertThat(after.audioHash()).isEqualTo(song.audioHash());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dbFile);
                java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM tag_edits")) {
            assertThat(rs.getInt(1)).as("the note is gone once repaired").isZero();
        }
    }

    @Test
    void aCompletedTagEditLeavesNoNote() throws Exception {
        upload("sine-440-3s.mp3", "Calm");
        lib.setField("Calm", SongField.ARTIST, "Someone");
        lib.close();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dbFile);
                java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM tag_edits")) {
            assertThat(rs.getInt(1)).isZero();
        }
        lib = Library.open(folder, dbFile, LIMIT);
        assertThat(lib.resolve("Calm").artist()).isEqualTo("Someone");
    }
}
