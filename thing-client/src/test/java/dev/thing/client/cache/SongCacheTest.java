package dev.thing.client.cache;

import dev.thing.client.audio.GrowingFileSource;
import dev.thing.client.audio.GrowingSongSource;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SongCacheTest {
    @TempDir
    Path dir;
    @TempDir
    Path work;
    private final AtomicLong now = new AtomicLong(1_000);

    private SongCache open(long maxBytes) throws IOException {
        return SongCache.open(dir.resolve("cache"), maxBytes, now::get, GrowingFileSource::new);
    }

    private Path fixture(String name) throws IOException {
        Path target = work.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/audio/" + name)) {
            Files.copy(in, target);
        }
        return target;
    }

    private Path file(String name, int size, int seed) throws IOException {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return Files.write(work.resolve(name), bytes);
    }

    @Test
    void evictsTheLeastRecentlyPlayedWhenOverTheBound() throws IOException {
        SongCache cache = open(2500);
        SongCache.Entry a = cache.add(file("a", 1000, 1), "A", "", "", "");
        now.incrementAndGet();
        SongCache.Entry b = cache.add(file("b", 1000, 2), "B", "", "", "");
        now.incrementAndGet();
        cache.markPlayed(a.hash());
        now.incrementAndGet();
        cache.add(file("c", 1000, 3), "C", "", "", "");
        assertThat(cache.entries()).extracting(SongCache.Entry::title).containsExactlyInAnyOrder("A", "C");
        assertThat(Files.exists(cache.pathOf(b))).isFalse();
        assertThat(cache.totalBytes()).isLessThanOrEqualTo(2500);
    }

    @Test
    void aRestartFindsTheEntriesAndTheirMetadata() throws IOException {
        SongCache cache = open(SongCache.DEFAULT_MAX_BYTES);
        SongCache.Entry e = cache.add(fixture("chirp-5s-vbr.mp3"), "Chirp\tTab", "Tester", "test", "note\\x");
        SongCache again = open(SongCache.DEFAULT_MAX_BYTES);
        assertThat(again.entries()).containsExactly(e);
        assertThat(again.lookup("chirp\ttab", e.hash())).contains(e);
        assertThat(cache.pathOf(e).getFileName().toString()).isEqualTo(e.hash() + ".mp3");
    }

    @Test
    void aCorruptFileIsDetectedByItsHashAndDropped() throws IOException {
        SongCache cache = open(SongCache.DEFAULT_MAX_BYTES);
        SongCache.Entry e = cache.add(fixture("mono-22k-1s.mp3"), "Mono", "", "", "");
        byte[] bytes = Files.readAllBytes(cache.pathOf(e));
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(cache.pathOf(e), bytes);
        assertThat(cache.lookup("Mono", e.hash())).isEmpty();
        assertThat(cache.entries()).isEmpty();
        assertThat(Files.exists(cache.pathOf(e))).isFalse();
        assertThat(open(SongCache.DEFAULT_MAX_BYTES).entries()).isEmpty();
    }

    @Test
    void aHashDifferentFromTheServersEvictsTheEntry() throws IOException {
        SongCache cache = open(SongCache.DEFAULT_MAX_BYTES);
        cache.add(fixture("mono-22k-1s.mp3"), "Mono", "", "", "");
        assertThat(cache.lookup("Mono", "0".repeat(64))).isEmpty();
        assertThat(cache.byTitle("Mono")).isEmpty();
    }

    @Test
    void updateRefreshesMetadataAndSurvivesARestart() throws IOException {
        SongCache cache = open(SongCache.DEFAULT_MAX_BYTES);
        cache.add(fixture("mono-22k-1s.mp3"), "Mono", "Old", "", "");
        assertThat(cache.updateMetadata("MONO", "New Artist", "rock", "live")).isTrue();
        assertThat(cache.updateMetadata("Unknown", "x", "y", "z")).isFalse();
        SongCache.Entry e = open(SongCache.DEFAULT_MAX_BYTES).byTitle("mono").orElseThrow();
        assertThat(e.artist()).isEqualTo("New Artist");
        assertThat(e.tag1()).isEqualTo("rock");
        assertThat(e.tag2()).isEqualTo("live");
    }

    @Test
    void theAudioHashIgnoresId3Tags() throws IOException {
        byte[] audio = Files.readAllBytes(file("raw", 3000, 9));
        byte[] id3v2 = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5};
        byte[] id3v1 = new byte[128];
        id3v1[0] = 'T';
        id3v1[1] = 'A';
        id3v1[2] = 'G';
        byte[] tagged = new byte[id3v2.length + audio.length + 128];
        System.arraycopy(id3v2, 0, tagged, 0, id3v2.length);
        System.arraycopy(audio, 0, tagged, id3v2.length, audio.length);
        System.arraycopy(id3v1, 0, tagged, id3v2.length + audio.length, 128);
        Path taggedFile = Files.write(work.resolve("tagged"), tagged);
        assertThat(SongCache.sha256Hex(taggedFile)).isEqualTo(SongCache.sha256Hex(work.resolve("raw")));
    }

    /** A PLAY that races the end of a download must not stream from a .part file that is already gone. */
    @Test
    void aDownloadThatFinishedUnwatchedOffersNoStreamAndTheCacheHasTheSong() throws IOException {
        SongCache cache = open(SongCache.DEFAULT_MAX_BYTES);
        byte[] song = Files.readAllBytes(fixture("mono-22k-1s.mp3"));
        SongCache.Download d = cache.begin("Mono", "A", "t1", "t2");
        d.append(song);
        assertThat(d.complete(null)).isPresent();

        assertThat(d.source()).isEmpty();
        assertThat(cache.lookup("mono", null)).isPresent();
    }

    @Test
    void aDownloadGrowsIsReadableWhileArrivingAndIsIndexedOnComplete() throws IOException {
        SongCache cache = open(SongCache.DEFAULT_MAX_BYTES);
        byte[] song = Files.readAllBytes(fixture("mono-22k-1s.mp3"));
        SongCache.Download d = cache.begin("Mono", "A", "t1", "t2");
        GrowingSongSource source = d.source().orElseThrow();
        d.append(java.util.Arrays.copyOfRange(song, 0, 1000));
        try (InputStream in = source.open()) {
            assertThat(in.readNBytes(1000)).hasSize(1000);
            d.append(java.util.Arrays.copyOfRange(song, 1000, song.length));
            assertThat(d.complete(SongCache.sha256Hex(work.resolve("mono-22k-1s.mp3")))).isPresent();
            assertThat(in.readAllBytes()).hasSize(song.length - 1000);
        }
        assertThat(cache.lookup("mono", null)).isPresent();
        d.release();
        assertThat(Files.exists(d.partFile())).isFalse();

        SongCache.Download dropped = cache.begin("Other", "", "", "");
        dropped.append(new byte[] {1, 2, 3});
        dropped.abort();
        assertThat(Files.exists(dropped.partFile())).isFalse();
        assertThat(cache.byTitle("Other")).isEmpty();
    }
}
