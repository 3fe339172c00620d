package dev.thing.server.library;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.logging.Level;
import java.util.regex.Pattern;
import org.jaudiotagger.audio.mp3.MP3AudioHeader;
import org.jaudiotagger.audio.mp3.MP3File;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.jaudiotagger.tag.TagOptionSingleton;
import org.jaudiotagger.tag.id3.AbstractID3v2Tag;
import org.jaudiotagger.tag.id3.AbstractTag;
import org.jaudiotagger.tag.id3.ID3v1Tag;
import org.jaudiotagger.tag.id3.ID3v22Tag;
import org.jaudiotagger.tag.id3.ID3v23Tag;

/**
 * Reads and writes the ID3 tags of MP3 files with jaudiotagger.
 *
 * <p><b>ID3v2.3, not 2.4.</b> Tags are written as ID3v2.3: it is the version every player and OS file
 * browser reads (Windows Explorer and several hardware/software players still ignore 2.4 tags), and it
 * carries any Unicode text: jaudiotagger writes a frame as ISO-8859-1 when the text fits and as UTF-16
 * (with BOM) otherwise, so "Björk &amp; 東京" survives. An existing 2.2/2.4 tag is converted to 2.3 and
 * its other frames are kept. Genres are written as text (never as "(17)" numbers) so TAG1 reads back
 * exactly as given. A trailing ID3v1 tag is removed on write: it can hold neither Unicode nor more
 * than 30 characters and would otherwise contradict the ID3v2 tag (the content hash ignores both).
 *
 * <p><b>Crash safety.</b> {@link #write} copies the file to a hidden temporary file in the same folder
 * ({@code .<name>.<random>.tagtmp}), tags the copy, fsyncs it, and renames it over the original with
 * an atomic move, then fsyncs the folder. A crash leaves either the old or the new file; a leftover
 * temporary file is recognised by {@link #isTempFile} and deleted when the library opens.
 *
 * <p>jaudiotagger logs through java.util.logging. When the server routes JUL to log4j2, log4j2.xml sets the
 * {@code org.jaudiotagger} level; otherwise (tests, tools) the JUL logger is set to WARNING here.
 */
public final class TagStore {
    /** Strong reference, or the JUL level setting could be lost to garbage collection. */
    private static final org.apache.logging.log4j.Logger LOG = org.apache.logging.log4j.LogManager.getLogger(TagStore.class);
    private static final java.util.logging.Logger JAUDIOTAGGER_LOG = java.util.logging.Logger.getLogger("org.jaudiotagger");
    static final String TEMP_SUFFIX = ".tagtmp";
    private static final Pattern NUMERIC_GENRE = Pattern.compile("\\(\\d+\\)");

    static {
        if (!java.util.logging.LogManager.getLogManager().getClass().getName().startsWith("org.apache.logging")) {
            JAUDIOTAGGER_LOG.setLevel(Level.WARNING);
        }
        TagOptionSingleton.getInstance().setWriteMp3GenresAsText(true);
    }

    /** The tag values and jaudiotagger's view of the audio. Values are "" when absent, never null. */
    public record Tags(String title, String artist, String tag1, String tag2, long durationMs, int sampleRate,
            boolean variableBitRate) {
    }

    private TagStore() {
    }

    /** Forces the static initialisation (logger level, genre option). */
    static void init() {
        // nothing: loading the class did the work
    }

    /**
     * Reads title, artist, TAG1 (genre), TAG2 (comment) and the duration jaudiotagger computes.
     *
     * @throws IOException if the file cannot be read or jaudiotagger does not take it for MP3 audio
     */
    public static Tags read(Path file) throws IOException {
        MP3File mp3 = open(file, true);
        MP3AudioHeader header = mp3.getMP3AudioHeader();
        if (header == null) {
            throw new IOException("no MP3 audio header in " + file.getFileName());
        }
        Tag tag = mp3.hasID3v2Tag() ? mp3.getID3v2Tag() : mp3.getTag();
        String title = first(tag, FieldKey.TITLE);
        String artist = first(tag, FieldKey.ARTIST);
        String genre = genre(tag);
        String comment = first(tag, FieldKey.COMMENT);
        long ms = Math.round(header.getPreciseTrackLength() * 1000.0);
        return new Tags(title, artist, genre, comment, ms, header.getSampleRateAsNumber(), header.isVariableBitRate());
    }

