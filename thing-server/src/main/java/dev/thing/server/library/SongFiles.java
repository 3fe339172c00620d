package dev.thing.server.library;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The library folder's files: temporary upload files in {@code .incoming/}, stored songs named
 * {@code <id>-<slug>.mp3} (an ASCII slug, so no user text names a path), and the leftovers a crash can leave.
 * Holds no lock: callers own the files they name (an upload its temporary file, a song's edit lock its file).
 */
final class SongFiles {
    private static final Logger LOG = LogManager.getLogger(SongFiles.class);
    static final String INCOMING = ".incoming";

    private final Path folder;
    private final Path incoming;

    SongFiles(Path folder) {
        this.folder = folder;
        this.incoming = folder.resolve(INCOMING);
    }

    Path folder() {
        return folder;
    }

    void create() throws IOException {
        Files.createDirectories(incoming);
    }

    /** A fresh name for an upload's temporary file (not created). */
    Path newTempFile() {
        return incoming.resolve("upload-" + UUID.randomUUID() + ".part");
    }

    /** {@code <id>-<slug>.mp3}, with {@code -2}, {@code -3}... if a file of that name exists already. */
    String freeFileName(long id, String title) {
        String base = id + "-" + Titles.slug(title);
        String name = base + ".mp3";
        for (int i = 2; Files.exists(folder.resolve(name)); i++) {
            name = base + "-" + i + ".mp3";
        }
        return name;
    }

    /** Renames a finished temporary file to its final name and makes the rename durable. */
    Path moveIntoPlace(Path temp, String name) throws IOException {
        Path target = folder.resolve(name);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        TagStore.fsyncDirectory(folder);
        return target;
    }

    /** Removes a file that was moved into place but could not be indexed. */
    void removeUnindexed(Path target) {
        try {
            Files.deleteIfExists(target);
            TagStore.fsyncDirectory(folder);
        } catch (IOException e) {
            LOG.error("cannot remove {} after a failed commit; the next open will index it", target, e);
        }
    }

    /** The {@code *.mp3} files of the folder (hidden files excluded), by name. */
    List<Path> songFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".") && n.toLowerCase(Locale.ROOT).endsWith(".mp3") && Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    /** Deletes what interrupted uploads and tag writes left; returns how many files. */
    int cleanLeftovers() throws IOException {
        int count = 0;
        try (Stream<Path> s = Files.walk(incoming)) {
            List<Path> all = s.filter(p -> !p.equals(incoming)).sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                if (!Files.isDirectory(p)) {
                    count++;
                }
                Files.deleteIfExists(p);
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
            for (Path p : ds) {
                if (TagStore.isTempFile(p) && Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                    count++;
                }
            }
        }
        return count;
    }
}
