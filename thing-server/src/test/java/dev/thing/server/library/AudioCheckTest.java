package dev.thing.server.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AudioCheckTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sine-440-3s.mp3", "chirp-5s-vbr.mp3", "notags-2s.mp3", "mono-22k-1s.mp3",
        "unicode-tags.mp3", "click-track-30s.mp3", "long-sweep-180s.mp3"})
    void acceptsGoodFiles(String name) throws Exception {
        AudioCheck.Result r = AudioCheck.check(Fixtures.copy(name, dir.resolve(name)));
        assertThat(r.frames()).isGreaterThanOrEqualTo(AudioCheck.MIN_CHAIN);
        assertThat(r.durationMs()).isCloseTo(Fixtures.nominalMs(name), org.assertj.core.data.Offset.offset(100L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-mp3.mp3", "random-bytes.mp3", "truncated.mp3"})
    void rejectsBadFiles(String name) throws Exception {
        Path p = Fixtures.copy(name, dir.resolve(name));
        assertThatThrownBy(() -> AudioCheck.check(p)).isInstanceOfSatisfying(LibraryException.class,
                e -> assertThat(e.reason()).isEqualTo(LibraryException.Reason.BAD_AUDIO));
    }

    @Test
    void truncatedSaysSo() throws Exception {
        Path p = Fixtures.copy("truncated.mp3", dir.resolve("t.mp3"));
        assertThatThrownBy(() -> AudioCheck.check(p)).hasMessageStartingWith("truncated: the file holds ");
    }

    /** Issue 12.10: a last frame cut off is dropped (and logged), not a reason to refuse the file. */
    @ParameterizedTest
    @ValueSource(ints = {1, 100, 417})
    void aCutOffLastFrameIsDroppedAndTheRestAccepted(int cut) throws Exception {
        byte[] full = Fixtures.bytes("sine-440-3s.mp3");
        Path whole = Files.write(dir.resolve("whole.mp3"), full);
        AudioCheck.Result all = AudioCheck.check(whole);
        Path p = Files.write(dir.resolve("cut-" + cut + ".mp3"), java.util.Arrays.copyOf(full, full.length - cut));
        AudioCheck.Result r = AudioCheck.check(p);
        assertThat(r.frames()).isEqualTo(all.frames() - 1);
        assertThat(r.durationMs()).isBetween(all.durationMs() - 30, all.durationMs() - 20);
    }

    @Test
    void aFileCutAfterTheFirstBytesOfAHeaderIsAccepted() throws Exception {
        byte[] full = Fixtures.bytes("sine-440-3s.mp3");
        Path whole = Files.write(dir.resolve("whole.mp3"), full);
        AudioCheck.Result all = AudioCheck.check(whole);
        byte[] longer = java.util.Arrays.copyOf(full, full.length + 2);
        longer[full.length] = (byte) 0xFF;
        longer[full.length + 1] = (byte) 0xFB;
        AudioCheck.Result r = AudioCheck.check(Files.write(dir.resolve("sync.mp3"), longer));
        assertThat(r.frames()).isEqualTo(all.frames());
    }

    @Test
    void cutOnAFrameBoundaryIsCaughtByTheInfoFrameCount() throws Exception {
        byte[] full = Fixtures.bytes("sine-440-3s.mp3");
        // truncated.mp3's last (incomplete) frame starts at 0x5f74: cut exactly there
        Path p = dir.resolve("cut.mp3");
        Files.write(p, java.util.Arrays.copyOf(full, 0x5f74));
        assertThatThrownBy(() -> AudioCheck.check(p)).isInstanceOf(LibraryException.class)
                .hasMessageStartingWith("truncated: the file holds");
    }

    @Test
    void rejectsEmptyFile() throws Exception {
        Path p = Files.createFile(dir.resolve("empty.mp3"));
        assertThatThrownBy(() -> AudioCheck.check(p)).isInstanceOfSatisfying(LibraryException.class,
                e -> assertThat(e.reason()).isEqualTo(LibraryException.Reason.BAD_AUDIO));
    }
}