    /**
     * Writes title, artist, TAG1 and TAG2 into {@code file}'s ID3v2.3 tag, crash-safely (see the class
     * comment). Null or empty values remove the field. Other frames of an existing tag are kept.
     */
    public static void write(Path file, String title, String artist, String tag1, String tag2) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            Files.copy(file, temp, StandardCopyOption.COPY_ATTRIBUTES);
            MP3File mp3 = open(temp, false);
            AbstractID3v2Tag existing = mp3.getID3v2Tag();
            ID3v23Tag tag;
            if (existing instanceof ID3v23Tag v23) {
                tag = v23;
            } else if (existing != null) {
                tag = new ID3v23Tag((AbstractTag) existing);
            } else {
                tag = new ID3v23Tag();
            }
            set(tag, FieldKey.TITLE, title);
            set(tag, FieldKey.ARTIST, artist);
            set(tag, FieldKey.GENRE, tag1);
            set(tag, FieldKey.COMMENT, tag2);
            mp3.setID3v2Tag(tag);
            mp3.setID3v1Tag((ID3v1Tag) null);
            mp3.save();
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + file + " atomically", e);
            }
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot write the tag of " + file.getFileName() + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** True for a temporary file {@link #write} leaves behind if the process dies in the middle. */
    public static boolean isTempFile(Path file) {
        String n = file.getFileName().toString();
        return n.startsWith(".") && n.endsWith(TEMP_SUFFIX);
    }

    /** Flushes a directory's entries (renames) to disk; best effort where the platform cannot. */
    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // not supported on every platform (e.g. Windows); the rename itself is atomic anyway
        }
    }

    /**
     * Opens the file with jaudiotagger. Its leading ID3v2 tag is parsed only if {@link Id3Guard} finds it safe;
     * otherwise jaudiotagger sees the audio and any ID3v1 tag, and a write replaces the unsafe tag as a whole.
     */
    private static MP3File open(Path file, boolean readOnly) throws IOException {
        java.util.Optional<String> problem = Id3Guard.problem(file);
        if (problem.isPresent()) {
            LOG.warn("{}: ID3v2 tag ignored: {}", file.getFileName(), problem.get());
        }
        int options = problem.isPresent() ? MP3File.LOAD_IDV1TAG : MP3File.LOAD_ALL;
        try {
            return new MP3File(file.toFile(), options, readOnly);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    private static void set(ID3v23Tag tag, FieldKey key, String value) throws Exception {
        if (value == null || value.isEmpty()) {
            tag.deleteField(key);
        } else {
            tag.setField(key, value);
        }
    }

    private static String first(Tag tag, FieldKey key) {
        if (tag == null) {
            return "";
        }
        try {
            String v = tag.getFirst(key);
            return v == null ? "" : v;
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * The genre as written: jaudiotagger's generic GENRE turns "17" into "Rock", so the raw TCON text
     * is taken, and only the legacy "(17)" form is translated.
     */
    private static String genre(Tag tag) {
        if (tag instanceof AbstractID3v2Tag v2) {
            String raw;
            try {
                raw = v2.getFirst(v2 instanceof ID3v22Tag ? "TCO" : "TCON");
            } catch (RuntimeException e) {
                raw = null;
            }
            if (raw == null) {
                return "";
            }
            return NUMERIC_GENRE.matcher(raw).matches() ? first(tag, FieldKey.GENRE) : raw;
        }
        return first(tag, FieldKey.GENRE);
    }
}
