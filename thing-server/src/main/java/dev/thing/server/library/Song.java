package dev.thing.server.library;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One song of the library, as the index knows it. {@code artist}, {@code tag1} and {@code tag2} are
 * never null ("" when absent). {@code audioHash} is {@link dev.thing.protocol.AudioDigest}'s hash;
 * {@code file} is the stored MP3 inside the library folder.
 */
public record Song(long id, String title, String artist, String tag1, String tag2, long durationMs,
        long sizeBytes, String audioHash, Path file) {

    public Song {
        Objects.requireNonNull(title, "title");
        artist = artist == null ? "" : artist;
        tag1 = tag1 == null ? "" : tag1;
        tag2 = tag2 == null ? "" : tag2;
    }

    /** The value of one editable field. */
    public String get(SongField field) {
        return switch (field) {
            case ARTIST -> artist;
            case TAG1 -> tag1;
            case TAG2 -> tag2;
        };
    }
}
