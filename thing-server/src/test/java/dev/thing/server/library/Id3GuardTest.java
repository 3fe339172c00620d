package dev.thing.server.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jaudiotagger.audio.mp3.MP3File;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.id3.AbstractID3v2Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 13.1: hostile ID3v2 tags are checked before jaudiotagger sees them. */
class Id3GuardTest {
    @TempDir
    Path tmp;
    Library lib;

    @BeforeEach
    void open() throws Exception {
        lib = Library.open(tmp.resolve("songs"), tmp.resolve("thing.db"), 64L << 20);
    }

    @AfterEach
    void close() {
        lib.close();
    }

    @Test
    void theBombIsSmallAndItsCompressedFrameIsRefusedBeforeParsing() throws Exception {
        byte[] bomb = Id3Bomb.bytes();
        assertThat(bomb.length).isBetween(40_000, 60_000);
        Path p = Files.write(tmp.resolve("bomb.mp3"), bomb);
        assertThat(Id3Guard.problem(p)).contains("the ID3v2 frame TXXX is compressed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sine-440-3s.mp3", "chirp-5s-vbr.mp3", "notags-2s.mp3", "mono-22k-1s.mp3",
        "unicode-tags.mp3", "click-track-30s.mp3", "long-sweep-180s.mp3"})
    void everyGoodFixtureIsSafe(String name) throws Exception {
        Path p = Fixtures.copy(name, tmp.resolve(name));
        assertThat(Id3Guard.problem(p)).isEmpty();
    }

    @Test
    void aTagLargerThanTheBoundIsUnsafe() throws Exception {
        byte[] sine = Fixtures.bytes("sine-440-3s.mp3");
        int audio = dev.thing.protocol.AudioDigest.id3v2Length(java.util.Arrays.copyOf(sine, 10));
        int frame = Id3Guard.MAX_TAG_BYTES; // one binary frame: tag = 10 + 10 + frame > bound
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {'I', 'D', '3', 3, 0, 0});
        out.writeBytes(Id3Bomb.synchsafe(10 + frame));
        out.writeBytes(new byte[] {'P', 'R', 'I', 'V'});
        out.writeBytes(new byte[] {(byte) (frame >>> 24), (byte) (frame >>> 16), (byte) (frame >>> 8), (byte) frame});
        out.writeBytes(new byte[] {0, 0});
        out.writeBytes(new byte[frame]);
        out.write(sine, audio, sine.length - audio);
        Path p = Files.write(tmp.resolve("big.mp3"), out.toByteArray());
        assertThat(Id3Guard.problem(p)).contains("the ID3v2 tag is larger than 2 MiB");
    }

    @Test
    void hugeUncompressedTextIsUnsafe() throws Exception {
        byte[] sine = Fixtures.bytes("sine-440-3s.mp3");
        int audio = dev.thing.protocol.AudioDigest.id3v2Length(java.util.Arrays.copyOf(sine, 10));
        int frame = 1_000_000; // a million NULs: a million strings for jaudiotagger
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {'I', 'D', '3', 4, 0, 0});
        out.writeBytes(Id3Bomb.synchsafe(10 + frame));
        out.writeBytes(new byte[] {'T', 'X', 'X', 'X'});
        out.writeBytes(Id3Bomb.synchsafe(frame));
        out.writeBytes(new byte[] {0, 0});
        out.writeBytes(new byte[frame]);
        out.write(sine, audio, sine.length - audio);
        Path p = Files.write(tmp.resolve("text.mp3"), out.toByteArray());
        assertThat(Id3Guard.problem(p)).contains("the ID3v2 text frames hold more than 64 KiB");
    }

    /**
     * The upload path on the bomb: stored (its audio is fine) with the fields SEND gave, the hostile tag replaced,
     * and the thread that did it allocated a few MiB, not the quarter GiB the frame declares. Allocation is counted,
     * not time, so the test does not depend on the machine's speed.
     */
    @Test
    void uploadingTheBombStoresTheSongWithoutInflatingTheFrame() throws Exception {
        byte[] bomb = Id3Bomb.bytes();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        Song song;
        try (Upload u = lib.beginUpload("bomb-x", "Bomber", null, null)) {
            for (int off = 0; off < bomb.length; off += 1000) {
                u.append(bomb, off, Math.min(1000, bomb.length - off));
            }
            song = u.commit();
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(song.title()).isEqualTo("bomb-x");
        assertThat(song.artist()).isEqualTo("Bomber");
        assertThat(song.durationMs()).isBetween(2900L, 3100L);
        assertThat(allocated).as("bytes allocated by the upload").isLessThan(32L << 20);
        assertThat(Id3Guard.problem(song.file())).isEmpty();
        AbstractID3v2Tag tag = new MP3File(song.file().toFile(), MP3File.LOAD_ALL, true).getID3v2Tag();
        assertThat(tag.getFirst(FieldKey.TITLE)).isEqualTo("bomb-x");
        assertThat(tag.getFirst(FieldKey.ARTIST)).isEqualTo("Bomber");
        assertThat(tag.getFields("TXXX")).isEmpty();
        assertThat(lib.list()).extracting(Song::title).containsExactly("bomb-x");
    }

    @Test
    void aBombDroppedIntoTheFolderIsIndexedFromItsFileName() throws Exception {
        lib.close();
        Files.write(tmp.resolve("songs/dropped bomb.mp3"), Id3Bomb.bytes());
        lib = Library.open(tmp.resolve("songs"), tmp.resolve("thing.db"), 64L << 20);
        assertThat(lib.list()).extracting(Song::title).containsExactly("dropped bomb");
        Song s = lib.setField("dropped bomb", SongField.ARTIST, "Someone");
        assertThat(Id3Guard.problem(s.file())).isEmpty();
        assertThat(new MP3File(s.file().toFile(), MP3File.LOAD_ALL, true).getID3v2Tag().getFirst(FieldKey.ARTIST))
                .isEqualTo("Someone");
    }
}
