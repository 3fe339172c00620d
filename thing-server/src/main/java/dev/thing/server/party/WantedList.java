package dev.thing.server.party;

import dev.thing.server.party.WantedException.Reason;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The wanted list: titles requested in a lobby that the library did not have. Kept in SQLite so that it
 * survives restarts, in its own table {@code wishes} of the given database file (the library keeps its own
 * tables in the same file; this class has its own connection, in WAL mode with a busy timeout, so the two
 * do not get in each other's way).
 *
 * <p>Life of a wish: {@link #add} (wanted) -&gt; {@link #fulfil} when a song of that title is uploaded
 * (every lobby's wish for the title at once) -&gt; {@link #markQueued} once it is queued in its lobby -&gt;
 * {@link #delivered} once the requester has been told (the row is deleted). A requester who was away is
 * found with {@link #pendingFor} on their next join of that lobby, also after a restart.
 *
 * <p>Titles, lobbies and usernames are compared case-insensitively (Unicode case folding by
 * {@link #key}). The limit counts unfulfilled wishes across all lobbies. Thread-safe: every method is
 * synchronized on the list.
 */
public final class WantedList implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(WantedList.class);
    private static final int BUSY_TIMEOUT_MS = 5000;
    private static final String COLUMNS = "id, title, artist, lobby, username, requested_at_us, "
            + "fulfilled_song_id, fulfilled_title, queued";

    private final Connection conn;
    private final int limit;
    private final int perUser;
    private final long maxAgeUs;
    private final java.util.function.LongSupplier nowUs;
    private final Path dbFile;

    private WantedList(Connection conn, int limit, int perUser, java.time.Duration maxAge,
            java.util.function.LongSupplier nowUs, Path dbFile) {
        this.conn = conn;
        this.limit = limit;
        this.perUser = perUser;
        this.maxAgeUs = Math.multiplyExact(maxAge.toMillis(), 1_000L);
        this.nowUs = nowUs;
        this.dbFile = dbFile;
    }

    /** Opens the list with no per-person cap and no age limit (for tests and tools). */
    public static WantedList open(Path dbFile, int limit) {
        return open(dbFile, limit, Integer.MAX_VALUE, java.time.Duration.ofDays(365L * 1000),
                () -> System.currentTimeMillis() * 1_000L);
    }

    /**
     * Opens (creating if need be) the wanted list in {@code dbFile}.
     *
     * @param limit   the most unfulfilled wishes allowed (default 1000 on the server)
     * @param perUser the most unfulfilled wishes one username may have, in all lobbies together
     * @param maxAge  unfulfilled wishes older than this are dropped (at open, and whenever the list is read
     *                or added to)
     * @param nowUs   the clock (us since the epoch) that wishes are dated and aged by
     * @throws WantedException STORAGE when the database cannot be opened
     */
    public static WantedList open(Path dbFile, int limit, int perUser, java.time.Duration maxAge,
            java.util.function.LongSupplier nowUs) {
        Objects.requireNonNull(dbFile, "dbFile");
        if (limit < 1 || perUser < 1) {
            throw new IllegalArgumentException("limit < 1: " + limit + ", per user " + perUser);
        }
        Connection conn = null;
        try {
            // Transactions begin IMMEDIATE: fulfil() reads then writes, and a deferred transaction whose read
            // snapshot went stale (the library's connection committed meanwhile) gets SQLITE_BUSY at once,
            // without waiting for the busy timeout.
            java.util.Properties props = new java.util.Properties();
            props.setProperty("transaction_mode", "IMMEDIATE");
            conn = DriverManager.getConnection("jdbc:sqlite:" + dbFile.toAbsolutePath(), props);
            try (Statement st = conn.createStatement()) {
                st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = NORMAL");
                st.execute("""
                        CREATE TABLE IF NOT EXISTS wishes (
                          id INTEGER PRIMARY KEY AUTOINCREMENT,
                          title TEXT NOT NULL,
                          title_key TEXT NOT NULL,
                          artist TEXT NOT NULL DEFAULT '',
                          lobby TEXT NOT NULL,
                          lobby_key TEXT NOT NULL,
                          username TEXT NOT NULL,
                          username_key TEXT NOT NULL,
                          requested_at_us INTEGER NOT NULL,
                          fulfilled_song_id INTEGER NULL,
                          fulfilled_title TEXT NULL,
                          queued INTEGER NOT NULL DEFAULT 0
                        )""");
                // One unfulfilled wish per title per lobby; the database enforces it too.
                st.execute("CREATE UNIQUE INDEX IF NOT EXISTS wishes_wanted_title_lobby "
                        + "ON wishes(title_key, lobby_key) WHERE fulfilled_song_id IS NULL");
                st.execute("CREATE INDEX IF NOT EXISTS wishes_requester "
                        + "ON wishes(lobby_key, username_key) WHERE fulfilled_song_id IS NOT NULL");
                st.execute("CREATE INDEX IF NOT EXISTS wishes_song ON wishes(fulfilled_song_id)");
            }
            WantedList list = new WantedList(conn, limit, perUser, maxAge, nowUs, dbFile);
            list.migrateTitleKeys();
            list.expire();
            LOG.info("wanted list {} opened: {} wanted, limit {}, {} per person, {} days at most", dbFile,
                    list.countWanted(), limit, perUser, maxAge.toDays());
            return list;
        } catch (SQLException e) {
            if (conn != null) {
                try {
                    conn.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw storage("cannot open the wanted list in " + dbFile, e);
        }
    }

    /** The comparison key of a title, lobby or username: case-folded (Unicode). */
    public static String key(String s) {
        return s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /** The comparison key of a title: the library's ({@link dev.thing.server.library.Titles#key}). */
    public static String titleKey(String title) {
        return dev.thing.server.library.Titles.key(title);
    }

    public int limit() {
        return limit;
    }

    /**
     * Files a wish.
     *
     * @param artist may be null or empty
     * @throws WantedException DUPLICATE if that title is already wanted for that lobby; LIMIT if the list
     *                         holds {@code limit} unfulfilled wishes
     */
    public synchronized Wish add(String title, String artist, String lobby, String username, long nowUs) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(lobby, "lobby");
        Objects.requireNonNull(username, "username");
        String art = artist == null ? "" : artist;
        try {
            if (isWanted(title, lobby)) {
                throw new WantedException(Reason.DUPLICATE, title + " is already wanted in " + lobby);
            }
            expire();
            if (countWantedBy(username) >= perUser) {
                throw new WantedException(Reason.LIMIT, username + " has " + perUser + " wishes on the wanted list, "
                        + "the most one person may have; UNWANT one of them first");
            }
            if (countWanted() >= limit) {
                throw new WantedException(Reason.LIMIT, "the wanted list is full (" + limit + " titles)");
            }
            long id;
            try (PreparedStatement ps = conn.prepareStatement("""
                    INSERT INTO wishes(title, title_key, artist, lobby, lobby_key, username, username_key,
                                       requested_at_us)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, title);
                ps.setString(2, titleKey(title));
                ps.setString(3, art);
                ps.setString(4, lobby);
                ps.setString(5, key(lobby));
                ps.setString(6, username);
                ps.setString(7, key(username));
                ps.setLong(8, nowUs);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            LOG.info("wish {}: {} wants {} ({}) in {}", id, username, title, art, lobby);
            return new Wish(id, title, art, lobby, username, nowUs, OptionalLong.empty(), Optional.empty(), false);
        } catch (SQLException e) {
            throw storage("cannot store the wish for " + title, e);
        }
    }

    /** Whether {@code title} is wanted (unfulfilled) in {@code lobby}, case-insensitively. */
    public synchronized boolean isWanted(String title, String lobby) {
        try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM wishes "
                + "WHERE title_key = ? AND lobby_key = ? AND fulfilled_song_id IS NULL")) {
            ps.setString(1, titleKey(title));
            ps.setString(2, key(lobby));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw storage("cannot read the wanted list", e);
        }
    }

    /**
     * Removes the unfulfilled wish for {@code title} in {@code lobby}: its wisher may, and so may the lobby's staff.
     *
     * @param staff whether {@code byUser} is the lobby's ADMIN or a MODERATOR
     * @return the wish removed
     * @throws WantedException NO_SUCH_WISH, NOT_ALLOWED
     */
    public synchronized Wish unwant(String title, String lobby, String byUser, boolean staff) {
        List<Wish> found = query("SELECT " + COLUMNS + " FROM wishes WHERE title_key = ? AND lobby_key = ? "
                + "AND fulfilled_song_id IS NULL", titleKey(title), key(lobby));
        if (found.isEmpty()) {
            throw new WantedException(Reason.NO_SUCH_WISH, "\"" + title + "\" is not on the wanted list of " + lobby);
        }
        Wish wish = found.get(0);
        if (!staff && !key(wish.username()).equals(key(byUser))) {
            throw new WantedException(Reason.NOT_ALLOWED, "only " + wish.username() + ", who wished for it, or the "
                    + "staff of " + lobby + " may remove \"" + wish.title() + "\" from the wanted list");
        }
        update("DELETE FROM wishes WHERE id = ?", wish.id());
        LOG.info("wish {} for {} in {} removed by {}", wish.id(), wish.title(), lobby, byUser);
        return wish;
    }

    /** Drops unfulfilled wishes older than the age limit; returns how many. */
    public synchronized int expire() {
        long cutoff = nowUs.getAsLong() - maxAgeUs;
        try (PreparedStatement ps = conn.prepareStatement(
                "DELETE FROM wishes WHERE fulfilled_song_id IS NULL AND requested_at_us < ?")) {
            ps.setLong(1, cutoff);
            int n = ps.executeUpdate();
            if (n > 0) {
                LOG.info("{} wish(es) older than {} days dropped from the wanted list", n, maxAgeUs / 86_400_000_000L);
            }
            return n;
        } catch (SQLException e) {
            throw storage("cannot drop old wishes", e);
        }
    }

    private int countWantedBy(String username) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT COUNT(*) FROM wishes WHERE username_key = ? AND fulfilled_song_id IS NULL")) {
            ps.setString(1, key(username));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Title keys of an older version (plain case folding) become {@link #titleKey}s. */
    private void migrateTitleKeys() throws SQLException {
        List<long[]> ids = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT id, title, title_key FROM wishes")) {
            while (rs.next()) {
                ids.add(new long[] {rs.getLong(1)});
                titles.add(rs.getString(2));
                keys.add(rs.getString(3));
            }
        }
        for (int i = 0; i < ids.size(); i++) {
            String k = titleKey(titles.get(i));
            if (!k.equals(keys.get(i))) {
                try (PreparedStatement ps = conn.prepareStatement("UPDATE OR IGNORE wishes SET title_key = ? WHERE id = ?")) {
                    ps.setString(1, k);
                    ps.setLong(2, ids.get(i)[0]);
                    ps.executeUpdate();
                }
            }
        }
    }

    /** The unfulfilled wishes, oldest first. */
    public synchronized List<Wish> list() {
        expire();
        return query("SELECT " + COLUMNS + " FROM wishes WHERE fulfilled_song_id IS NULL "
                + "ORDER BY requested_at_us, id");
    }

    /** How many wishes are unfulfilled. */
    public synchronized int countWanted() {
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM wishes WHERE fulfilled_song_id IS NULL")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw storage("cannot read the wanted list", e);
        }
    }

    /**
     * A song of {@code title} was stored in the library: every unfulfilled wish of that title (in any
     * lobby, case-insensitively) becomes fulfilled by it.
     *
     * @param songId      the new song's library id
     * @param storedTitle its title as stored
     * @return the wishes now fulfilled, oldest first (empty when nobody wanted it)
     */
    public synchronized List<Wish> fulfil(String title, long songId, String storedTitle) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(storedTitle, "storedTitle");
        String titleKey = titleKey(title);
        try {
            boolean auto = conn.getAutoCommit();
            conn.setAutoCommit(false);
            try {
                List<Wish> wanted = query("SELECT " + COLUMNS + " FROM wishes "
                        + "WHERE title_key = ? AND fulfilled_song_id IS NULL ORDER BY requested_at_us, id", titleKey);
                try (PreparedStatement ps = conn.prepareStatement("UPDATE wishes "
                        + "SET fulfilled_song_id = ?, fulfilled_title = ? "
                        + "WHERE title_key = ? AND fulfilled_song_id IS NULL")) {
                    ps.setLong(1, songId);
                    ps.setString(2, storedTitle);
                    ps.setString(3, titleKey);
                    ps.executeUpdate();
                }
                conn.commit();
                List<Wish> done = new ArrayList<>(wanted.size());
                for (Wish w : wanted) {
                    done.add(new Wish(w.id(), w.title(), w.artist(), w.lobby(), w.username(), w.requestedAtUs(),
                            OptionalLong.of(songId), Optional.of(storedTitle), false));
                }
                if (!done.isEmpty()) {
                    LOG.info("{} wish(es) for {} fulfilled by song {}", done.size(), storedTitle, songId);
                }
                return done;
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            } finally {
                conn.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw storage("cannot mark the wishes for " + title + " fulfilled", e);
        }
    }

    /** The fulfilled song of that wish has been queued in its lobby. */
    public synchronized void markQueued(long wishId) {
        update("UPDATE wishes SET queued = 1 WHERE id = ?", wishId);
    }

    /** The requester has been told: the wish is done and its row deleted. */
    public synchronized void delivered(long wishId) {
        if (update("DELETE FROM wishes WHERE id = ?", wishId) > 0) {
            LOG.debug("wish {} delivered", wishId);
        }
    }

    /**
     * The fulfilled wishes of {@code username} in {@code lobby} whose requester has not been told yet
     * (for telling them when they next join that lobby), oldest first.
     */
    public synchronized List<Wish> pendingFor(String lobby, String username) {
        return query("SELECT " + COLUMNS + " FROM wishes WHERE lobby_key = ? AND username_key = ? "
                + "AND fulfilled_song_id IS NOT NULL ORDER BY requested_at_us, id", key(lobby), key(username));
    }

    /**
     * That song was deleted from the library: the wishes it fulfilled (not yet delivered) are dropped, so
     * nobody is later told of a song that is gone. Unfulfilled wishes are untouched.
     */
    public synchronized void forgetSong(long songId) {
        int n = update("DELETE FROM wishes WHERE fulfilled_song_id = ?", songId);
        if (n > 0) {
            LOG.info("song {} deleted: {} undelivered wish(es) it fulfilled dropped", songId, n);
        }
    }

    @Override
    public synchronized void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            LOG.warn("closing the wanted list {} failed", dbFile, e);
        }
    }

    private int update(String sql, long id) {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setLong(1, id);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw storage("cannot update the wanted list", e);
        }
    }

    private List<Wish> query(String sql, Object... args) {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Wish> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw storage("cannot read the wanted list", e);
        }
    }

    private static Wish row(ResultSet rs) throws SQLException {
        long songId = rs.getLong(7);
        OptionalLong fulfilled = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(songId);
        return new Wish(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), fulfilled, Optional.ofNullable(rs.getString(8)), rs.getInt(9) != 0);
    }

    private static WantedException storage(String message, SQLException e) {
        LOG.error(message, e);
        return new WantedException(Reason.STORAGE, message + ": " + e.getMessage(), e);
    }
}
