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
    private final Path dbFile;

    private WantedList(Connection conn, int limit, Path dbFile) {
        this.conn = conn;
        this.limit = limit;
        this.dbFile = dbFile;
    }

    /**
     * Opens (creating if need be) the wanted list in {@code dbFile}.
     *
     * @param limit the most unfulfilled wishes allowed (default 1000 on the server)
     * @throws WantedException STORAGE when the database cannot be opened
     */
    public static WantedList open(Path dbFile, int limit) {
        Objects.requireNonNull(dbFile, "dbFile");
        if (limit < 1) {
            throw new IllegalArgumentException("limit < 1: " + limit);
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
            WantedList list = new WantedList(conn, limit, dbFile);
            LOG.info("wanted list {} opened: {} wanted, limit {}", dbFile, list.countWanted(), limit);
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
            if (countWanted() >= limit) {
                throw new WantedException(Reason.LIMIT, "the wanted list is full (" + limit + " titles)");
            }
            long id;
            try (PreparedStatement ps = conn.prepareStatement("""
                    INSERT INTO wishes(title, title_key, artist, lobby, lobby_key, username, username_key,
                                       requested_at_us)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, title);
                ps.setString(2, key(title));
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
            ps.setString(1, key(title));
            ps.setString(2, key(lobby));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw storage("cannot read the wanted list", e);
        }
    }

    /** The unfulfilled wishes, oldest first. */
    public synchronized List<Wish> list() {
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
        String titleKey = key(title);
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
