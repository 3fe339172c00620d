package dev.thing.server.library;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Decides whether a file is real, complete MP3 (MPEG-1/2/2.5 Layer III) audio. A file passes when
 * <ol>
 * <li>jaudiotagger reads it as MP3 (it finds an audio header and computes a positive length), and</li>
 * <li>our own frame scan, after any leading ID3v2 tags, finds at least {@value #MIN_CHAIN} consecutive
 * valid frame headers (version, layer III, bitrate, sample rate and emphasis bits valid; each next
 * header exactly where the previous frame's length says; version and sample rate unchanged), and</li>
 * <li>the audio is complete.</li>
 * </ol>
 *
 * <p><b>Truncation.</b> A last frame that is cut off (a valid header whose frame runs past the end of the
 * audio, or the first bytes of a header) is dropped and logged, and the rest is the song: real files often end
 * so (issue 12.10). A file cut short by more than that is rejected when its first frame is a Xing/Info (LAME)
 * frame that declares a frame count and fewer audio frames than declared are there, the cut-off one counted
 * ("truncated: the file holds N of the M frames ..."): clients compare the duration in LIST with what they
 * play, and a half file usually means a broken transfer. The fixture truncated.mp3 (the first 24,548 bytes of
 * a 128 kbit/s CBR file, with an Info frame) is refused so. Junk between frames is
 * skipped by resynchronising on the next run of valid headers; junk after the last frame (APE or
 * Lyrics3 tags, say) is tolerated, except for fewer than 4 bytes starting with a frame sync.
 *
 * <p>The duration is computed from the frames found (samples per frame / sample rate, the Xing frame
 * not counted, minus the LAME encoder delay and padding when a LAME tag gives them). It is more exact
 * than jaudiotagger's estimate, which is off by a factor of two for some MPEG-2 CBR files.
 */
public final class AudioCheck {
    private static final org.apache.logging.log4j.Logger LOG =
            org.apache.logging.log4j.LogManager.getLogger(AudioCheck.class);
    /** Consecutive valid frame headers required to take a position for the start of audio. */
    static final int MIN_CHAIN = 3;
    /** How far after the ID3v2 tags the first frame may start. */
    private static final int MAX_LEADING_JUNK = 64 * 1024;

    private static final int[] BITRATE_V1_L3 = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0};
    private static final int[] BITRATE_V2_L3 = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0};
    private static final int[][] SAMPLE_RATES = {
        {11025, 12000, 8000}, // MPEG 2.5 (version bits 00)
        null, // reserved
        {22050, 24000, 16000}, // MPEG 2
        {44100, 48000, 32000}, // MPEG 1
    };

    /** What the check learnt about a good file. */
    public record Result(int frames, long durationMs, int sampleRate, String mpegVersion, TagStore.Tags tags) {
    }

    private AudioCheck() {
    }

    /**
     * Checks {@code file}; returns what was found, or throws {@link LibraryException.Reason#BAD_AUDIO}
     * with a message for people. {@link LibraryException.Reason#INTERNAL} if the file cannot be read.
     */
    public static Result check(Path file) throws LibraryException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Reason.INTERNAL, "cannot read the upload: " + e.getMessage(), e);
        }
        if (size == 0) {
            throw bad("the file is empty");
        }
        if (size > Integer.MAX_VALUE) {
            throw bad("the file is too large to check");
        }
        Scan scan;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            scan = scan(buf);
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Reason.INTERNAL, "cannot read the upload: " + e.getMessage(), e);
        }
        TagStore.Tags tags;
        try {
            tags = TagStore.read(file);
        } catch (IOException e) {
            throw bad("not MP3 audio (" + e.getMessage() + ")");
        }
        if (tags.durationMs() <= 0 || scan.durationMs <= 0) {
            throw bad("the audio has no length");
        }
        if (scan.partialLastFrame) {
            LOG.info("{}: its last MPEG frame is cut off; the partial frame is dropped ({} whole frames, {} ms)",
                    file.getFileName(), scan.frames, scan.durationMs);
        }
        return new Result(scan.frames, scan.durationMs, scan.sampleRate, scan.version, tags);
    }

    private static LibraryException bad(String message) {
        return new LibraryException(LibraryException.Reason.BAD_AUDIO, message);
    }

    private record Scan(int frames, long durationMs, int sampleRate, String version, boolean partialLastFrame) {
    }

    /** A parsed Layer III frame header. */
    private record Header(int versionBits, int sampleRate, int frameLength, int samplesPerFrame, boolean mono) {
    }

    private static Header header(ByteBuffer b, int p, int limit) {
        if (p < 0 || p + 4 > limit) {
            return null;
        }
        int b0 = b.get(p) & 0xFF;
        int b1 = b.get(p + 1) & 0xFF;
        int b2 = b.get(p + 2) & 0xFF;
        int b3 = b.get(p + 3) & 0xFF;
        if (b0 != 0xFF || (b1 & 0xE0) != 0xE0) {
            return null;
        }
        int version = (b1 >> 3) & 3;
        int layer = (b1 >> 1) & 3;
        int bitrateIndex = b2 >> 4;
        int rateIndex = (b2 >> 2) & 3;
        if (version == 1 || layer != 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3 || (b3 & 3) == 2) {
            return null;
        }
        boolean v1 = version == 3;
        int bitrate = (v1 ? BITRATE_V1_L3 : BITRATE_V2_L3)[bitrateIndex] * 1000;
        int sampleRate = SAMPLE_RATES[version][rateIndex];
        int padding = (b2 >> 1) & 1;
        int length = (v1 ? 144 : 72) * bitrate / sampleRate + padding;
        boolean mono = (b3 >> 6) == 3;
        return new Header(version, sampleRate, length, v1 ? 1152 : 576, mono);
    }

    private static boolean sameStream(Header a, Header b) {
        return a.versionBits == b.versionBits && a.sampleRate == b.sampleRate;
    }

    /** True if {@value #MIN_CHAIN} valid headers of one stream follow each other from {@code p}. */
    private static boolean chainAt(ByteBuffer b, int p, int limit) {
        Header first = header(b, p, limit);
        if (first == null) {
            return false;
        }
        int q = p + first.frameLength;
        for (int i = 1; i < MIN_CHAIN; i++) {
            Header h = header(b, q, limit);
            if (h == null || !sameStream(first, h)) {
                return false;
            }
            q += h.frameLength;
        }
        return q <= limit;
    }

    private static int findChain(ByteBuffer b, int from, int to, int limit) {
        for (int p = from; p < to && p + 4 <= limit; p++) {
            if ((b.get(p) & 0xFF) == 0xFF && chainAt(b, p, limit)) {
                return p;
            }
        }
        return -1;
    }

    private static Scan scan(ByteBuffer b) throws LibraryException {
        int size = b.limit();
        int start = 0;
        byte[] head = new byte[10];
        while (size - start >= 10) {
            b.get(start, head);
            int len = dev.thing.protocol.AudioDigest.id3v2Length(head);
            if (len <= 0) {
                break;
            }
            start += len;
        }
        if (start >= size) {
            throw bad("no MPEG audio frames found (the file holds only an ID3 tag)");
        }
        int end = size;
        if (end - start >= 128 && b.get(end - 128) == 'T' && b.get(end - 127) == 'A' && b.get(end - 126) == 'G') {
            end -= 128;
        }
        int p = findChain(b, start, start + MAX_LEADING_JUNK, end);
        if (p < 0) {
            throw bad("no MPEG audio frames found");
        }
        Header first = header(b, p, end);
        // Xing/Info frame: not audio; may declare the frame count and carry the LAME delay/padding.
        long declaredFrames = -1;
        int delay = 0;
        int paddingSamples = 0;
        boolean skipFirst = false;
        int xing = p + 4 + sideInfoLength(first);
        if (xing + 8 <= end && (tagAt(b, xing, "Xing") || tagAt(b, xing, "Info"))) {
            skipFirst = true;
            int flags = b.getInt(xing + 4);
            int q = xing + 8;
            if ((flags & 1) != 0 && q + 4 <= end) {
                declaredFrames = b.getInt(q) & 0xFFFFFFFFL;
                q += 4;
            }
            if ((flags & 2) != 0) {
                q += 4;
            }
            if ((flags & 4) != 0) {
                q += 100;
            }
            if ((flags & 8) != 0) {
                q += 4;
            }
            if (q + 24 <= end && (tagAt(b, q, "LAME") || tagAt(b, q, "Lavf") || tagAt(b, q, "Lavc") || tagAt(b, q, "L3.9"))) {
                int d0 = b.get(q + 21) & 0xFF;
                int d1 = b.get(q + 22) & 0xFF;
                int d2 = b.get(q + 23) & 0xFF;
                delay = (d0 << 4) | (d1 >> 4);
                paddingSamples = ((d1 & 0x0F) << 8) | d2;
            }
        }
        int frames = 0;
        long samples = 0;
        long micros = 0;
        boolean firstFrame = true;
        boolean partialLast = false;
        while (p + 4 <= end) {
            Header h = header(b, p, end);
            if (h == null || !sameStream(first, h)) {
                int next = findChain(b, p + 1, end, end);
                if (next < 0) {
                    if (end - p < 4 && (b.get(p) & 0xFF) == 0xFF) {
                        partialLast = true; // the start of a header, cut off
                    }
                    break; // trailing non-audio data (APE/Lyrics3 tag, junk)
                }
                p = next;
                continue;
            }
            if (p + h.frameLength > end) {
                partialLast = true; // the last frame is cut off: dropped, the rest is the song
                break;
            }
            if (!(firstFrame && skipFirst)) {
                frames++;
                samples += h.samplesPerFrame;
                micros += h.samplesPerFrame * 1_000_000L / h.sampleRate;
            }
            firstFrame = false;
            p += h.frameLength;
        }
        if (!partialLast && p < end && end - p < 4 && (b.get(p) & 0xFF) == 0xFF) {
            partialLast = true;
        }
        if (frames < MIN_CHAIN - (skipFirst ? 1 : 0)) {
            throw bad("no MPEG audio frames found");
        }
        if (declaredFrames > 0 && frames + (partialLast ? 1 : 0) < declaredFrames) {
            throw bad("truncated: the file holds " + frames + " of the " + declaredFrames
                    + " frames its header declares");
        }
        long ms;
        long gapless = samples - delay - paddingSamples;
        if (delay + paddingSamples > 0 && gapless > 0) {
            ms = Math.round(gapless * 1000.0 / first.sampleRate);
        } else {
            ms = Math.round(micros / 1000.0);
        }
        String version = switch (first.versionBits) {
            case 3 -> "MPEG-1";
            case 2 -> "MPEG-2";
            default -> "MPEG-2.5";
        };
        return new Scan(frames, ms, first.sampleRate, version, partialLast);
    }

    private static int sideInfoLength(Header h) {
        if (h.versionBits == 3) {
            return h.mono ? 17 : 32;
        }
        return h.mono ? 9 : 17;
    }

    private static boolean tagAt(ByteBuffer b, int p, String tag) {
        if (p + tag.length() > b.limit()) {
            return false;
        }
        for (int i = 0; i < tag.length(); i++) {
            if (b.get(p + i) != tag.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
