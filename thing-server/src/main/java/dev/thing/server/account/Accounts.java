package dev.thing.server.account;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Names;
import dev.thing.server.lobby.Ban;
import dev.thing.server.lobby.Claim;
import dev.thing.server.lobby.LobbyStore;
import dev.thing.server.party.QueueEntry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Accounts, song ownership and claimed lobbies, in the library's SQLite file (its own connection, WAL, a busy
 * timeout, like the wanted list). A {@code schema_versions} table records the version of these tables, so a later
 * release can migrate them. Passwords are stored only as {@link PasswordHasher} hashes and never logged.
 * Thread-safe (every method is synchronized); call it from worker threads only, never from an I/O thread or under
 * a lobby's lock.
 */
public final class Accounts implements LobbyStore, AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Accounts.class);
    static final String COMPONENT = "accounts";
    static final int SCHEMA_VERSION = 1;
    private static final int BUSY_TIMEOUT_MS = 5000;

    private final Connection conn;
    private final PasswordHasher hasher;
    private final LongSupplier nowUs;

    private Accounts(Connection conn, PasswordHasher hasher, LongSupplier nowUs) {
        this.conn = conn;
        this.hasher = hasher;
        this.nowUs = nowUs;
    }

    /** Opens (creating or migrating) the account tables in {@code dbFile}. */
    public static Accounts open(Path dbFile, PasswordHasher hasher, LongSupplier nowUs) {
        Connection conn = null;
        try {
            java.util.Properties props = new java.util.Properties();
            props.setProperty("transaction_mode", "IMMEDIATE");
            conn = DriverManager.getConnection("jdbc:sqlite:" + dbFile.toAbsolutePath(), props);
            try (Statement st = conn.createStatement()) {
                st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = NORMAL");
                st.execute("PRAGMA foreign_keys = ON");
            }
            Accounts accounts = new Accounts(conn, hasher, nowUs);
            accounts.migrate();
            LOG.info("accounts in {}: {} registered, {} operators, {} claimed lobbies", dbFile,
                    accounts.count("SELECT COUNT(*) FROM accounts"),
                    accounts.count("SELECT COUNT(*) FROM accounts WHERE operator = 1"),
                    accounts.count("SELECT COUNT(*) FROM claimed_lobbies"));
            return accounts;
        } catch (SQLException e) {
            if (conn != null) {
                try {
                    conn.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new AccountException("cannot open the accounts in " + dbFile, e);
        }
    }

    private void migrate() throws SQLException {
        conn.setAutoCommit(false);
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)");
            int version = 0;
            try (ResultSet rs = st.executeQuery("SELECT version FROM schema_versions WHERE component = '"
                    + COMPONENT + "'")) {
                if (rs.next()) {
                    version = rs.getInt(1);
                }
            }
            if (version > SCHEMA_VERSION) {
                throw new SQLException("the account tables are at version " + version + ", newer than this server ("
                        + SCHEMA_VERSION + "); run a newer server");
            }
            if (version < 1) {
                st.execute("""
                        CREATE TABLE accounts (
                          id INTEGER PRIMARY KEY AUTOINCREMENT,
                          username TEXT NOT NULL,
                          username_key TEXT NOT NULL UNIQUE,
                          password_hash TEXT NOT NULL,
                          operator INTEGER NOT NULL DEFAULT 0,
                          created_us INTEGER NOT NULL)""");
                st.execute("""
                        CREATE TABLE song_owners (
                          song_id INTEGER PRIMARY KEY,
                          account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE)""");
                st.execute("""
                        CREATE TABLE claimed_lobbies (
                          lobby_key TEXT PRIMARY KEY,
                          lobby TEXT NOT NULL,
                          owner_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                          autoplay INTEGER NOT NULL DEFAULT 0,
                          claimed_us INTEGER NOT NULL)""");
                st.execute("""
                        CREATE TABLE lobby_moderators (
                          lobby_key TEXT NOT NULL REFERENCES claimed_lobbies(lobby_key) ON DELETE CASCADE,
                          account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                          PRIMARY KEY (lobby_key, account_id))""");
                st.execute("""
                        CREATE TABLE lobby_queue (
                          lobby_key TEXT NOT NULL REFERENCES claimed_lobbies(lobby_key) ON DELETE CASCADE,
                          position INTEGER NOT NULL,
                          song_id INTEGER NOT NULL,
                          title TEXT NOT NULL,
                          requested_by TEXT NOT NULL,
                          PRIMARY KEY (lobby_key, position))""");
                st.execute("""
                        CREATE TABLE lobby_bans (
                          lobby_key TEXT NOT NULL REFERENCES claimed_lobbies(lobby_key) ON DELETE CASCADE,
                          username_key TEXT NOT NULL,
                          username TEXT NOT NULL,
                          account_id INTEGER NULL,
                          address TEXT NULL,
                          banned_by TEXT NOT NULL,
                          banned_us INTEGER NOT NULL,
                          PRIMARY KEY (lobby_key, username_key))""");
                st.execute("INSERT OR REPLACE INTO schema_versions (component, version) VALUES ('" + COMPONENT
                        + "', 1)");
                LOG.info("created the account tables (schema version 1)");
            }
            conn.commit();
        } catch (SQLException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(true);
        }
    }

    // ---- accounts ----

    public synchronized Optional<Account> find(String username) {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT id, username, operator FROM accounts WHERE username_key = ?")) {
            ps.setString(1, Names.key(username));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Account(rs.getLong(1), rs.getString(2), rs.getInt(3) == 1))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw storage("looking up the account " + username, e);
        }
    }

    /** Registers {@code username}; NOT_ALLOWED when it is registered already. */
    public Account register(String username, String password) {
        String hash = hasher.hash(password); // slow: outside the lock
        synchronized (this) {
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO accounts (username, username_key, "
                    + "password_hash, created_us) VALUES (?, ?, ?, ?) ON CONFLICT (username_key) DO NOTHING",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, username);
                ps.setString(2, Names.key(username));
                ps.setString(3, hash);
                ps.setLong(4, nowUs.getAsLong());
                if (ps.executeUpdate() == 0) {
                    throw new AccountException(ErrorCode.NOT_ALLOWED, username + " is registered already");
                }
            } catch (SQLException e) {
                throw storage("registering " + username, e);
            }
        }
        LOG.info("{} registered", username);
        return find(username).orElseThrow(() -> new AccountException(ErrorCode.INTERNAL, "account vanished"));
    }

    /** The account if {@code password} is its password; empty otherwise. Rehashes a hash made with fewer rounds. */
    public Optional<Account> verify(String username, String password) {
        String stored;
        Account account;
        synchronized (this) {
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT id, username, operator, password_hash FROM accounts WHERE username_key = ?")) {
                ps.setString(1, Names.key(username));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    account = new Account(rs.getLong(1), rs.getString(2), rs.getInt(3) == 1);
                    stored = rs.getString(4);
                }
            } catch (SQLException e) {
                throw storage("checking the password of " + username, e);
            }
        }
        if (!hasher.matches(password, stored)) {
            return Optional.empty();
        }
        if (hasher.isWeakerThanCurrent(stored)) {
            setHash(account.id(), hasher.hash(password));
            LOG.info("rehashed the password of {} with {} iterations", account.username(), hasher.iterations());
        }
        return Optional.of(account);
    }

    /** Changes a password; NOT_ALLOWED when {@code oldPassword} is wrong. */
    public void changePassword(String username, String oldPassword, String newPassword) {
        Account account = verify(username, oldPassword).orElseThrow(() -> new AccountException(
                ErrorCode.NOT_ALLOWED, "wrong password for " + username + "; the password was not changed"));
        setHash(account.id(), hasher.hash(newPassword));
        LOG.info("{} changed their password", account.username());
    }

    private synchronized void setHash(long id, String hash) {
        try (PreparedStatement ps = conn.prepareStatement("UPDATE accounts SET password_hash = ? WHERE id = ?")) {
            ps.setString(1, hash);
            ps.setLong(2, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw storage("storing a password hash", e);
        }
    }

    /** Marks or unmarks an operator. False when there is no such account. */
    public synchronized boolean setOperator(String username, boolean operator) {
        try (PreparedStatement ps = conn.prepareStatement("UPDATE accounts SET operator = ? WHERE username_key = ?")) {
            ps.setInt(1, operator ? 1 : 0);
            ps.setString(2, Names.key(username));
            boolean found = ps.executeUpdate() == 1;
            if (found) {
                LOG.info("{} is {} an operator", username, operator ? "now" : "no longer");
            }
            return found;
        } catch (SQLException e) {
            throw storage("changing the operator mark of " + username, e);
        }
    }

    // ---- song ownership ----

    /** The account that uploaded the song, if it was uploaded by one. */
    public synchronized Optional<Account> owner(long songId) {
        try (PreparedStatement ps = conn.prepareStatement("SELECT a.id, a.username, a.operator FROM song_owners o "
                + "JOIN accounts a ON a.id = o.account_id WHERE o.song_id = ?")) {
            ps.setLong(1, songId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Account(rs.getLong(1), rs.getString(2), rs.getInt(3) == 1))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw storage("looking up who uploaded song #" + songId, e);
        }
    }

    public synchronized void setOwner(long songId, long accountId) {
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT OR REPLACE INTO song_owners (song_id, account_id) VALUES (?, ?)")) {
            ps.setLong(1, songId);
            ps.setLong(2, accountId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw storage("recording who uploaded song #" + songId, e);
        }
    }

    public synchronized void forgetSong(long songId) {
        try (PreparedStatement ps = conn.prepareStatement("DELETE FROM song_owners WHERE song_id = ?")) {
            ps.setLong(1, songId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw storage("forgetting the owner of song #" + songId, e);
        }
    }

    // ---- claimed lobbies (LobbyStore) ----

    @Override
    public synchronized Optional<Claim> claim(String lobbyKey) {
        try {
            String name;
            long ownerId;
            String owner;
            boolean autoplay;
            try (PreparedStatement ps = conn.prepareStatement("SELECT c.lobby, c.owner_id, a.username, c.autoplay "
                    + "FROM claimed_lobbies c JOIN accounts a ON a.id = c.owner_id WHERE c.lobby_key = ?")) {
                ps.setString(1, lobbyKey);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    name = rs.getString(1);
                    ownerId = rs.getLong(2);
                    owner = rs.getString(3);
                    autoplay = rs.getInt(4) == 1;
                }
            }
            Set<String> moderators = new LinkedHashSet<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT a.username_key FROM lobby_moderators m "
                    + "JOIN accounts a ON a.id = m.account_id WHERE m.lobby_key = ?")) {
                ps.setString(1, lobbyKey);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        moderators.add(rs.getString(1));
                    }
                }
            }
            List<QueueEntry> queue = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT song_id, title, requested_by FROM lobby_queue "
                    + "WHERE lobby_key = ? ORDER BY position")) {
                ps.setString(1, lobbyKey);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        queue.add(new QueueEntry(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            List<Ban> bans = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT username, account_id, address, banned_by, "
                    + "banned_us FROM lobby_bans WHERE lobby_key = ? ORDER BY banned_us")) {
                ps.setString(1, lobbyKey);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        bans.add(new Ban(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                                rs.getLong(5)));
                    }
                }
            }
            return Optional.of(new Claim(name, ownerId, owner, autoplay, Set.copyOf(moderators), List.copyOf(queue),
                    List.copyOf(bans)));
        } catch (SQLException e) {
            throw storage("reading the claim on lobby " + lobbyKey, e);
        }
    }

    @Override
    public synchronized void claimed(String lobbyKey, Claim claim) {
        transaction("claiming " + claim.name(), () -> {
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO claimed_lobbies (lobby_key, lobby, "
                    + "owner_id, autoplay, claimed_us) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, lobbyKey);
                ps.setString(2, claim.name());
                ps.setLong(3, claim.ownerId());
                ps.setInt(4, claim.autoplay() ? 1 : 0);
                ps.setLong(5, nowUs.getAsLong());
                ps.executeUpdate();
            }
            for (String moderator : claim.moderators()) {
                moderatorRow(lobbyKey, moderator, true);
            }
            queueRows(lobbyKey, claim.queue());
            for (Ban ban : claim.bans()) {
                banRow(lobbyKey, ban);
            }
        });
        LOG.info("{} claimed lobby {}", claim.owner(), claim.name());
    }

    @Override
    public synchronized void unclaimed(String lobbyKey) {
        transaction("unclaiming " + lobbyKey, () -> {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM claimed_lobbies WHERE lobby_key = ?")) {
                ps.setString(1, lobbyKey);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public synchronized void moderator(String lobbyKey, String usernameKey, boolean moderator) {
        transaction("recording a moderator of " + lobbyKey, () -> moderatorRow(lobbyKey, usernameKey, moderator));
    }

    @Override
    public synchronized void autoplay(String lobbyKey, boolean on) {
        transaction("recording the autoplay of " + lobbyKey, () -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "UPDATE claimed_lobbies SET autoplay = ? WHERE lobby_key = ?")) {
                ps.setInt(1, on ? 1 : 0);
                ps.setString(2, lobbyKey);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public synchronized void queue(String lobbyKey, List<QueueEntry> queue) {
        transaction("saving the queue of " + lobbyKey, () -> queueRows(lobbyKey, queue));
    }

    @Override
    public synchronized void banned(String lobbyKey, Ban ban) {
        transaction("recording a ban in " + lobbyKey, () -> banRow(lobbyKey, ban));
    }

    @Override
    public synchronized void unbanned(String lobbyKey, String usernameKey) {
        transaction("lifting a ban in " + lobbyKey, () -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "DELETE FROM lobby_bans WHERE lobby_key = ? AND username_key = ?")) {
                ps.setString(1, lobbyKey);
                ps.setString(2, usernameKey);
                ps.executeUpdate();
            }
        });
    }

    private void moderatorRow(String lobbyKey, String usernameKey, boolean moderator) throws SQLException {
        String sql = moderator
                ? "INSERT OR IGNORE INTO lobby_moderators (lobby_key, account_id) "
                        + "SELECT ?, id FROM accounts WHERE username_key = ?"
                : "DELETE FROM lobby_moderators WHERE lobby_key = ? AND account_id = "
                        + "(SELECT id FROM accounts WHERE username_key = ?)";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, lobbyKey);
            ps.setString(2, usernameKey);
            ps.executeUpdate();
        }
    }

    private void queueRows(String lobbyKey, List<QueueEntry> queue) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("DELETE FROM lobby_queue WHERE lobby_key = ?")) {
            ps.setString(1, lobbyKey);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO lobby_queue (lobby_key, position, song_id, "
                + "title, requested_by) VALUES (?, ?, ?, ?, ?)")) {
            int position = 0;
            for (QueueEntry e : queue) {
                ps.setString(1, lobbyKey);
                ps.setInt(2, position++);
                ps.setLong(3, e.songId());
                ps.setString(4, e.title());
                ps.setString(5, e.requestedBy());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void banRow(String lobbyKey, Ban ban) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT OR REPLACE INTO lobby_bans (lobby_key, username_key, "
                + "username, account_id, address, banned_by, banned_us) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, lobbyKey);
            ps.setString(2, Names.key(ban.username()));
            ps.setString(3, ban.username());
            if (ban.accountId() == 0) {
                ps.setNull(4, java.sql.Types.INTEGER);
            } else {
                ps.setLong(4, ban.accountId());
            }
            ps.setString(5, ban.address());
            ps.setString(6, ban.bannedBy());
            ps.setLong(7, ban.atUs());
            ps.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    private void transaction(String what, Work work) {
        try {
            conn.setAutoCommit(false);
            try {
                work.run();
                conn.commit();
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            } finally {
                conn.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw storage(what, e);
        }
    }

    private long count(String sql) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** For tests: the schema version recorded for the account tables. */
    synchronized OptionalLong schemaVersion() {
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM schema_versions WHERE component = '"
                     + COMPONENT + "'")) {
            return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
        } catch (SQLException e) {
            throw storage("reading the schema version", e);
        }
    }

    private static AccountException storage(String what, SQLException e) {
        return new AccountException("the account database failed " + what, e);
    }

    @Override
    public synchronized void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            LOG.warn("closing the account database: {}", e.getMessage());
        }
    }
}
