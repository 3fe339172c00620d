package dev.thing.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The content hash of a song: SHA-256 (lower-case hex) over the audio only, that is the file's bytes
 * minus any leading ID3v2 tags (10-byte header + syncsafe size, + 10 more if the footer flag 0x10 is
 * set; several tags in a row are all skipped) and minus a trailing 128-byte ID3v1 block that starts
 * with {@code TAG}. Re-tagging a song therefore does not change its hash, so cached copies stay valid.
 * Server and client compute it with this one class.
 */
public final class AudioDigest {
    private static final int ID3V2_HEADER = 10;
    private static final int ID3V1_SIZE = 128;

    private AudioDigest() {
    }

    /** SHA-256 hex of the audio part of {@code mp3}. */
    public static String sha256Hex(Path mp3) throws IOException {
        try (FileChannel ch = FileChannel.open(mp3, StandardOpenOption.READ)) {
            long size = ch.size();
            long start = audioStart(ch, size);
            long end = audioEnd(ch, start, size);
            MessageDigest md = sha256();
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long pos = start;
            while (pos < end) {
                buf.clear();
                int want = (int) Math.min(buf.capacity(), end - pos);
                buf.limit(want);
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new IOException("file shrank while hashing: " + mp3);
                }
                buf.flip();
                md.update(buf);
                pos += n;
            }
            return HexFormat.of().formatHex(md.digest());
        }
    }

    /** SHA-256 hex of an in-memory MP3 file (same rules as {@link #sha256Hex(Path)}). */
    public static String sha256Hex(byte[] file) {
        int start = 0;
        while (true) {
            int tag = id3v2Length(file, start, file.length - start);
            if (tag <= 0) {
                break;
            }
            start += tag;
        }
        start = Math.min(start, file.length);
        int end = file.length;
        if (end - start >= ID3V1_SIZE && file[end - 128] == 'T' && file[end - 127] == 'A' && file[end - 126] == 'G') {
            end -= ID3V1_SIZE;
        }
        MessageDigest md = sha256();
        md.update(file, start, end - start);
        return HexFormat.of().formatHex(md.digest());
    }

    /** Offset of the first byte after all leading ID3v2 tags (clamped to the file size). */
    static long audioStart(FileChannel ch, long size) throws IOException {
        long pos = 0;
        byte[] header = new byte[ID3V2_HEADER];
        while (size - pos >= ID3V2_HEADER) {
            ByteBuffer b = ByteBuffer.wrap(header);
            while (b.hasRemaining()) {
                if (ch.read(b, pos + b.position()) < 0) {
                    return Math.min(pos, size);
                }
            }
            int len = id3v2Length(header, 0, header.length);
            if (len <= 0) {
                break;
            }
            pos += len;
        }
        return Math.min(pos, size);
    }

    private static long audioEnd(FileChannel ch, long start, long size) throws IOException {
        if (size - start < ID3V1_SIZE) {
            return size;
        }
        ByteBuffer b = ByteBuffer.allocate(3);
        while (b.hasRemaining()) {
            if (ch.read(b, size - ID3V1_SIZE + b.position()) < 0) {
                return size;
            }
        }
        byte[] t = b.array();
        return t[0] == 'T' && t[1] == 'A' && t[2] == 'G' ? size - ID3V1_SIZE : size;
    }

    /**
     * Total length (header + body + optional footer) of the ID3v2 tag whose 10-byte header is
     * {@code header[0..9]}, or 0 if it is not a valid ID3v2 header.
     */
    public static int id3v2Length(byte[] header) {
        return id3v2Length(header, 0, header.length);
    }

    /**
     * Total length (header + body + optional footer) of the ID3v2 tag whose header starts at
     * {@code off}, or 0 if there is no valid ID3v2 header there.
     */
    static int id3v2Length(byte[] b, int off, int avail) {
        if (avail < ID3V2_HEADER || b[off] != 'I' || b[off + 1] != 'D' || b[off + 2] != '3') {
            return 0;
        }
        if ((b[off + 3] & 0xFF) == 0xFF || (b[off + 4] & 0xFF) == 0xFF) {
            return 0;
        }
        int size = 0;
        for (int i = 6; i < 10; i++) {
            int v = b[off + i] & 0xFF;
            if (v >= 0x80) {
                return 0;
            }
            size = (size << 7) | v;
        }
        int flags = b[off + 5] & 0xFF;
        return ID3V2_HEADER + size + ((flags & 0x10) != 0 ? ID3V2_HEADER : 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
