package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;

/** Accounts over real sockets: REGISTER, the join line's password, PASSWORD, the login throttle, operators. */
class AccountsOverTheWireTest extends ServerTestBase {

    /** A guest who registers, then quits. */
    void register(String lobby, String user, String password) {
        TelnetClient c = admin(lobby, user);
        TelnetClient.Reply r = c.okay("REGISTER " + TelnetClient.quote(password));
        assertThat(r.unsolicited()).contains("NOTIFY " + user + " is registered: from now on join with <lobby> "
                + user + " <password>");
        c.okay("QUIT");
    }

    @Test
    void aRegisteredNameNeedsItsPasswordAndTheConnectionStaysOpenForAnotherTry() {
        start();
        register("party", "alice", "correct horse");

        TelnetClient c = connect("alice");
        assertThat(c.command("party alice").last()).isEqualTo("ERROR NOT_ALLOWED alice is registered; send <lobby> "
                + "alice <password>, or pick another name");
        assertThat(c.command("party alice wrong-horse").last())
                .isEqualTo("ERROR NOT_ALLOWED wrong password for alice; try again");
        assertThat(c.command("party ALICE \"correct horse\"").last()).matches(TelnetClient.JOIN_OKAY);
        assertThat(c.command("USERS").data()).containsExactly("USER ALICE ADMIN -");
    }

    @Test
    void aPasswordForANameThatIsNotRegisteredIsRefused() {
        start();
        TelnetClient c = connect("bob");

        assertThat(c.command("party bob secret99").last()).startsWith("ERROR NOT_ALLOWED bob is not registered");
        assertThat(c.command("party bob").last()).matches(TelnetClient.JOIN_OKAY);
    }

    @Test
    void aRegisteredMemberCannotRegisterAgainAndAGuestCannotChangeAPassword() {
        start();
        register("party", "alice", "correct horse");
        TelnetClient alice = connect("alice");
        alice.okay("party alice \"correct horse\"");
        TelnetClient guest = admin("other", "gus");

        assertThat(alice.command("REGISTER anotherpass").last())
                .isEqualTo("ERROR NOT_ALLOWED REGISTER is for guests only: your name is registered already");
        assertThat(guest.command("PASSWORD a bbbbbbbb").last())
                .isEqualTo("ERROR NOT_ALLOWED PASSWORD is for registered users only: REGISTER <password> first");
        assertThat(guest.command("REGISTER short").last()).startsWith("ERROR SYNTAX a password must be at least 8");
    }

    @Test
    void aNameRegisteredFromAnotherLobbyMeanwhileCannotBeRegisteredTwice() {
        start();
        TelnetClient one = admin("one", "sam");
        TelnetClient two = admin("two", "sam");
        one.okay("REGISTER firstpass1");

        assertThat(two.command("REGISTER secondpass").last()).isEqualTo("ERROR NOT_ALLOWED sam is registered already");
    }

    @Test
    void passwordChangesTheLoginAndAWrongOldOneIsRefused() {
        start();
        register("party", "alice", "correct horse");
        TelnetClient c = connect("alice");
        c.okay("party alice \"correct horse\"");

        assertThat(c.command("PASSWORD wrong-old \"new password\"").last())
                .isEqualTo("ERROR NOT_ALLOWED wrong password for alice; the password was not changed");
        c.okay("PASSWORD \"correct horse\" \"new password\"");
        c.okay("QUIT");

        TelnetClient again = connect("alice");
        assertThat(again.command("party alice \"correct horse\"").last()).startsWith("ERROR NOT_ALLOWED wrong");
        assertThat(again.command("party alice \"new password\"").last()).matches(TelnetClient.JOIN_OKAY);
    }

    @Test
    void guessingIsLockedAfterThreeWrongPasswordsForOneSecondThenTwo() {
        startManual();
        register("party", "alice", "correct horse");
        TelnetClient c = connect("mallory");

        for (int i = 0; i < 4; i++) {
            assertThat(c.command("party alice guess" + i).last()).startsWith("ERROR NOT_ALLOWED wrong password");
        }
        String locked = "ERROR NOT_ALLOWED too many wrong passwords for alice or from your address; try again in 1 s";
        assertThat(c.command("party alice \"correct horse\"").last()).as("even the right one, during the lock")
                .isEqualTo(locked);
        TelnetClient other = connect("carol");
        assertThat(other.command("party alice guess").last()).as("the account, from any connection")
                .isEqualTo(locked);

        clock.advanceMillis(1_000);
        assertThat(c.command("party alice guess5").last()).startsWith("ERROR NOT_ALLOWED wrong password");
        assertThat(c.command("party alice guess6").last()).endsWith("try again in 2 s");
        clock.advanceMillis(2_000);
        assertThat(c.command("party alice \"correct horse\"").last()).matches(TelnetClient.JOIN_OKAY);
        assertThat(other.command("elsewhere carol").last()).as("a guest's join is never locked").matches(TelnetClient.JOIN_OKAY);
    }

    @Test
    void anOperatorJoinsAnyLobbyWithoutApprovalAndActsAsItsAdmin() {
        start();
        register("x", "otto", "operator-pass");
        assertThat(server.accounts().setOperator("otto", true)).isTrue();
        TelnetClient alice = admin("party", "alice");

        TelnetClient otto = connect("otto");
        assertThat(otto.command("party otto operator-pass").last()).matches(TelnetClient.JOIN_OKAY);
        alice.expectLine("NOTIFY otto joined party as its moderator");
        alice.okay("DEMOTE otto");
        assertThat(otto.command("PROMOTE alice").last()).as("a USER by role, the admin's rights by standing")
                .isEqualTo("ERROR NOT_ALLOWED alice is the admin already");
        assertThat(otto.command("AUTOPLAY").last()).isEqualTo("OKAY");
        assertThat(alice.command("KICK otto").last())
                .isEqualTo("ERROR NOT_ALLOWED otto is an operator and cannot be kicked");
        assertThat(alice.command("BAN otto").last())
                .isEqualTo("ERROR NOT_ALLOWED otto is an operator and cannot be banned");
        otto.okay("KICK alice");
    }

    @Test
    void passwordsNeverReachTheLogEvenAtTrace() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        StringWriter log = new StringWriter();
        WriterAppender appender = WriterAppender.newBuilder().setName("capture-passwords").setTarget(log)
                .setLayout(PatternLayout.newBuilder().withPattern("%m %ex%n").build()).build();
        appender.start();
        context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        Level before = LogManager.getRootLogger().getLevel();
        Configurator.setRootLevel(Level.ALL);
        try {
            start();
            register("party", "alice", "SECRET-one-1");
            TelnetClient c = connect("alice");
            c.command("party alice SECRET-wrong-2");
            c.okay("party alice SECRET-one-1");
            c.command("PASSWORD SECRET-bad-3 SECRET-new-4");
            c.okay("PASSWORD SECRET-one-1 SECRET-new-5");
            c.command("REGISTER SECRET-again-6");
            c.okay("QUIT");
            connect("x").command("party alice \"SECRET\\\\quoted 7\"");
            stopServer();
        } finally {
            Configurator.setRootLevel(before);
            context.getConfiguration().getRootLogger().removeAppender("capture-passwords");
            appender.stop();
        }
        assertThat(log.toString()).contains("alice registered").doesNotContain("SECRET");
    }
}
