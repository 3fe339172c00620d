package dev.thing.server.library;

import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;

/**
 * The file of issue 13.1, built here: an ID3v2.4 tag with one TXXX frame (flags 0x0009: compression and a
 * data-length indicator) declaring 268,435,455 bytes, whose body is 1,000,000 zero bytes zlib-compressed at
 * level 9, followed by the MPEG-1 Layer III frames of sine-440-3s.mp3 (115 of them, its own tag cut off).
 */
final class Id3Bomb {
    static final int DECLARED = 268_435_455;

    private Id3Bomb() {
    }

    static byte[] bytes() {
        byte[] sine = Fixtures.bytes("sine-440-3s.mp3");
        int audio = dev.thing.protocol.AudioDigest.id3v2Length(java.util.Arrays.copyOf(sine, 10));
        return build(java.util.Arrays.copyOfRange(sine, audio, sine.length));
    }

    static byte[] build(byte[] frames) {
        Deflater d = new Deflater(9);
        d.setInput(new byte[1_000_000]);
        d.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!d.finished()) {
            z.write(buf, 0, d.deflate(buf));
        }
        d.end();
        byte[] body = z.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frameSize = 4 + body.length;
        int tagSize = 10 + frameSize;
        out.writeBytes(new byte[] {'I', 'D', '3', 4, 0, 0});
        out.writeBytes(synchsafe(tagSize));
        out.writeBytes(new byte[] {'T', 'X', 'X', 'X'});
        out.writeBytes(synchsafe(frameSize));
        out.writeBytes(new byte[] {0x00, 0x09});
        out.writeBytes(synchsafe(DECLARED));
        out.writeBytes(body);
        out.writeBytes(frames);
        return out.toByteArray();
    }

    static byte[] synchsafe(int v) {
        return new byte[] {(byte) ((v >> 21) & 0x7F), (byte) ((v >> 14) & 0x7F), (byte) ((v >> 7) & 0x7F),
            (byte) (v & 0x7F)};
    }
}
