package dev.thing.client.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One client per cache folder; the index never written through a shared temp name. */
class CacheLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondClientCannotTakeAFolderInUseAndIsToldWhoHasIt() throws Exception {
        Optional<CacheLock> first = CacheLock.tryAcquire(dir.resolve("cache"));
        assertThat(first).isPresent();
        assertThat(CacheLock.tryAcquire(dir.resolve("cache"))).isEmpty();
        assertThat(CacheLock.holder(dir.resolve("cache"))).isEqualTo("process " + ProcessHandle.current().pid());
        first.get().close();
        Optional<CacheLock> again = CacheLock.tryAcquire(dir.resolve("cache"));
        assertThat(again).isPresent();
        again.get().close();
    }

    @Test
    void theIndexIsReplacedWholeAndStaleTempFilesAreCleaned() throws Exception {
        Path cacheDir = Files.createDirectories(dir.resolve("c"));
        Files.writeString(cacheDir.resolve("index.txt.12345.tmp"), "half a save");
        SongCache cache = SongCache.open(cacheDir, 1 << 30, System::currentTimeMillis,
                dev.thing.client.audio.GrowingFileSource::new);
        Path song = Path.of(getClass().getResource("/audio/sine-440-3s.mp3").toURI());
        cache.add(song, "Sine", "Tones", "", "");
        try (var files = Files.list(cacheDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        assertThat(Files.readAllLines(cacheDir.resolve("index.txt"))).anyMatch(l -> l.contains("\tSine\tTones\t"));
    }
}
