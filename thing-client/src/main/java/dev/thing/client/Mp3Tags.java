package dev.thing.client;

import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;

/** The ID3 fields an upload defaults to: title (TIT2), artist (TPE1), tag1 = genre (TCON), tag2 = comment (COMM). */
public record Mp3Tags(String title, String artist, String tag1, String tag2) {
    private static final Logger LOG = LogManager.getLogger(Mp3Tags.class);
    public static final Mp3Tags NONE = new Mp3Tags("", "", "", "");

    /** Reads the file's tags; a file without tags (or unreadable ones) gives empty fields. */
    public static Mp3Tags read(Path file) {
        try {
            AudioFile audio = AudioFileIO.read(file.toFile());
            Tag tag = audio.getTag();
            if (tag == null) {
                return NONE;
            }
            return new Mp3Tags(field(tag, FieldKey.TITLE), field(tag, FieldKey.ARTIST), field(tag, FieldKey.GENRE),
                    field(tag, FieldKey.COMMENT));
        } catch (Exception e) {
            LOG.info("no readable tags in {}: {}", file, e.toString());
            return NONE;
        }
    }

    private static String field(Tag tag, FieldKey key) {
        try {
            String v = tag.getFirst(key);
            return v == null ? "" : v.strip();
        } catch (RuntimeException e) {
            return "";
        }
    }
}
