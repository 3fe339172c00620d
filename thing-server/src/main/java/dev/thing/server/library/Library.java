package dev.thing.server.library;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The song library: a folder of MP3 files and its SQLite index. Knows nothing of the network. This class is the
 * public face; the work is split by responsibility:
 * <ul>
 * <li>{@link SongIndex}: the SQLite rows and their in-memory mirror (every read is a memory read);</li>
 * <li>{@link SongFiles}: file placement (temporary files, final names, leftovers);</li>
 * <li>{@link TagStore}, {@link Id3Guard}, {@link AudioCheck} and {@link TagRepair}: tags, the audio check, and
 * the repair at open;</li>
 * <li>{@link Titles}: what a title is and when two titles are the same.</li>
 * </ul>
 *
 * <p>Invariants: every row names a file in the folder, every {@code *.mp3} in the folder has a row (both
 * restored by the reconcile at {@link #open}); titles are unique by {@link Titles#key}; stored file names are
 * {@code <id>-<slug>.mp3} with an ASCII slug, so no user text can name a path outside the folder.
 *
 * <p>Threads and locks: the index's lock guards only its SQLite connection (held for one statement or one
 * transaction, never across file or tag work); title reservations have their own monitor (memory only). Writes
 * to one song (tag edits, delete) are serialised by a per-song lock, which only another write of that song
 * waits for. Moving a file into place, fsyncs and jaudiotagger run under no shared lock.
 *
 * <p>Crash safety of an upload: the tagged file is renamed into place and the rename made durable, then its row
 * is inserted (one statement). A crash between the two leaves an un-indexed file whose tags already hold title,
 * artist and tags; the next open indexes it. A failed insert removes the file again.
 */
public final class Library implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Library.class);
    static final String INCOMING = SongFiles.INCOMING;
    static final int MAX_TEXT = Titles.MAX_TEXT;

    private final SongFiles files;
    private final SongIndex index;
    private final long maxUploadBytes;
    private final long maxLibraryBytes;
    /** Title keys of uploads in progress; guarded by itself, as is {@link #inFlight}. */
    private final Set<String> reserved = new HashSet<>();
    /** Bytes received by uploads under way (counted against {@link #maxLibraryBytes}). */
    private long inFlight;
    private final Set<Upload> active = ConcurrentHashMap.newKeySet();
    private final Map<Long, ReentrantLock> songLocks = new ConcurrentHashMap<>();
    private volatile ReconcileReport lastReconcile;
    /**
     * Taken shared by an upload from the move of its file into the folder until its row is in, and exclusively by
     * {@link #rescan} while it indexes: a rescan never takes an upload's file for one dropped into the folder.
     */
    private final java.util.concurrent.locks.ReadWriteLock placing =
            new java.util.concurrent.locks.ReentrantReadWriteLock();
    /** One rescan at a time. */
    private final ReentrantLock rescanning = new ReentrantLock();
    private volatile boolean closed;

    private Library(SongFiles files, SongIndex index, long maxUploadBytes, long maxLibraryBytes) {
        this.files = files;
        this.index = index;
        this.maxUploadBytes = maxUploadBytes;
        this.maxLibraryBytes = maxLibraryBytes;
    }

    /**
     * Opens (creating if missing) the library in {@code folder} with its index in {@code databaseFile},
     * cleans crash leftovers and reconciles folder and index (see {@link #lastReconcile()}).
     */
    public static Library open(Path folder, Path databaseFile, long maxUploadBytes) throws LibraryException {
        return open(folder, databaseFile, maxUploadBytes, 0);
    }

    /**
     * The same, with a bound on the bytes all stored songs may take together (0 for none): an upload that
     * would pass it is refused with TOO_LARGE, at its SEND when the library is full already.
     */
    public static Library open(Path folder, Path databaseFile, long maxUploadBytes, long maxLibraryBytes)
            throws LibraryException {
        if (maxUploadBytes <= 0) {
            throw new IllegalArgumentException("maxUploadBytes must be positive");
        }
        TagStore.init();
        Path dir = folder.toAbsolutePath().normalize();
        SongIndex index = null;
        try {
            SongFiles files = new SongFiles(dir);
            files.create();
            Path dbFile = databaseFile.toAbsolutePath();
            if (dbFile.getParent() != null) {
                Files.createDirectories(dbFile.getParent());
            }
            index = SongIndex.open(dir, dbFile);
            index.migrateTitleKeys();
            Library lib = new Library(files, index, maxUploadBytes, maxLibraryBytes);
            lib.lastReconcile = TagRepair.reconcile(index, files);
            return lib;
        } catch (SQLException | IOException | LibraryException e) {
            if (index != null) {
                index.close();
            }
            if (e instanceof LibraryException le) {
                throw le;
            }
            throw new LibraryException(LibraryException.Reason.INTERNAL,
                    "cannot open the library in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The library folder (absolute). */
    public Path folder() {
        return files.folder();
    }

    /** The index (package-private, for tests). */
    SongIndex index() {
        return index;
    }

    /** The report of the reconcile done by {@link #open}. */
    public ReconcileReport lastReconcile() {
        return lastReconcile;
    }

    // ------------------------------------------------------------------ reading (memory only)

    /** All songs, ordered by id. */
    public List<Song> list() throws LibraryException {
        return index.list();
    }

    /** The song with this title, compared by {@link Titles#key}. */
    public Optional<Song> findByTitle(String title) throws LibraryException {
        return index.findByTitle(title);
    }

    /** The song with this id. */
    public Optional<Song> findById(long id) throws LibraryException {
        return index.findById(id);
    }

    /** {@code #<digits>} is an id, anything else a title. */
    public Song resolve(String ref) throws LibraryException {
        if (ref != null && Titles.ID_REF.matcher(ref).matches()) {
            long id;
            try {
                id = Long.parseLong(ref.substring(1));
            } catch (NumberFormatException e) {
                throw noSuchSong(ref);
            }
            return findById(id).orElseThrow(() -> noSuchSong(ref));
        }
        if (ref == null) {
            throw noSuchSong("");
        }
        return findByTitle(ref).orElseThrow(() -> noSuchSong(ref));
    }

    /** A song picked uniformly at random, or empty if the library is empty. */
    public Optional<Song> random(RandomGenerator rng) throws LibraryException {
        return index.random(rng);
    }

    // ------------------------------------------------------------------ uploads

    /**
     * Starts an upload. Null or empty artist/tags are taken from the file's own tags at commit.
     *
     * @throws LibraryException SYNTAX for a bad title or value, TITLE_EXISTS if the title is in the
     *     library or being uploaded
     */
    public Upload beginUpload(String givenTitle, String artist, String tag1, String tag2) throws LibraryException {
        Titles.checkTitle(givenTitle);
        String title = Titles.normalize(givenTitle);
        Titles.checkValue("artist", artist);
        Titles.checkValue("tag1", tag1);
        Titles.checkValue("tag2", tag2);
        String k = Titles.key(title);
        ensureOpen();
        synchronized (reserved) {
            if (maxLibraryBytes > 0 && index.totalBytes() + inFlight >= maxLibraryBytes) {
                throw full();
            }
            if (reserved.contains(k)) {
                throw new LibraryException(LibraryException.Reason.TITLE_EXISTS,
                        "a song titled \"" + title + "\" is being uploaded");
            }
            Optional<Song> existing = findByTitle(title);
            if (existing.isPresent()) {
                throw new LibraryException(LibraryException.Reason.TITLE_EXISTS,
                        "the library already has a song titled \"" + existing.get().title() + "\" (#"
                                + existing.get().id() + ")");
            }
            reserved.add(k);
        }
        Upload u;
        try {
            u = new Upload(this, title, k, artist, tag1, tag2, files.newTempFile(), maxUploadBytes);
        } catch (IOException e) {
            synchronized (reserved) {
                reserved.remove(k);
            }
            throw internal("creating the upload file", e);
        }
        active.add(u);
        LOG.debug("upload of \"{}\" begun", title);
        return u;
    }

    /** Called by an upload when it ends, however it ends. */
    void release(Upload u) {
        synchronized (reserved) {
            reserved.remove(u.titleKey());
            inFlight -= u.claimedBytes();
        }
        active.remove(u);
    }

    /**
     * Counts {@code len} more bytes of an upload against the library's bound (RFC section 11), or refuses them.
     *
     * @throws LibraryException TOO_LARGE when the stored songs and the uploads under way would pass the bound
     */
    void claim(long len) throws LibraryException {
        if (maxLibraryBytes <= 0) {
            return;
        }
        synchronized (reserved) {
            if (index.totalBytes() + inFlight + len > maxLibraryBytes) {
                throw full();
            }
            inFlight += len;
        }
    }

    private LibraryException full() {
        return new LibraryException(LibraryException.Reason.TOO_LARGE, "the library is full: its songs take "
                + mib(index.totalBytes()) + " of the " + mib(maxLibraryBytes) + " the server allows (--max-library-mib)");
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /** The songs' total size, and its bound, for people (the server's log at start). */
    public String describeTotals() throws LibraryException {
        return list().size() + " songs, " + mib(index.totalBytes())
                + (maxLibraryBytes > 0 ? " of at most " + mib(maxLibraryBytes) : "");
    }

    /** The bytes all stored songs take. */
    public long totalBytes() {
        return index.totalBytes();
    }

    /**
     * Moves the finished, tagged temp file into place, then indexes it; on a failed insert the file is removed
     * again. No shared lock is held across the move or the fsyncs.
     */
    Song place(Path temp, String title, String artist, String tag1, String tag2, long durationMs, long size,
            String hash) throws LibraryException {
        long id = index.allocateId();
        Song song;
        placing.readLock().lock();
        try {
            String name = files.freeFileName(id, title);
            Path target;
            try {
                target = files.moveIntoPlace(temp, name);
            } catch (IOException e) {
                throw internal("storing \"" + title + "\"", e);
            }
            try {
                song = index.insert(new SongIndex.Row(id, title, artist, tag1, tag2, durationMs, size, hash, name));
            } catch (LibraryException e) {
                files.removeUnindexed(target);
                throw e;
            }
        } finally {
            placing.readLock().unlock();
        }
        LOG.info("stored song #{} \"{}\" ({} bytes, {} ms) as {}", id, title, size, durationMs,
                song.file().getFileName());
        return song;
    }

    /**
     * Brings the index up to date with the folder while the server runs: MP3s dropped into the folder are indexed
     * (checked as an upload is: {@link AudioCheck}, the upload size limit and the library's bound), and songs whose
     * file was removed are dropped. Unlike the reconcile at {@link #open} it leaves {@code .incoming/} alone
     * (uploads are under way) and repairs no tag edits (none was interrupted). The files are checked under no
     * lock; only the indexing of the checked ones holds uploads back from placing their files.
     */
    public RescanReport rescan() throws LibraryException {
        ensureOpen();
        rescanning.lock();
        try {
            TagRepair.Unindexed found;
            try {
                found = TagRepair.unindexed(index, files, maxUploadBytes);
            } catch (IOException e) {
                throw internal("reading the library folder", e);
            }
            List<Song> removed = new java.util.ArrayList<>();
            for (long id : TagRepair.vanished(index, files)) {
                ReentrantLock lock = songLock(id);
                lock.lock();
                try {
                    // A DELETE may have taken it meanwhile (file first, then row): then it is no longer ours.
                    Optional<Song> gone = findById(id);
                    if (gone.isPresent() && !Files.isRegularFile(gone.get().file())) {
                        index.delete(List.of(id));
                        removed.add(gone.get());
                    }
                } finally {
                    lock.unlock();
                }
                songLocks.remove(id);
            }
            List<Song> added = new java.util.ArrayList<>();
            List<RescanReport.Skipped> skipped = new java.util.ArrayList<>(found.skipped());
            placing.writeLock().lock();
            try {
                Set<String> known = index.fileNames().keySet();
                for (TagRepair.Found f : found.files()) {
                    String name = f.file().getFileName().toString();
                    if (known.contains(name) || !Files.isRegularFile(f.file())) {
                        continue; // an upload placed it since it was checked, or it went again
                    }
                    synchronized (reserved) {
                        if (maxLibraryBytes > 0 && index.totalBytes() + inFlight + f.size() > maxLibraryBytes) {
                            skipped.add(new RescanReport.Skipped(name, full().getMessage()));
                            continue;
                        }
                        SongIndex.Row row = TagRepair.row(f, index.allocateId(),
                                key -> reserved.contains(key) || index.hasKey(key));
                        added.add(index.insert(row));
                    }
                }
            } finally {
                placing.writeLock().unlock();
            }
            LOG.info("rescan of {}: {} added, {} removed, {} skipped", files.folder(), added.size(), removed.size(),
                    skipped.size());
            return new RescanReport(added, removed, skipped);
        } finally {
            rescanning.unlock();
        }
    }

    // ------------------------------------------------------------------ edits

    /** Sets ARTIST, TAG1 or TAG2 of a song, in its file's tag and in the index. */
    public Song setField(String ref, SongField field, String value) throws LibraryException {
        Titles.checkValue(field.name().toLowerCase(Locale.ROOT), value);
        String v = value == null ? "" : value;
        Song song = resolve(ref);
        ReentrantLock lock = songLock(song.id());
        lock.lock();
        try {
            Song current = findById(song.id()).orElseThrow(() -> noSuchSong(ref));
            String artist = field == SongField.ARTIST ? v : current.artist();
            String tag1 = field == SongField.TAG1 ? v : current.tag1();
            String tag2 = field == SongField.TAG2 ? v : current.tag2();
            // Noted before the file is rewritten: a crash between the rewrite and the row's update leaves the
            // note, and the next open takes the row's values from the file (TagRepair).
            index.markTagEdit(current.id(), true);
            try {
                TagStore.write(current.file(), current.title(), artist, tag1, tag2);
            } catch (IOException | RuntimeException | StackOverflowError e) {
                index.markTagEdit(current.id(), false);
                throw internal("writing the tag of \"" + current.title() + "\"", e);
            }
            long size;
            try {
                size = Files.size(current.file());
            } catch (IOException e) {
                size = current.sizeBytes();
            }
            Song updated = index.updateFields(current, artist, tag1, tag2, size);
            LOG.info("song #{} \"{}\": {} set to \"{}\"", current.id(), current.title(), field, v);
            return updated;
        } finally {
            lock.unlock();
        }
    }

    /** What a rename did: the title the song had, and the song now. */
    public record Renamed(String oldTitle, Song song) {
    }

    /**
     * Gives a song a new title: written into the file's ID3 title first, then the index (a crash in between is
     * repaired from the file at the next open, as for any tag edit). A change of case or spelling that keeps the
     * title's key is allowed; another song's title, or one being uploaded, is not.
     *
     * @throws LibraryException SYNTAX for a bad title, NO_SUCH_SONG, TITLE_EXISTS
     */
    public Renamed rename(String ref, String newTitle) throws LibraryException {
        Titles.checkTitle(newTitle);
        String title = Titles.normalize(newTitle);
        String k = Titles.key(title);
        Song song = resolve(ref);
        ReentrantLock lock = songLock(song.id());
        lock.lock();
        try {
            Song current = findById(song.id()).orElseThrow(() -> noSuchSong(ref));
            boolean sameKey = Titles.key(current.title()).equals(k);
            if (current.title().equals(title)) {
                throw new LibraryException(LibraryException.Reason.TITLE_EXISTS,
                        "the song is already titled \"" + title + "\"");
            }
            synchronized (reserved) {
                if (!sameKey) {
                    if (reserved.contains(k)) {
                        throw new LibraryException(LibraryException.Reason.TITLE_EXISTS,
                                "a song titled \"" + title + "\" is being uploaded");
                    }
                    Optional<Song> existing = findByTitle(title);
                    if (existing.isPresent()) {
                        throw new LibraryException(LibraryException.Reason.TITLE_EXISTS,
                                "the library already has a song titled \"" + existing.get().title() + "\" (#"
                                        + existing.get().id() + ")");
                    }
                }
                reserved.add(k);
            }
            try {
                index.markTagEdit(current.id(), true);
                try {
                    TagStore.write(current.file(), title, current.artist(), current.tag1(), current.tag2());
                } catch (IOException | RuntimeException | StackOverflowError e) {
                    index.markTagEdit(current.id(), false);
                    throw internal("writing the new title of \"" + current.title() + "\"", e);
                }
                long size;
                try {
                    size = Files.size(current.file());
                } catch (IOException e) {
                    size = current.sizeBytes();
                }
                Song renamed = index.updateTitle(current, title, size);
                LOG.info("song #{} \"{}\" renamed \"{}\"", current.id(), current.title(), title);
                return new Renamed(current.title(), renamed);
            } finally {
                synchronized (reserved) {
                    reserved.remove(k);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes a song: its file first, then its row (a crash in between leaves a row whose file is gone,
     * which the next open drops).
     */
    public Song delete(String ref) throws LibraryException {
        Song song = resolve(ref);
        ReentrantLock lock = songLock(song.id());
        lock.lock();
        try {
            Song current = findById(song.id()).orElseThrow(() -> noSuchSong(ref));
            try {
                Files.deleteIfExists(current.file());
            } catch (IOException e) {
                throw internal("deleting the file of \"" + current.title() + "\"", e);
            }
            index.delete(List.of(current.id()));
            songLocks.remove(current.id());
            LOG.info("deleted song #{} \"{}\"", current.id(), current.title());
            return current;
        } finally {
            lock.unlock();
        }
    }

    /** Aborts uploads in progress and closes the index. */
    @Override
    public void close() {
        closed = true;
        for (Upload u : List.copyOf(active)) {
            u.abort();
        }
        index.close();
    }

    // ------------------------------------------------------------------ helpers

    /** ASCII {@code [a-z0-9-]}, at most 40 characters, never empty. */
    static String slug(String title) {
        return Titles.slug(title);
    }

    static String key(String title) {
        return Titles.key(title);
    }

    static String clean(String s) {
        return Titles.clean(s);
    }

    static String describeSize(long bytes) {
        return Titles.describeSize(bytes);
    }

    private ReentrantLock songLock(long id) {
        return songLocks.computeIfAbsent(id, k -> new ReentrantLock());
    }

    private void ensureOpen() throws LibraryException {
        if (closed) {
            throw new LibraryException(LibraryException.Reason.INTERNAL, "the library is closed");
        }
    }

    private static LibraryException noSuchSong(String ref) {
        return new LibraryException(LibraryException.Reason.NO_SUCH_SONG, noSuchSongText(ref));
    }

    static LibraryException internal(String what, Throwable e) {
        LOG.error("library failure {}", what, e);
        return new LibraryException(LibraryException.Reason.INTERNAL, "internal error " + what + ": " + e.getMessage(), e);
    }

    /**
     * The words for a song reference that matches nothing, the same wherever a command names a song (RFC 2.9):
     * {@code no song #9 in the library} for an id, {@code no song titled "X" in the library} for a title.
     */
    public static String noSuchSongText(String ref) {
        return (dev.thing.protocol.Names.SONG_ID.matcher(ref).matches() ? "no song " + ref
                : "no song titled " + "\"" + ref.replace("\\", "\\\\").replace("\"", "\\\"") + "\"") + " in the library";
    }
}
