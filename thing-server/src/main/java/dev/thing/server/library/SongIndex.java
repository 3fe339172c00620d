package dev.thing.server.library;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The library's index: the SQLite table {@code songs} (and {@code tag_edits}) and an in-memory mirror of its
 * rows. Every read is answered from the mirror, so a lookup (the party's, under its lobby's lock) never waits
 * for SQLite or the disk; every write goes to SQLite first (one statement or one transaction, under
 * {@link #lock}, which guards the one connection and nothing else) and then to the mirror.
 *
 * <p>Titles are unique by {@link Titles#key}, in the column {@code title_key}; {@link #open} migrates keys
 * written by an older version (plain lower case) to the current form.
 */
final class SongIndex implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(SongIndex.class);
    private static final String COLUMNS =
            "id, title, artist, tag1, tag2, duration_ms, size_bytes, audio_hash, file_name";

    /** A row as stored: the song and its file name in the folder. */
    record Row(long id, String title, String artist, String tag1, String tag2, long durationMs, long sizeBytes,
            String audioHash, String fileName) {
    }

    private final Path folder;
    private final Connection db;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentSkipListMap<Long, Song> byId = new ConcurrentSkipListMap<>();
    private final Map<String, Long> idByKey = new ConcurrentHashMap<>();
    /** The next id {@link #allocateId} hands out; guarded by {@link #lock}. */
    private long nextId;
    private volatile boolean closed;

    private SongIndex(Path folder, Connection db) {
        this.folder = folder;
        this.db = db;
    }

    /** Opens (creating) the index in {@code dbFile}, migrates title keys, and loads the mirror. */
    static SongIndex open(Path folder, Path dbFile) throws SQLException {
        Connection conn = DriverManager.getConnection("jdbc:sqlite:" + dbFile);
        try {
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
            SongIndex index = new SongIndex(folder, conn);
            index.load();
            return index;
        } catch (SQLException | RuntimeException e) {
            try {
                conn.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void load() throws SQLException {
        lock.lock();
        try {
            byId.clear();
            idByKey.clear();
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT " + COLUMNS + " FROM songs")) {
                while (rs.next()) {
                    Song s = song(rs);
                    byId.put(s.id(), s);
                    idByKey.put(Titles.key(s.title()), s.id());
                }
            }
            long seq = 0;
            try (Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'songs'")) {
                if (rs.next()) {
                    seq = rs.getLong(1);
                }
            }
            nextId = Math.max(seq, byId.isEmpty() ? 0 : byId.lastKey()) + 1;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Rewrites every {@code title_key} that is not {@link Titles#key} of its title (keys of an older version).
     * Two titles that now share a key (say "Café" in NFC and in NFD) keep the older song's title; the newer is
     * renamed "<title> (2)" (and so on), and logged.
     */
    int migrateTitleKeys() throws SQLException {
        lock.lock();
        try {
            List<long[]> ids = new ArrayList<>();
            List<String[]> rows = new ArrayList<>();
            try (Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id, title, title_key FROM songs ORDER BY id")) {
                while (rs.next()) {
                    ids.add(new long[] {rs.getLong(1)});
                    rows.add(new String[] {rs.getString(2), rs.getString(3)});
                }
            }
            java.util.Set<String> taken = new java.util.HashSet<>();
            List<Object[]> changes = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                String title = Titles.normalize(rows.get(i)[0]);
                String base = title;
                for (int n = 2; taken.contains(Titles.key(title)); n++) {
                    String suffix = " (" + n + ")";
                    title = Titles.truncate(base, Titles.MAX_TEXT - suffix.length()) + suffix;
                }
                taken.add(Titles.key(title));
                if (!title.equals(rows.get(i)[0]) || !Titles.key(title).equals(rows.get(i)[1])) {
                    changes.add(new Object[] {ids.get(i)[0], title, rows.get(i)[0]});
                }
            }
            if (changes.isEmpty()) {
                return 0;
            }
            db.setAutoCommit(false);
            try {
                // Two passes, so that a key moving from one row to another never meets the UNIQUE constraint.
                try (PreparedStatement ps = db.prepareStatement("UPDATE songs SET title_key = ? WHERE id = ?")) {
                    for (Object[] c : changes) {
                        ps.setString(1, "\u0000migrating " + c[0]);
                        ps.setLong(2, (Long) c[0]);
                        ps.executeUpdate();
                    }
                }
                try (PreparedStatement ps = db.prepareStatement("UPDATE songs SET title = ?, title_key = ? WHERE id = ?")) {
                    for (Object[] c : changes) {
                        ps.setString(1, (String) c[1]);
                        ps.setString(2, Titles.key((String) c[1]));
                        ps.setLong(3, (Long) c[0]);
                        ps.executeUpdate();
                        if (!c[1].equals(c[2])) {
                            LOG.warn("song #{}: title \"{}\" is the same title as an older song's; renamed \"{}\"",
                                    c[0], c[2], c[1]);
                        }
                    }
                }
                db.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            } finally {
                autoCommitQuietly();
            }
            LOG.info("title keys of {} song(s) migrated", changes.size());
            load();
            return changes.size();
        } finally {
            lock.unlock();
        }
    }

    /** The lock around the SQLite connection (for tests that hold it, as a slow commit would). */
    ReentrantLock sqliteLock() {
        return lock;
    }

    // ---------------------------------------------------------------- reads (memory only)

    /** All songs, ordered by id. */
    List<Song> list() throws LibraryException {
        ensureOpen();
        return new ArrayList<>(byId.values());
    }

    Optional<Song> findById(long id) throws LibraryException {
        ensureOpen();
        return Optional.ofNullable(byId.get(id));
    }

    Optional<Song> findByTitle(String title) throws LibraryException {
        ensureOpen();
        Long id = idByKey.get(Titles.key(title));
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    Optional<Song> random(RandomGenerator rng) throws LibraryException {
        ensureOpen();
        List<Song> all = new ArrayList<>(byId.values());
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(rng.nextInt(all.size())));
    }

    /** The number of songs and their total size in bytes. */
    long totalBytes() {
        long sum = 0;
        for (Song s : byId.values()) {
            sum += s.sizeBytes();
        }
        return sum;
    }

    /** File names of every row, with their ids (for the reconcile). */
    Map<String, Long> fileNames() {
        Map<String, Long> out = new java.util.HashMap<>();
        for (Song s : byId.values()) {
            out.put(s.file().getFileName().toString(), s.id());
        }
        return out;
    }

    boolean hasKey(String key) {
        return idByKey.containsKey(key);
    }

    // ---------------------------------------------------------------- writes (SQLite, then the mirror)

    /** An id for a song about to be stored; never handed out twice in this process. */
    long allocateId() throws LibraryException {
        lock.lock();
        try {
            ensureOpen();
            return nextId++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Inserts a row with its id (from {@link #allocateId}) in one statement.
     *
     * @throws LibraryException TITLE_EXISTS if the title key is taken, INTERNAL otherwise
     */
    Song insert(Row r) throws LibraryException {
        lock.lock();
        try {
            ensureOpen();
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO songs (id, title, title_key, artist, tag1,"
                    + " tag2, duration_ms, size_bytes, audio_hash, file_name, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                bind(ps, r);
                ps.executeUpdate();
            }
            return remember(r);
        } catch (SQLException e) {
            String m = e.getMessage();
            if (m != null && m.contains("UNIQUE") && m.contains("title_key")) {
                throw new LibraryException(LibraryException.Reason.TITLE_EXISTS,
                        "the library already has a song titled \"" + r.title() + "\"", e);
            }
            throw Library.internal("storing \"" + r.title() + "\"", e);
        } finally {
            lock.unlock();
        }
    }

    /** Inserts rows found in the folder, with fresh ids, in one transaction (the reconcile at open). */
    void insertAll(List<Row> rows) throws SQLException {
        lock.lock();
        try {
            db.setAutoCommit(false);
            List<Row> stored = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO songs (title, title_key, artist, tag1,"
                    + " tag2, duration_ms, size_bytes, audio_hash, file_name, added_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                for (Row r : rows) {
                    ps.setString(1, r.title());
                    ps.setString(2, Titles.key(r.title()));
                    ps.setString(3, r.artist());
                    ps.setString(4, r.tag1());
                    ps.setString(5, r.tag2());
                    ps.setLong(6, r.durationMs());
                    ps.setLong(7, r.sizeBytes());
                    ps.setString(8, r.audioHash());
                    ps.setString(9, r.fileName());
                    ps.setLong(10, System.currentTimeMillis());
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        stored.add(new Row(keys.getLong(1), r.title(), r.artist(), r.tag1(), r.tag2(), r.durationMs(),
                                r.sizeBytes(), r.audioHash(), r.fileName()));
                    }
                }
                db.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            } finally {
                autoCommitQuietly();
            }
            for (Row r : stored) {
                remember(r);
                nextId = Math.max(nextId, r.id() + 1);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sets artist, tags and size of a row and clears its tag-edit note, in one transaction. */
    Song updateFields(Song s, String artist, String tag1, String tag2, long size) throws LibraryException {
        lock.lock();
        try {
            // Not waited for on disk (the one commit of the index that is not): the tag-edit note this commit
            // clears was made durable before the file was rewritten, so if a crash loses this commit the note is
            // still there and the next open takes these same values from the file (TagRepair). One fsync less in
            // front of an edit's UPDATE broadcast.
            relaxedCommit(() -> rewriteRow(s.id(),
                    "UPDATE songs SET artist = ?, tag1 = ?, tag2 = ?, size_bytes = ? WHERE id = ?", ps -> {
                        ps.setString(1, artist);
                        ps.setString(2, tag1);
                        ps.setString(3, tag2);
                        ps.setLong(4, size);
                        ps.setLong(5, s.id());
                    }));
            Song updated = new Song(s.id(), s.title(), artist, tag1, tag2, s.durationMs(), size, s.audioHash(), s.file());
            byId.replace(s.id(), updated);
            return updated;
        } catch (SQLException e) {
            throw Library.internal("updating \"" + s.title() + "\"", e);
        } finally {
            lock.unlock();
        }
    }

    /** Sets a row's title (and size) and clears its tag-edit note, in one transaction; the mirror follows. */
    Song updateTitle(Song s, String title, long size) throws LibraryException {
        lock.lock();
        try {
            rewriteRow(s.id(), "UPDATE songs SET title = ?, title_key = ?, size_bytes = ? WHERE id = ?", ps -> {
                ps.setString(1, title);
                ps.setString(2, Titles.key(title));
                ps.setLong(3, size);
                ps.setLong(4, s.id());
            });
            Song updated = new Song(s.id(), title, s.artist(), s.tag1(), s.tag2(), s.durationMs(), size,
                    s.audioHash(), s.file());
            idByKey.remove(Titles.key(s.title()), s.id());
            idByKey.put(Titles.key(title), s.id());
            byId.replace(s.id(), updated);
            return updated;
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("UNIQUE")) {
                throw new LibraryException(LibraryException.Reason.TITLE_EXISTS,
                        "the library already has a song titled \"" + title + "\"", e);
            }
            throw Library.internal("renaming \"" + s.title() + "\"", e);
        } finally {
            lock.unlock();
        }
    }

    /** Binds one UPDATE's parameters. */
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /**
     * One row's change after its file was rewritten: the UPDATE and the removal of its tag-edit note, in one
     * transaction (rolled back whole on failure). The caller holds the lock and updates the mirror.
     */
    @FunctionalInterface
    private interface SqlWork {
        void run() throws SQLException, LibraryException;
    }

    /** Runs {@code work} with {@code synchronous = NORMAL} (WAL: committed, in order, not fsynced), then FULL again. */
    private void relaxedCommit(SqlWork work) throws SQLException, LibraryException {
        ensureOpen();
        try (Statement st = db.createStatement()) {
            st.execute("PRAGMA synchronous = NORMAL");
        }
        try {
            work.run();
        } finally {
            try (Statement st = db.createStatement()) {
                st.execute("PRAGMA synchronous = FULL");
            }
        }
    }

    private void rewriteRow(long id, String update, Binder binder) throws SQLException, LibraryException {
        ensureOpen();
        db.setAutoCommit(false);
        try {
            try (PreparedStatement ps = db.prepareStatement(update)) {
                binder.bind(ps);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM tag_edits WHERE song_id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            db.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw e;
        } finally {
            autoCommitQuietly();
        }
    }

    /** Deletes rows (one statement each, one transaction). */
    void delete(List<Long> ids) throws LibraryException {
        lock.lock();
        try {
            ensureOpen();
            db.setAutoCommit(false);
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM songs WHERE id = ?")) {
                for (long id : ids) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
                db.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            } finally {
                autoCommitQuietly();
            }
            for (long id : ids) {
                Song gone = byId.remove(id);
                if (gone != null) {
                    idByKey.remove(Titles.key(gone.title()), id);
                }
            }
        } catch (SQLException e) {
            throw Library.internal("deleting song(s) " + ids, e);
        } finally {
            lock.unlock();
        }
    }

    /** Notes (before the file is rewritten) or forgets that a song's tag is being edited. */
    void markTagEdit(long songId, boolean editing) throws LibraryException {
        lock.lock();
        try (PreparedStatement ps = db.prepareStatement(editing
                ? "INSERT OR REPLACE INTO tag_edits (song_id) VALUES (?)" : "DELETE FROM tag_edits WHERE song_id = ?")) {
            ensureOpen();
            ps.setLong(1, songId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Library.internal("noting a tag edit of song #" + songId, e);
        } finally {
            lock.unlock();
        }
    }

    /** The songs whose tag edit a crash interrupted. */
    List<Long> interruptedTagEdits() throws SQLException {
        lock.lock();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT song_id FROM tag_edits")) {
            List<Long> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
            return ids;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            db.close();
        } catch (SQLException e) {
            LOG.warn("closing the library index", e);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- helpers

    private Song remember(Row r) {
        Song s = new Song(r.id(), r.title(), r.artist(), r.tag1(), r.tag2(), r.durationMs(), r.sizeBytes(),
                r.audioHash(), folder.resolve(r.fileName()));
        byId.put(s.id(), s);
        idByKey.put(Titles.key(s.title()), s.id());
        return s;
    }

    private void bind(PreparedStatement ps, Row r) throws SQLException {
        ps.setLong(1, r.id());
        ps.setString(2, r.title());
        ps.setString(3, Titles.key(r.title()));
        ps.setString(4, r.artist());
        ps.setString(5, r.tag1());
        ps.setString(6, r.tag2());
        ps.setLong(7, r.durationMs());
        ps.setLong(8, r.sizeBytes());
        ps.setString(9, r.audioHash());
        ps.setString(10, r.fileName());
        ps.setLong(11, System.currentTimeMillis());
    }

    private Song song(ResultSet rs) throws SQLException {
        return new Song(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), rs.getLong(7), rs.getString(8), folder.resolve(rs.getString(9)));
    }

    private void ensureOpen() throws LibraryException {
        if (closed) {
            throw new LibraryException(LibraryException.Reason.INTERNAL, "the library is closed");
        }
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
}
