package dev.thing.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioDigestTest {
    @TempDir
    Path dir;

    private static byte[] audio(long seed, int len) {
        byte[] a = new byte[len];
        new Random(seed).nextBytes(a);
        a[0] = (byte) 0xFF; // looks like a frame sync, but the digest does not care
        a[1] = (byte) 0xFB;
        return a;
    }

    /** An ID3v2.3 tag with {@code bodyLen} bytes of body; footer flag optional. */
    private static byte[] id3v2(int bodyLen, boolean footer, byte fill) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'I', 'D', '3', 4, 0, (byte) (footer ? 0x10 : 0)});
        out.write((bodyLen >> 21) & 0x7F);
        out.write((bodyLen >> 14) & 0x7F);
        out.write((bodyLen >> 7) & 0x7F);
        out.write(bodyLen & 0x7F);
        byte[] body = new byte[bodyLen];
        java.util.Arrays.fill(body, fill);
        out.writeBytes(body);
        if (footer) {
            out.writeBytes(new byte[] {'3', 'D', 'I', 4, 0, 0x10, 0, 0, 0, 0});
        }
        return out.toByteArray();
    }

    private static byte[] id3v1(String title) {
        byte[] t = new byte[128];
        t[0] = 'T';
        t[1] = 'A';
        t[2] = 'G';
        byte[] s = title.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(s, 0, t, 3, Math.min(30, s.length));
        return t;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String plainSha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private Path write(String name, byte[] content) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    @Test
    void fileWithoutTagsIsHashedWhole() throws Exception {
        byte[] a = audio(1, 5000);
        Path p = write("plain.mp3", a);
        assertThat(AudioDigest.sha256Hex(p)).isEqualTo(plainSha(a)).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(AudioDigest.sha256Hex(a)).isEqualTo(plainSha(a));
    }

    @Test
    void retaggedCopyHasTheSameHash() throws Exception {
        byte[] a = audio(2, 7000);
        Path plain = write("a.mp3", a);
        Path tagged = write("b.mp3", concat(id3v2(300, false, (byte) 1), a, id3v1("Title")));
        Path retagged = write("c.mp3", concat(id3v2(1000, true, (byte) 2), id3v2(50, false, (byte) 3), a,
                id3v1("Other title")));
        String h = AudioDigest.sha256Hex(plain);
        assertThat(AudioDigest.sha256Hex(tagged)).isEqualTo(h);
        assertThat(AudioDigest.sha256Hex(retagged)).isEqualTo(h);
        assertThat(AudioDigest.sha256Hex(Files.readAllBytes(retagged))).isEqualTo(h);
    }

    @Test
    void differentAudioDiffers() throws Exception {
        byte[] a = audio(3, 4000);
        byte[] b = a.clone();
        b[2000] ^= 1;
        Path pa = write("a.mp3", concat(id3v2(10, false, (byte) 0), a));
        Path pb = write("b.mp3", concat(id3v2(10, false, (byte) 0), b));
        assertThat(AudioDigest.sha256Hex(pa)).isNotEqualTo(AudioDigest.sha256Hex(pb));
    }

    @Test
    void emptyAndTinyFiles() throws Exception {
        assertThat(AudioDigest.sha256Hex(write("e.mp3", new byte[0]))).isEqualTo(plainSha(new byte[0]));
        byte[] tiny = {'I', 'D', '3'};
        assertThat(AudioDigest.sha256Hex(write("t.mp3", tiny))).isEqualTo(plainSha(tiny));
        // a tag claiming to be longer than the file leaves no audio
        byte[] liar = concat(id3v2(0, false, (byte) 0));
        liar[9] = 0x7F;
        assertThat(AudioDigest.sha256Hex(write("l.mp3", liar))).isEqualTo(plainSha(new byte[0]));
    }
}
