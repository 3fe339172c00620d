package dev.thing.server.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 13 (lower): titles that differ only in Unicode form are one title; the library's total size is bounded. */
class TitleAndSizeTest {
    private static final long LIMIT = 64L << 20;

    @TempDir
    Path tmp;

    private Path folder() {
        return tmp.resolve("songs");
    }

    private Path db() {
        return tmp.resolve("thing.db");
    }

    private static Song upload(Library lib, String title) throws Exception {
        byte[] data = Fixtures.bytes("sine-440-3s.mp3");
        try (Upload u = lib.beginUpload(title, null, null, null)) {
            for (int off = 0; off < data.length; off += 1000) {
                u.append(data, off, Math.min(1000, data.length - off));
            }
            return u.commit();
        }
    }

    private static LibraryException.Reason refusal(Library lib, String title) {
        try {
            lib.beginUpload(title, null, null, null).abort();
            return null;
        } catch (LibraryException e) {
            return e.reason();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Cafe\u0301", "CAFÉ", "café", "Ca\u200Bfé", "\uFF23\uFF41\uFF46\u00E9"})
    void aTitleThatDiffersOnlyInUnicodeFormIsTheSameTitle(String variant) throws Exception {
        try (Library lib = Library.open(folder(), db(), LIMIT)) {
            upload(lib, "Café");
            assertThat(refusal(lib, variant)).as("SEND %s", variant).isEqualTo(LibraryException.Reason.TITLE_EXISTS);
            assertThat(lib.resolve(variant).title()).isEqualTo("Café");
        }
    }

    @Test
    void straßeIsStrasse() throws Exception {
        try (Library lib = Library.open(folder(), db(), LIMIT)) {
            upload(lib, "straße");
            assertThat(refusal(lib, "STRASSE")).isEqualTo(LibraryException.Reason.TITLE_EXISTS);
        }
    }

    @Test
    void aDecomposedTitleIsStoredComposed() throws Exception {
        try (Library lib = Library.open(folder(), db(), LIMIT)) {
            Song s = upload(lib, "Cafe\u0301 del Mar");
            assertThat(s.title()).isEqualTo("Caf\u00E9 del Mar");
            assertThat(lib.list()).extracting(Song::title).containsExactly("Caf\u00E9 del Mar");
        }
    }

    @Test
    void aTitleOfOnlyInvisibleCharactersIsRefused() throws Exception {
        try (Library lib = Library.open(folder(), db(), LIMIT)) {
            assertThat(refusal(lib, "\u200B\u200B")).isEqualTo(LibraryException.Reason.SYNTAX);
        }
    }

    /** An index written by the previous version (title_key = lower case) is migrated when the library opens. */
    @Test
    void oldTitleKeysAreMigratedAtOpen() throws Exception {
        try (Library lib = Library.open(folder(), db(), LIMIT)) {
            upload(lib, "Café");
            upload(lib, "Other");
        }
        // As the old version would have stored an NFD twin: a distinct key then, the same title now.
        Files.copy(folder().resolve("1-cafe.mp3"), folder().resolve("3-cafe.mp3"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
                PreparedStatement ps = c.prepareStatement("INSERT INTO songs (id, title, title_key, artist, tag1, tag2,"
                        + " duration_ms, size_bytes, audio_hash, file_name, added_at) SELECT 3, ?, ?, artist, tag1, tag2,"
                        + " duration_ms, size_bytes, audio_hash, '3-cafe.mp3', added_at FROM songs WHERE id = 1")) {
            ps.setString(1, "Cafe\u0301");
            ps.setString(2, "cafe\u0301");
            ps.executeUpdate();
            c.createStatement().executeUpdate("UPDATE songs SET title_key = 'other' WHERE id = 2");
        }
        try (Library lib = Library.open(folder(), db(), LIMIT)) {
            assertThat(lib.list()).extracting(Song::title).containsExactly("Café", "Other", "Café (2)");
            assertThat(lib.resolve("CAFE\u0301").id()).isEqualTo(1);
            assertThat(lib.resolve("café (2)").id()).isEqualTo(3);
            assertThat(refusal(lib, "OTHER")).isEqualTo(LibraryException.Reason.TITLE_EXISTS);
        }
    }

    @Test
    void anUploadPastTheLibraryBoundIsTooLargeAndFitsOnceSpaceIsFreed() throws Exception {
        try (Library lib = Library.open(folder(), db(), LIMIT, 60_000)) {
            upload(lib, "First");
            assertThatThrownBy(() -> upload(lib, "Second")).isInstanceOfSatisfying(LibraryException.class, e -> {
                assertThat(e.reason()).isEqualTo(LibraryException.Reason.TOO_LARGE);
                assertThat(e.getMessage()).isEqualTo("the library is full: its songs take 0.0 MiB of the "
                        + "0.1 MiB the server allows (--max-library-mib)");
            });
            assertThat(lib.list()).extracting(Song::title).containsExactly("First");
            assertThat(Files.list(folder().resolve(".incoming")).count()).isZero();
            lib.delete("First");
            assertThat(upload(lib, "Second").title()).isEqualTo("Second");
            assertThat(lib.describeTotals()).isEqualTo("1 songs, 0.0 MiB of at most 0.1 MiB");
        }
    }

    @Test
    void aFullLibraryRefusesTheSendItself() throws Exception {
        try (Library lib = Library.open(folder(), db(), LIMIT)) {
            upload(lib, "First");
        }
        try (Library lib = Library.open(folder(), db(), LIMIT, 40_000)) {
            assertThat(refusal(lib, "Second")).isEqualTo(LibraryException.Reason.TOO_LARGE);
        }
    }
}
