package dev.thing.client.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * For tests (a copy of the benchmarks module's): builds bigger MP3s from a CBR fixture: its audio frames (ID3 tags and the Xing/Info frame left out) repeated
 * until the size is reached. A run of frames of one CBR stream is itself a valid MP3 stream.
 */
final class Mp3Frames {
    private static final int[] BITRATE_V1 = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0};
    private static final int[] BITRATE_V2 = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0};
    private static final int[][] RATES = {{11025, 12000, 8000}, null, {22050, 24000, 16000}, {44100, 48000, 32000}};

    private Mp3Frames() {
    }

    /** The audio frames of {@code mp3} repeated to at least {@code minBytes}, whole frames only. */
    static byte[] repeat(byte[] mp3, int minBytes) throws IOException {
        List<int[]> frames = frames(mp3);
        if (frames.isEmpty()) {
            throw new IOException("no MPEG audio frames found");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(minBytes + 4096);
        while (out.size() < minBytes) {
            for (int[] f : frames) {
                out.write(mp3, f[0], f[1]);
                if (out.size() >= minBytes) {
                    break;
                }
            }
        }
        return out.toByteArray();
    }

    /** [offset, length] of each Layer III audio frame, after any ID3v2 tag, without a Xing/Info frame. */
    static List<int[]> frames(byte[] b) {
        int pos = 0;
        if (b.length > 10 && b[0] == 'I' && b[1] == 'D' && b[2] == '3') {
            int size = ((b[6] & 0x7f) << 21) | ((b[7] & 0x7f) << 14) | ((b[8] & 0x7f) << 7) | (b[9] & 0x7f);
            pos = 10 + size + ((b[5] & 0x10) != 0 ? 10 : 0);
        }
        int end = b.length;
        if (end >= 128 && b[end - 128] == 'T' && b[end - 127] == 'A' && b[end - 126] == 'G') {
            end -= 128;
        }
        List<int[]> frames = new ArrayList<>();
        while (pos + 4 <= end) {
            int len = frameLength(b, pos);
            if (len <= 0) {
                pos++; // resynchronise
                continue;
            }
            if (pos + len > end) {
                break;
            }
            boolean info = frames.isEmpty() && (contains(b, pos, len, "Xing") || contains(b, pos, len, "Info"));
            if (!info) {
                frames.add(new int[] {pos, len});
            }
            pos += len;
        }
        return frames;
    }

    private static int frameLength(byte[] b, int p) {
        int h = ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
        if ((h & 0xffe00000) != 0xffe00000) {
            return -1;
        }
        int version = (h >> 19) & 3;
        int layer = (h >> 17) & 3;
        int bitrateIndex = (h >> 12) & 15;
        int rateIndex = (h >> 10) & 3;
        int padding = (h >> 9) & 1;
        if (version == 1 || layer != 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
            return -1;
        }
        int rate = RATES[version][rateIndex];
        if (version == 3) {
            return 144 * BITRATE_V1[bitrateIndex] * 1000 / rate + padding;
        }
        return 72 * BITRATE_V2[bitrateIndex] * 1000 / rate + padding;
    }

    private static boolean contains(byte[] b, int off, int len, String tag) {
        byte[] t = tag.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = off; i + t.length <= off + Math.min(len, 64); i++) {
            for (int k = 0; k < t.length; k++) {
                if (b[i + k] != t[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
