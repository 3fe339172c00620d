package dev.thing.server.library;

import dev.thing.protocol.AudioDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Brings folder and index back into agreement when the library opens: deletes crash leftovers, finishes tag
 * edits a crash interrupted (the file's tag is the truth), drops rows whose file vanished, and indexes MP3s
 * found in the folder (from their tags, or their file name). {@link #reconcile} runs once, before the library is
 * used; {@link Library#rescan} reuses its two halves (what vanished, what is new) on a running library.
 */
final class TagRepair {
    private static final Logger LOG = LogManager.getLogger(TagRepair.class);

    private TagRepair() {
    }

    static ReconcileReport reconcile(SongIndex index, SongFiles files) throws IOException, SQLException,
            LibraryException {
        long t0 = System.nanoTime();
        int leftovers = files.cleanLeftovers();
        if (leftovers > 0) {
            LOG.warn("deleted {} leftover file(s) of interrupted uploads/tag writes", leftovers);
        }
        repairInterruptedTagEdits(index);
        List<Long> vanished = vanished(index, files);
        if (!vanished.isEmpty()) {
            index.delete(vanished);
        }
        Unindexed found = unindexed(index, files, 0);
        Set<String> keys = new HashSet<>();
        List<SongIndex.Row> fresh = new ArrayList<>();
        for (Found f : found.files()) {
            SongIndex.Row row = row(f, 0, key -> keys.contains(key) || index.hasKey(key));
            keys.add(Titles.key(row.title()));
            fresh.add(row);
        }
        if (!fresh.isEmpty()) {
            index.insertAll(fresh);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        ReconcileReport r = new ReconcileReport(fresh.size(), vanished.size(), found.skipped().size(), leftovers, ms);
        LOG.info("library {}: {} added, {} removed, {} skipped, {} leftovers cleaned in {} ms",
                files.folder(), fresh.size(), vanished.size(), found.skipped().size(), leftovers, ms);
        return r;
    }

    /** The ids of the rows whose file is no longer in the folder. */
    static List<Long> vanished(SongIndex index, SongFiles files) {
        List<Long> vanished = new ArrayList<>();
        for (Map.Entry<String, Long> e : index.fileNames().entrySet()) {
            if (!Files.isRegularFile(files.folder().resolve(e.getKey()))) {
                vanished.add(e.getValue());
                LOG.warn("song #{}: file {} vanished; dropped from the index", e.getValue(), e.getKey());
            }
        }
        return vanished;
    }

    /** An MP3 of the folder that the index does not know, checked as an upload is checked. */
    record Found(Path file, AudioCheck.Result audio, String hash, long size) {
    }

    /** The folder's files the index does not know: those fit to be indexed, and those left out with why. */
    record Unindexed(List<Found> files, List<RescanReport.Skipped> skipped) {
    }

    /**
     * Checks every MP3 of the folder that has no row with the upload's own checks ({@link AudioCheck}, which
     * reads the tag through {@link Id3Guard}), and the upload's size limit when {@code maxBytes} is positive.
     * Disk work only: the index is read, not written.
     */
    static Unindexed unindexed(SongIndex index, SongFiles files, long maxBytes) throws IOException {
        Map<String, Long> indexed = index.fileNames();
        List<Found> found = new ArrayList<>();
        List<RescanReport.Skipped> skipped = new ArrayList<>();
        for (Path p : files.songFiles()) {
            String n = p.getFileName().toString();
            if (indexed.containsKey(n)) {
                continue;
            }
            try {
                long size = Files.size(p);
                if (maxBytes > 0 && size > maxBytes) {
                    throw new LibraryException(LibraryException.Reason.TOO_LARGE, "it is larger than the "
                            + Library.describeSize(maxBytes) + " upload limit (--max-upload-mib)");
                }
                AudioCheck.Result audio = AudioCheck.check(p);
                found.add(new Found(p, audio, AudioDigest.sha256Hex(p), size));
            } catch (LibraryException | IOException | StackOverflowError | OutOfMemoryError ex) {
                skipped.add(new RescanReport.Skipped(n, ex.getMessage()));
                LOG.warn("not indexing {}: {}", n, ex.getMessage());
            }
        }
        return new Unindexed(found, skipped);
    }

    /**
     * The row of a found file: its title from its tag, else its file name, made unique with " (2)", " (3)"...
     * against the keys {@code taken} says are in use; {@code id} 0 lets the database choose.
     */
    static SongIndex.Row row(Found f, long id, Predicate<String> taken) {
        String n = f.file().getFileName().toString();
        TagStore.Tags tags = f.audio().tags();
        String base = Titles.normalize(Titles.clean(tags.title()).strip());
        if (base.isEmpty() || Titles.ID_REF.matcher(base).matches() || Titles.key(base).isBlank()) {
            base = Titles.normalize(Titles.clean(n.substring(0, n.length() - 4)).strip());
        }
        if (base.isEmpty() || Titles.ID_REF.matcher(base).matches() || Titles.key(base).isBlank()) {
            base = "song " + base;
        }
        String title = base;
        for (int i = 2; taken.test(Titles.key(title)); i++) {
            String suffix = " (" + i + ")";
            title = Titles.truncate(base, Titles.MAX_TEXT - suffix.length()) + suffix;
        }
        LOG.info("indexed {} found in the folder as \"{}\"", n, title);
        return new SongIndex.Row(id, title, Titles.clean(tags.artist()), Titles.clean(tags.tag1()),
                Titles.clean(tags.tag2()), f.audio().durationMs(), f.size(), f.hash(), n);
    }

    /** Finishes tag edits a crash interrupted: the file's tag is the truth, so the row takes its values. */
    private static void repairInterruptedTagEdits(SongIndex index) throws SQLException, LibraryException {
        for (long id : index.interruptedTagEdits()) {
            Optional<Song> song = index.findById(id);
            if (song.isPresent() && Files.isRegularFile(song.get().file())) {
                Path file = song.get().file();
                try {
                    TagStore.Tags tags = TagStore.read(file);
                    Song fixed = index.updateFields(song.get(), Titles.clean(tags.artist()), Titles.clean(tags.tag1()),
                            Titles.clean(tags.tag2()), Files.size(file));
                    // A RENAME interrupted after the file's title was written: the file's title wins, if it is free.
                    String title = Titles.normalize(Titles.clean(tags.title()).strip());
                    if (!title.isEmpty() && !title.equals(fixed.title())
                            && (Titles.key(title).equals(Titles.key(fixed.title())) || !index.hasKey(Titles.key(title)))) {
                        index.updateTitle(fixed, title, fixed.sizeBytes());
                        LOG.warn("song #{}: a rename was interrupted; its title is now \"{}\", as in its file", id, title);
                    }
                    LOG.warn("song #{}: a tag edit was interrupted; the index now follows the file's tag", id);
                    continue;
                } catch (IOException e) {
                    LOG.warn("song #{}: could not read its tag after an interrupted edit: {}", id, e.toString());
                }
            }
            index.markTagEdit(id, false);
        }
    }
}
