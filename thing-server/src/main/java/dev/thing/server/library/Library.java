package dev.thing.server.library;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The song library: a folder of MP3 files and its SQLite index. Knows nothing of the network.
 *
 * <p>Invariants: every row names a file in the folder, every {@code *.mp3} in the folder has a row
 * (both restored by the reconcile at {@link #open}); titles are unique case-insensitively (column
 * {@code title_key}, lower-cased with {@link Locale#ROOT}); stored file names are
 * {@code <id>-<slug>.mp3} with an ASCII slug, so no user text can name a path outside the folder.
 *
 * <p>Threads: one SQLite connection guarded by one lock; file work (copying, tagging, hashing) runs
 * outside it. Writes to one song (tag edits, delete) are serialised by a per-song lock.
 *
 * <p>Crash safety of an upload: the row is inserted inside a transaction, the file is renamed into
 * place, then the transaction commits (a failed rename rolls back). A crash between rename and commit
 * leaves an un-indexed file whose tags already hold title, artist and tags; the next open indexes it.
 */
public final class Library implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Library.class);
    static final String INCOMING = ".incoming";
    static final int MAX_TEXT = 256;
    private static final int MAX_SLUG = 40;
    private static final Pattern ID_REF = Pattern.compile("#[0-9]+");
    private static final String COLUMNS =
            "id, title, artist, tag1, tag2, duration_ms, size_bytes, audio_hash, file_name";

    private final Path folder;
    private final Path incoming;
    private final long maxUploadBytes;
    private final Connection db;
    private final ReentrantLock dbLock = new ReentrantLock();
    /** Title keys of uploads in progress; guarded by {@link #dbLock}. */
    private final Set<String> reserved = new HashSet<>();
    private final Set<Upload> active = ConcurrentHashMap.newKeySet();
    private final Map<Long, ReentrantLock> songLocks = new ConcurrentHashMap<>();
    private volatile ReconcileReport lastReconcile;
    private volatile boolean closed;

    private Library(Path folder, Connection db, long maxUploadBytes) {
        this.folder = folder;
        this.incoming = folder.resolve(INCOMING);
        this.db = db;
        this.maxUploadBytes = maxUploadBytes;
    }

    /**
     * Opens (creating if missing) the library in {@code folder} with its index in {@code databaseFile},
     * cleans crash leftovers and reconciles folder and index (see {@link #lastReconcile()}).
     */
    public static Library open(Path folder, Path databaseFile, long maxUploadBytes) throws LibraryException {
        if (maxUploadBytes <= 0) {
            throw new IllegalArgumentException("maxUploadBytes must be positive");
        }
        TagStore.init();
        Path dir = folder.toAbsolutePath().normalize();
        Connection conn = null;
        try {
            Files.createDirectories(dir.resolve(INCOMING));
            Path dbFile = databaseFile.toAbsolutePath();
            if (dbFile.getParent() != null) {
                Files.createDirectories(dbFile.getParent());
            }
            conn = DriverManager.getConnection("jdbc:sqlite:" + dbFile);
            try (Statement st = conn.createStatement()) {
                st.execute("PRAGMA busy_timeout = 5000");
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = FULL");
                st.execute("CREATE TABLE IF NOT EXISTS songs ("
                        + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " title TEXT NOT NULL,"
                        + " title_key TEXT NOT NULL UNIQUE,"
                        + " artist TEXT NOT NULL DEFAULT '',"
                        + " tag1 TEXT NOT NULL DEFAULT '',"
                        + " tag2 TEXT NOT NULL DEFAULT '',"
                        + " duration_ms INTEGER NOT NULL,"
                        + " size_bytes INTEGER NOT NULL,"
                        + " audio_hash TEXT NOT NULL,"
                        + " file_name TEXT NOT NULL UNIQUE,"
                        + " added_at INTEGER NOT NULL)");
                // A tag edit in progress: its file may already hold the new tag while the row does not.
                st.execute("CREATE TABLE IF NOT EXISTS tag_edits (song_id INTEGER PRIMARY KEY)");
            }
            Library lib = new Library(dir, conn, maxUploadBytes);
            lib.lastReconcile = lib.reconcile();
            return lib;
        } catch (SQLException | IOException e) {
            if (conn != null) {
                try {
                    conn.close();
                } catch (SQLException ignored) {
                    // already failing
                }
            }
            throw new LibraryException(LibraryException.Reason.INTERNAL,
                    "cannot open the library in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The library folder (absolute). */
    public Path folder() {
        return folder;
    }

    /** The report of the reconcile done by {@link #open}. */
    public ReconcileReport lastReconcile() {
        return lastReconcile;
    }

    // ------------------------------------------------------------------ reading

    /** All songs, ordered by id. */
    public List<Song> list() throws LibraryException {
        return query("SELECT " + COLUMNS + " FROM songs ORDER BY id");
    }

    /** The song with this title, compared case-insensitively. */
    public Optional<Song> findByTitle(String title) throws LibraryException {
        return query("SELECT " + COLUMNS + " FROM songs WHERE title_key = ?", key(title)).stream().findFirst();
    }

    /** The song with this id. */
    public Optional<Song> findById(long id) throws LibraryException {
        return query("SELECT " + COLUMNS + " FROM songs WHERE id = ?", id).stream().findFirst();
    }

    /** {@code #<digits>} is an id, anything else a title. */
    public Song resolve(String ref) throws LibraryException {
        if (ref != null && ID_REF.matcher(ref).matches()) {
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
        dbLock.lock();
        try {
            ensureOpen();
            long count;
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM songs")) {
                rs.next();
                count = rs.getLong(1);
            }
            if (count == 0) {
                return Optional.empty();
            }
            long offset = rng.nextLong(count);
            return query("SELECT " + COLUMNS + " FROM songs ORDER BY id LIMIT 1 OFFSET ?", offset).stream().findFirst();
        } catch (SQLException e) {
            throw internal("reading the library", e);
        } finally {
            dbLock.unlock();
        }
    }

    // ------------------------------------------------------------------ uploads

    /**
     * Starts an upload. Null or empty artist/tags are taken from the file's own tags at commit.
     *
     * @throws LibraryException SYNTAX for a bad title or value, TITLE_EXISTS if the title is in the
     *     library or being uploaded
     */
    public Upload beginUpload(String title, String artist, String tag1, String tag2) throws LibraryException {
        checkTitle(title);
        checkValue("artist", artist);
        checkValue("tag1", tag1);
        checkValue("tag2", tag2);
        String k = key(title);
        dbLock.lock();
        try {
            ensureOpen();
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
            Path temp = incoming.resolve("upload-" + UUID.randomUUID() + ".part");
            Upload u;
            try {
                u = new Upload(this, title, k, artist, tag1, tag2, temp, maxUploadBytes);
            } catch (IOException e) {
                throw internal("creating the upload file", e);
            }
            reserved.add(k);
            active.add(u);
            LOG.debug("upload of \"{}\" begun", title);
            return u;
        } finally {
            dbLock.unlock();
        }
    }

    /** Called by an upload when it ends, however it ends. */
    void release(Upload u) {
        dbLock.lock();
        try {
            reserved.remove(u.titleKey());
            active.remove(u);
        } finally {
            dbLock.unlock();
        }
    }

    /** Inserts the row and moves the finished temp file into place; both or neither. */
    Song place(Path temp, String title, String artist, String tag1, String tag2, long durationMs, long size,
            String hash) throws LibraryException {
        dbLock.lock();
        try {
            ensureOpen();
            Path target = null;
            boolean moved = false;
            try {
                db.setAutoCommit(false);
                long id;
                try (PreparedStatement ps = db.prepareStatement("INSERT INTO songs (title, title_key, artist, tag1, tag2,"
                        + " duration_ms, size_bytes, audio_hash, file_name, added_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    ps.setString(1, title);
                    ps.setString(2, key(title));
                    ps.setString(3, artist);
                    ps.setString(4, tag1);
                    ps.setString(5, tag2);
                    ps.setLong(6, durationMs);
                    ps.setLong(7, size);
                    ps.setString(8, hash);
                    ps.setString(9, ".pending-" + UUID.randomUUID());
                    ps.setLong(10, System.currentTimeMillis());
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        id = keys.getLong(1);
                    }
                }
                String name = freeFileName(id, title);
                target = folder.resolve(name);
                try (PreparedStatement ps = db.prepareStatement("UPDATE songs SET file_name = ? WHERE id = ?")) {
                    ps.setString(1, name);
                    ps.setLong(2, id);
                    ps.executeUpdate();
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                moved = true;
                db.commit();
                TagStore.fsyncDirectory(folder);
                Song song = new Song(id, title, artist, tag1, tag2, durationMs, size, hash, target);
                LOG.info("stored song #{} \"{}\" ({} bytes, {} ms) as {}", id, title, size, durationMs, name);
                return song;
            } catch (SQLException | IOException e) {
                rollbackQuietly();
                if (moved) {
                    try {
                        Files.deleteIfExists(target);
                    } catch (IOException e2) {
                        LOG.error("cannot remove {} after a failed commit; the next open will index it", target, e2);
                    }
                }
                if (e instanceof SQLException sql && isUniqueViolation(sql) && sql.getMessage().contains("title_key")) {
                    throw new LibraryException(LibraryException.Reason.TITLE_EXISTS,
                            "the library already has a song titled \"" + title + "\"", e);
                }
                throw internal("storing \"" + title + "\"", e);
            } finally {
                autoCommitQuietly();
            }
        } finally {
            dbLock.unlock();
        }
    }

    // ------------------------------------------------------------------ edits

    /** Sets ARTIST, TAG1 or TAG2 of a song, in its file's tag and in the index. */
    public Song setField(String ref, SongField field, String value) throws LibraryException {
        checkValue(field.name().toLowerCase(Locale.ROOT), value);
        String v = value == null ? "" : value;
        Song song = resolve(ref);
        ReentrantLock lock = songLock(song.id());
        lock.lock();
        try {
            Song current = findById(song.id()).orElseThrow(() -> noSuchSong(ref));
            String artist = field == SongField.ARTIST ? v : current.artist();
            String tag1 = field == SongField.TAG1 ? v : current.tag1();
            String tag2 = field == SongField.TAG2 ? v : current.tag2();
            markTagEdit(current.id(), true);
            try {
                TagStore.write(current.file(), current.title(), artist, tag1, tag2);
            } catch (IOException e) {
                markTagEdit(current.id(), false);
                throw internal("writing the tag of \"" + current.title() + "\"", e);
            }
            long size;
            try {
                size = Files.size(current.file());
            } catch (IOException e) {
                size = current.sizeBytes();
            }
            dbLock.lock();
            try {
                ensureOpen();
                try (PreparedStatement ps = db.prepareStatement(
                        "UPDATE songs SET artist = ?, tag1 = ?, tag2 = ?, size_bytes = ? WHERE id = ?")) {
                    ps.setString(1, artist);
                    ps.setString(2, tag1);
                    ps.setString(3, tag2);
                    ps.setLong(4, size);
                    ps.setLong(5, current.id());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = db.prepareStatement("DELETE FROM tag_edits WHERE song_id = ?")) {
                    ps.setLong(1, current.id());
                    ps.executeUpdate();
                }
            } catch (SQLException e) {
                throw internal("updating \"" + current.title() + "\"", e);
            } finally {
                dbLock.unlock();
            }
            LOG.info("song #{} \"{}\": {} set to \"{}\"", current.id(), current.title(), field, v);
            return new Song(current.id(), current.title(), artist, tag1, tag2, current.durationMs(), size,
                    current.audioHash(), current.file());
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
            dbLock.lock();
            try {
                ensureOpen();
                try (PreparedStatement ps = db.prepareStatement("DELETE FROM songs WHERE id = ?")) {
                    ps.setLong(1, current.id());
                    ps.executeUpdate();
                }
            } catch (SQLException e) {
                throw internal("deleting \"" + current.title() + "\"", e);
            } finally {
                dbLock.unlock();
            }
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
        for (Upload u : List.copyOf(active)) {
            u.abort();
        }
        dbLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            db.close();
        } catch (SQLException e) {
            LOG.warn("closing the library index", e);
        } finally {
            dbLock.unlock();
        }
    }

    /**
     * Notes (before the file is rewritten) or forgets that a song's tag is being edited. A crash between the file's
     * rewrite and the row's update leaves the note, and the next open takes the row's values from the file.
     */
    private void markTagEdit(long songId, boolean editing) throws LibraryException {
        dbLock.lock();
        try (PreparedStatement ps = db.prepareStatement(editing
                ? "INSERT OR REPLACE INTO tag_edits (song_id) VALUES (?)" : "DELETE FROM tag_edits WHERE song_id = ?")) {
            ps.setLong(1, songId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw internal("noting a tag edit of song #" + songId, e);
        } finally {
            dbLock.unlock();
        }
    }

    /** Finishes tag edits a crash interrupted: the file's tag is the truth, so the row takes its values. */
    private int repairInterruptedTagEdits() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT song_id FROM tag_edits")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        for (long id : ids) {
            String fileName = null;
            try (PreparedStatement ps = db.prepareStatement("SELECT file_name FROM songs WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        fileName = rs.getString(1);
                    }
                }
            }
            if (fileName != null && Files.isRegularFile(folder.resolve(fileName))) {
                try {
                    Path file = folder.resolve(fileName);
                    TagStore.Tags tags = TagStore.read(file);
                    try (PreparedStatement ps = db.prepareStatement(
                            "UPDATE songs SET artist = ?, tag1 = ?, tag2 = ?, size_bytes = ? WHERE id = ?")) {
                        ps.setString(1, clean(tags.artist()));
                        ps.setString(2, clean(tags.tag1()));
                        ps.setString(3, clean(tags.tag2()));
                        ps.setLong(4, Files.size(file));
                        ps.setLong(5, id);
                        ps.executeUpdate();
                    }
                    LOG.warn("song #{}: a tag edit was interrupted; the index now follows the file's tag", id);
                } catch (IOException e) {
                    LOG.warn("song #{}: could not read its tag after an interrupted edit: {}", id, e.toString());
                }
            }
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM tag_edits WHERE song_id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
        }
        return ids.size();
    }

    // ------------------------------------------------------------------ reconcile

    private ReconcileReport reconcile() throws IOException, SQLException {
        long t0 = System.nanoTime();
        int leftovers = cleanLeftovers();
        if (leftovers > 0) {
            LOG.warn("deleted {} leftover file(s) of interrupted uploads/tag writes", leftovers);
        }
        int removed = 0;
        int added = 0;
        int skipped = 0;
        dbLock.lock();
        try {
            repairInterruptedTagEdits();
            Map<String, Long> indexed = new HashMap<>();
            Set<String> keys = new HashSet<>();
            try (Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id, file_name, title_key FROM songs")) {
                while (rs.next()) {
                    indexed.put(rs.getString(2), rs.getLong(1));
                    keys.add(rs.getString(3));
                }
            }
            db.setAutoCommit(false);
            try {
                for (Map.Entry<String, Long> e : indexed.entrySet()) {
                    if (!Files.isRegularFile(folder.resolve(e.getKey()))) {
                        try (PreparedStatement ps = db.prepareStatement("DELETE FROM songs WHERE id = ?")) {
                            ps.setLong(1, e.getValue());
                            ps.executeUpdate();
                        }
                        removed++;
                        LOG.warn("song #{}: file {} vanished; dropped from the index", e.getValue(), e.getKey());
                    }
                }
                List<Path> fresh = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
                    for (Path p : ds) {
                        String n = p.getFileName().toString();
                        if (!n.startsWith(".") && n.toLowerCase(Locale.ROOT).endsWith(".mp3")
                                && !indexed.containsKey(n) && Files.isRegularFile(p)) {
                            fresh.add(p);
                        }
                    }
                }
                fresh.sort(Comparator.comparing(p -> p.getFileName().toString()));
                try (PreparedStatement ins = db.prepareStatement("INSERT INTO songs (title, title_key, artist, tag1,"
                        + " tag2, duration_ms, size_bytes, audio_hash, file_name, added_at) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
                    for (Path p : fresh) {
                        String n = p.getFileName().toString();
                        AudioCheck.Result audio;
                        String hash;
                        long size;
                        try {
                            audio = AudioCheck.check(p);
                            hash = dev.thing.protocol.AudioDigest.sha256Hex(p);
                            size = Files.size(p);
                        } catch (LibraryException | IOException | StackOverflowError | OutOfMemoryError ex) {
                            skipped++;
                            LOG.warn("not indexing {}: {}", n, ex.getMessage());
                            continue;
                        }
                        TagStore.Tags tags = audio.tags();
                        String base = clean(tags.title()).strip();
                        if (base.isEmpty() || ID_REF.matcher(base).matches()) {
                            base = clean(n.substring(0, n.length() - 4)).strip();
                        }
                        if (base.isEmpty() || ID_REF.matcher(base).matches()) {
                            base = "song " + base;
                        }
                        String title = base;
                        for (int i = 2; keys.contains(key(title)) || reserved.contains(key(title)); i++) {
                            String suffix = " (" + i + ")";
                            title = truncate(base, MAX_TEXT - suffix.length()) + suffix;
                        }
                        keys.add(key(title));
                        ins.setString(1, title);
                        ins.setString(2, key(title));
                        ins.setString(3, clean(tags.artist()));
                        ins.setString(4, clean(tags.tag1()));
                        ins.setString(5, clean(tags.tag2()));
                        ins.setLong(6, audio.durationMs());
                        ins.setLong(7, size);
                        ins.setString(8, hash);
                        ins.setString(9, n);
                        ins.setLong(10, System.currentTimeMillis());
                        ins.executeUpdate();
                        added++;
                        LOG.info("indexed {} found in the folder as \"{}\"", n, title);
                    }
                }
                db.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            } finally {
                autoCommitQuietly();
            }
        } finally {
            dbLock.unlock();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        ReconcileReport r = new ReconcileReport(added, removed, skipped, leftovers, ms);
        LOG.info("library {}: {} added, {} removed, {} skipped, {} leftovers cleaned in {} ms",
                folder, added, removed, skipped, leftovers, ms);
        return r;
    }

    private int cleanLeftovers() throws IOException {
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

    // ------------------------------------------------------------------ helpers

    private List<Song> query(String sql, Object... args) throws LibraryException {
        dbLock.lock();
        try {
            ensureOpen();
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                List<Song> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Song(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getString(8),
                                folder.resolve(rs.getString(9))));
                    }
                }
                return out;
            }
        } catch (SQLException e) {
            throw internal("reading the library", e);
        } finally {
            dbLock.unlock();
        }
    }

    private String freeFileName(long id, String title) {
        String base = id + "-" + slug(title);
        String name = base + ".mp3";
        for (int i = 2; Files.exists(folder.resolve(name)); i++) {
            name = base + "-" + i + ".mp3";
        }
        return name;
    }

    /** ASCII {@code [a-z0-9-]}, at most 40 characters, never empty. */
    static String slug(String title) {
        String s = Normalizer.normalize(title, Normalizer.Form.NFD).toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder();
        boolean dash = false;
        for (int i = 0; i < s.length() && b.length() < MAX_SLUG; i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                b.append(c);
                dash = false;
            } else if (c < 0x300 || c > 0x36F) { // combining accents vanish, everything else separates
                if (!dash && b.length() > 0) {
                    b.append('-');
                    dash = true;
                }
            }
        }
        while (b.length() > 0 && b.charAt(b.length() - 1) == '-') {
            b.setLength(b.length() - 1);
        }
        return b.length() == 0 ? "song" : b.toString();
    }

    static String key(String title) {
        return title.toLowerCase(Locale.ROOT);
    }

    static void checkTitle(String title) throws LibraryException {
        if (title == null || title.isEmpty()) {
            throw new LibraryException(LibraryException.Reason.SYNTAX, "a title must not be empty");
        }
        if (title.codePointCount(0, title.length()) > MAX_TEXT) {
            throw new LibraryException(LibraryException.Reason.SYNTAX, "a title is at most " + MAX_TEXT + " characters");
        }
        if (hasControl(title)) {
            throw new LibraryException(LibraryException.Reason.SYNTAX, "a title must not contain control characters");
        }
        if (ID_REF.matcher(title).matches()) {
            throw new LibraryException(LibraryException.Reason.SYNTAX,
                    "\"" + title + "\" cannot be a title: #<digits> refers to a song by id");
        }
    }

    static void checkValue(String what, String value) throws LibraryException {
        if (value == null) {
            return;
        }
        if (value.codePointCount(0, value.length()) > MAX_TEXT) {
            throw new LibraryException(LibraryException.Reason.SYNTAX, what + " is at most " + MAX_TEXT + " characters");
        }
        if (hasControl(value)) {
            throw new LibraryException(LibraryException.Reason.SYNTAX, what + " must not contain control characters");
        }
    }

    private static boolean hasControl(String s) {
        return s.codePoints().anyMatch(Character::isISOControl);
    }

    /** A tag value made acceptable: control characters become spaces, at most 256 characters. */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return truncate(b.toString(), MAX_TEXT);
    }

    private static String truncate(String s, int codePoints) {
        if (s.codePointCount(0, s.length()) <= codePoints) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, codePoints));
    }

    static String describeSize(long bytes) {
        long mib = 1024L * 1024;
        if (bytes % mib == 0) {
            return bytes / mib + " MiB";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + "-byte";
    }

    private ReentrantLock songLock(long id) {
        return songLocks.computeIfAbsent(id, k -> new ReentrantLock());
    }

    private void ensureOpen() throws LibraryException {
        if (closed) {
            throw new LibraryException(LibraryException.Reason.INTERNAL, "the library is closed");
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        String m = e.getMessage();
        return m != null && m.contains("UNIQUE");
    }

    private void rollbackQuietly() {
        try {
            db.rollback();
        } catch (SQLException e) {
            LOG.warn("rollback failed", e);
        }
    }

    private void autoCommitQuietly() {
        try {
            db.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.warn("cannot restore auto-commit", e);
        }
    }

    private static LibraryException noSuchSong(String ref) {
        if (ref.startsWith("#")) {
            return new LibraryException(LibraryException.Reason.NO_SUCH_SONG, "no song with id " + ref);
        }
        return new LibraryException(LibraryException.Reason.NO_SUCH_SONG, "no song titled \"" + ref + "\"");
    }

    private static LibraryException internal(String what, Exception e) {
        LOG.error("library failure {}", what, e);
        return new LibraryException(LibraryException.Reason.INTERNAL, "internal error " + what + ": " + e.getMessage(), e);
    }
}
