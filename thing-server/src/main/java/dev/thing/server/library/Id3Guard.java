package dev.thing.server.library;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Looks at a file's leading ID3v2 tags, frame by frame, before jaudiotagger may parse them, and says whether
 * they are safe to hand to it. jaudiotagger trusts a compressed frame's declared length and splits text frames
 * into one string per NUL byte, so a 49 KB file can make it allocate gigabytes (issue 13: a TXXX frame
 * declaring 256 MiB, holding 1,000,000 zlib-compressed zero bytes). This class reads at most
 * {@link #MAX_TAG_BYTES} and never inflates anything.
 *
 * <p>A tag is unsafe when (RFC section 8.2):
 * <ul>
 * <li>the leading ID3v2 tags together are larger than {@link #MAX_TAG_BYTES}, or reach past the file's end;</li>
 * <li>a frame is compressed or encrypted (ID3v2.3 flags 0x80/0x40 of the second flags byte, ID3v2.4 flags
 * 0x08/0x04), or a v2.2 tag is compressed (tag flag 0x40);</li>
 * <li>a frame's size reaches past its tag, or a frame id is not four (v2.2: three) letters or digits;</li>
 * <li>the text frames (ids beginning with T or W, COMM, USLT, SYLT, IPLS) together hold more than
 * {@link #MAX_TEXT_BYTES}.</li>
 * </ul>
 * An unsafe tag is never parsed: the file's ID3v2 tag is ignored when reading (the fields an upload left out
 * stay empty) and replaced as a whole when the server writes its own tag.
 */
final class Id3Guard {
    /** The most bytes all leading ID3v2 tags of a file may take together (headers included). */
    static final int MAX_TAG_BYTES = 2 * 1024 * 1024;
    /** The most bytes the text frames of those tags may hold together. */
    static final int MAX_TEXT_BYTES = 64 * 1024;

    private Id3Guard() {
    }

    /** Why the file's leading ID3v2 tags must not be parsed; empty when they are safe (or absent). */
    static Optional<String> problem(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 0;
            long total = 0;
            int text = 0;
            ByteBuffer head = ByteBuffer.allocate(10);
            while (size - pos >= 10) {
                head.clear();
                readFully(ch, head, pos);
                int len = dev.thing.protocol.AudioDigest.id3v2Length(head.array());
                if (len <= 0) {
                    break;
                }
                total += len;
                if (total > MAX_TAG_BYTES) {
                    return Optional.of("the ID3v2 tag is larger than " + Library.describeSize(MAX_TAG_BYTES));
                }
                if (pos + len > size) {
                    return Optional.of("the ID3v2 tag reaches past the end of the file");
                }
                ByteBuffer tag = ByteBuffer.allocate(len);
                readFully(ch, tag, pos);
                Frames f = frames(tag.array());
                if (f.problem != null) {
                    return Optional.of(f.problem);
                }
                text += f.textBytes;
                if (text > MAX_TEXT_BYTES) {
                    return Optional.of("the ID3v2 text frames hold more than " + Library.describeSize(MAX_TEXT_BYTES));
                }
                pos += len;
            }
            return Optional.empty();
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private record Frames(String problem, int textBytes) {
    }

    private static Frames bad(String problem) {
        return new Frames(problem, 0);
    }

    /** Walks the frames of one whole tag (header included, footer if any). */
    private static Frames frames(byte[] t) {
        int major = t[3] & 0xFF;
        int flags = t[5] & 0xFF;
        int end = 10 + synchsafe(t, 6);
        if (major < 2 || major > 4) {
            return bad("ID3v2." + major + " is not a known tag version");
        }
        if (major == 2 && (flags & 0x40) != 0) {
            return bad("the ID3v2.2 tag is compressed");
        }
        byte[] b = t;
        if (major < 4 && (flags & 0x80) != 0) {
            b = deunsynchronise(t, end);
            end = b.length;
        }
        int p = 10;
        if (major >= 3 && (flags & 0x40) != 0) {
            if (p + 4 > end) {
                return bad("the ID3v2 extended header is cut off");
            }
            long ext = major == 4 ? synchsafe(b, p) : be32(b, p) + 4;
            if (ext < 6 || p + ext > end) {
                return bad("the ID3v2 extended header has a bad size");
            }
            p += (int) ext;
        }
        int idLen = major == 2 ? 3 : 4;
        int headLen = major == 2 ? 6 : 10;
        int text = 0;
        while (p + headLen <= end) {
            if (b[p] == 0) {
                break; // padding
            }
            String id = new String(b, p, idLen, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!id.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                return bad("the ID3v2 tag has a malformed frame id");
            }
            long size;
            if (major == 2) {
                size = ((b[p + 3] & 0xFFL) << 16) | ((b[p + 4] & 0xFFL) << 8) | (b[p + 5] & 0xFFL);
            } else if (major == 3) {
                size = be32(b, p + 4);
            } else {
                size = synchsafeOrPlain(b, p + 4);
            }
            if (size < 0 || p + headLen + size > end) {
                return bad("the ID3v2 frame " + id + " is larger than its tag");
            }
            if (major >= 3) {
                int format = b[p + 9] & 0xFF;
                boolean compressed = major == 3 ? (format & 0x80) != 0 : (format & 0x08) != 0;
                boolean encrypted = major == 3 ? (format & 0x40) != 0 : (format & 0x04) != 0;
                if (compressed) {
                    return bad("the ID3v2 frame " + id + " is compressed");
                }
                if (encrypted) {
                    return bad("the ID3v2 frame " + id + " is encrypted");
                }
            }
            if (isText(id)) {
                text += (int) size;
                if (text > MAX_TEXT_BYTES) {
                    return bad("the ID3v2 text frames hold more than " + Library.describeSize(MAX_TEXT_BYTES));
                }
            }
            p += headLen + (int) size;
        }
        return new Frames(null, text);
    }

    private static boolean isText(String id) {
        return id.charAt(0) == 'T' || id.charAt(0) == 'W' || id.equals("COMM") || id.equals("USLT")
                || id.equals("SYLT") || id.equals("IPLS") || id.equals("COM") || id.equals("ULT")
                || id.equals("SLT") || id.equals("IPL");
    }

    /** The tag with every 0xFF 0x00 pair after its header turned back into 0xFF (ID3v2.3 unsynchronisation). */
    private static byte[] deunsynchronise(byte[] t, int end) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(end);
        out.write(t, 0, 10);
        for (int i = 10; i < end; i++) {
            out.write(t[i]);
            if ((t[i] & 0xFF) == 0xFF && i + 1 < end && t[i + 1] == 0) {
                i++;
            }
        }
        return out.toByteArray();
    }

    private static int synchsafe(byte[] b, int p) {
        return ((b[p] & 0x7F) << 21) | ((b[p + 1] & 0x7F) << 14) | ((b[p + 2] & 0x7F) << 7) | (b[p + 3] & 0x7F);
    }

    /** ID3v2.4 sizes are synchsafe, but some writers put plain integers there; jaudiotagger accepts both. */
    private static long synchsafeOrPlain(byte[] b, int p) {
        boolean safe = ((b[p] | b[p + 1] | b[p + 2] | b[p + 3]) & 0x80) == 0;
        return safe ? synchsafe(b, p) : be32(b, p);
    }

    private static long be32(byte[] b, int p) {
        return ((b[p] & 0xFFL) << 24) | ((b[p + 1] & 0xFFL) << 16) | ((b[p + 2] & 0xFFL) << 8) | (b[p + 3] & 0xFFL);
    }
}
