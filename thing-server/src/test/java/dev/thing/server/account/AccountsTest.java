package dev.thing.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.ErrorCode;
import dev.thing.server.lobby.Ban;
import dev.thing.server.lobby.Claim;
import dev.thing.server.party.QueueEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsTest {
    @TempDir
    Path dir;

    private Accounts open() {
        return Accounts.open(dir.resolve("thing.db"), new PasswordHasher(1_000), () -> 42L);
    }

    @Test
    void aRegisteredNameIsFoundAnyCaseAndVerifiedByItsPasswordOnly() {
        try (Accounts accounts = open()) {
            Account alice = accounts.register("Alice", "correct horse");

            assertThat(accounts.find("alice")).contains(alice);
            assertThat(accounts.verify("ALICE", "correct horse")).contains(alice);
            assertThat(accounts.verify("alice", "wrong horse")).isEmpty();
            assertThat(accounts.verify("nobody", "correct horse")).isEmpty();
        }
    }

    @Test
    void aNameIsRegisteredOnce() {
        try (Accounts accounts = open()) {
            accounts.register("alice", "correct horse");

            assertThatThrownBy(() -> accounts.register("ALICE", "another one"))
                    .isInstanceOfSatisfying(AccountException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_ALLOWED))
                    .hasMessageContaining("registered already");
        }
    }

    @Test
    void changingThePasswordNeedsTheOldOne() {
        try (Accounts accounts = open()) {
            accounts.register("alice", "correct horse");

            assertThatThrownBy(() -> accounts.changePassword("alice", "wrong horse", "new password"))
                    .isInstanceOf(AccountException.class);
            accounts.changePassword("alice", "correct horse", "new password");
            assertThat(accounts.verify("alice", "new password")).isPresent();
            assertThat(accounts.verify("alice", "correct horse")).isEmpty();
        }
    }

    @Test
    void accountsOperatorsOwnersAndClaimsSurviveAReopen() {
        try (Accounts accounts = open()) {
            Account alice = accounts.register("alice", "correct horse");
            Account bob = accounts.register("bob", "battery staple");
            assertThat(accounts.setOperator("bob", true)).isTrue();
            assertThat(accounts.setOperator("nobody", true)).isFalse();
            accounts.setOwner(7, alice.id());
            accounts.claimed("party", new Claim("Party", alice.id(), "alice", true, Set.of("bob"),
                    List.of(new QueueEntry(7, "Song", "carol")), List.of(new Ban("eve", 0, "10.0.0.5", "alice", 1))));
            accounts.banned("party", new Ban("mallory", bob.id(), null, "alice", 2));
        }
        try (Accounts accounts = open()) {
            assertThat(accounts.find("bob").orElseThrow().operator()).isTrue();
            assertThat(accounts.owner(7).orElseThrow().username()).isEqualTo("alice");
            Claim claim = accounts.claim("party").orElseThrow();
            assertThat(claim.name()).isEqualTo("Party");
            assertThat(claim.owner()).isEqualTo("alice");
            assertThat(claim.autoplay()).isTrue();
            assertThat(claim.moderators()).containsExactly("bob");
            assertThat(claim.queue()).containsExactly(new QueueEntry(7, "Song", "carol"));
            assertThat(claim.bans()).extracting(Ban::username).containsExactly("eve", "mallory");
            assertThat(accounts.schemaVersion()).hasValue(Accounts.SCHEMA_VERSION);

            accounts.unbanned("party", "eve");
            accounts.moderator("party", "bob", false);
            accounts.forgetSong(7);
            assertThat(accounts.claim("party").orElseThrow().bans()).extracting(Ban::username)
                    .containsExactly("mallory");
            assertThat(accounts.claim("party").orElseThrow().moderators()).isEmpty();
            assertThat(accounts.owner(7)).isEmpty();

            accounts.unclaimed("party");
            assertThat(accounts.claim("party")).isEmpty();
        }
    }

    @Test
    void aDatabaseFromANewerServerIsRefused() throws Exception {
        try (Accounts accounts = open()) {
            accounts.register("alice", "correct horse");
        }
        try (var conn = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("thing.db"));
             var st = conn.createStatement()) {
            st.execute("UPDATE schema_versions SET version = 99 WHERE component = 'accounts'");
        }
        assertThatThrownBy(this::open).isInstanceOf(AccountException.class)
                .hasMessageContaining("cannot open the accounts");
        assertThat(Files.exists(dir.resolve("thing.db"))).isTrue();
    }

    @Test
    void thePasswordIsStoredOnlyAsAHash() throws Exception {
        try (Accounts accounts = open()) {
            accounts.register("alice", "correct horse");
        }
        try (var conn = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("thing.db"));
             var st = conn.createStatement();
             var rs = st.executeQuery("SELECT password_hash FROM accounts")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("pbkdf2-sha256$1000$").doesNotContain("correct");
        }
    }
}
