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
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Brings folder and index back into agreement when the library opens: deletes crash leftovers, finishes tag
 * edits a crash interrupted (the file's tag is the truth), drops rows whose file vanished, and indexes MP3s
 * found in the folder (from their tags, or their file name). Runs once, before the library is used.
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
        Map<String, Long> indexed = index.fileNames();
        List<Long> vanished = new ArrayList<>();
        for (Map.Entry<String, Long> e : indexed.entrySet()) {
            if (!Files.isRegularFile(files.folder().resolve(e.getKey()))) {
                vanished.add(e.getValue());
                LOG.warn("song #{}: file {} vanished; dropped from the index", e.getValue(), e.getKey());
            }
        }
        if (!vanished.isEmpty()) {
            index.delete(vanished);
        }
        int skipped = 0;
        Set<String> keys = new HashSet<>();
        List<SongIndex.Row> fresh = new ArrayList<>();
        for (Path p : files.songFiles()) {
            String n = p.getFileName().toString();
            if (indexed.containsKey(n)) {
                continue;
            }
            AudioCheck.Result audio;
            String hash;
            long size;
            try {
                audio = AudioCheck.check(p);
                hash = AudioDigest.sha256Hex(p);
                size = Files.size(p);
            } catch (LibraryException | IOException | StackOverflowError | OutOfMemoryError ex) {
                skipped++;
                LOG.warn("not indexing {}: {}", n, ex.getMessage());
                continue;
            }
            TagStore.Tags tags = audio.tags();
            String base = Titles.normalize(Titles.clean(tags.title()).strip());
            if (base.isEmpty() || Titles.ID_REF.matcher(base).matches() || Titles.key(base).isBlank()) {
                base = Titles.normalize(Titles.clean(n.substring(0, n.length() - 4)).strip());
            }
            if (base.isEmpty() || Titles.ID_REF.matcher(base).matches() || Titles.key(base).isBlank()) {
                base = "song " + base;
            }
            String title = base;
            for (int i = 2; keys.contains(Titles.key(title)) || index.hasKey(Titles.key(title)); i++) {
                String suffix = " (" + i + ")";
                title = Titles.truncate(base, Titles.MAX_TEXT - suffix.length()) + suffix;
            }
            keys.add(Titles.key(title));
            fresh.add(new SongIndex.Row(0, title, Titles.clean(tags.artist()), Titles.clean(tags.tag1()),
                    Titles.clean(tags.tag2()), audio.durationMs(), size, hash, n));
            LOG.info("indexed {} found in the folder as \"{}\"", n, title);
        }
        if (!fresh.isEmpty()) {
            index.insertAll(fresh);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        ReconcileReport r = new ReconcileReport(fresh.size(), vanished.size(), skipped, leftovers, ms);
        LOG.info("library {}: {} added, {} removed, {} skipped, {} leftovers cleaned in {} ms",
                files.folder(), fresh.size(), vanished.size(), skipped, leftovers, ms);
        return r;
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
