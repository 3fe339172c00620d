package dev.thing.server.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.ClientMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Staff actions are logged at INFO under dev.thing.server.staff with who did them; refusals and plain use are not. */
class StaffLogTest extends CommandFixture {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AbstractAppender capture = new AbstractAppender("staff-capture", null, null, true,
            Property.EMPTY_ARRAY) {
        @Override
        public void append(LogEvent event) {
            lines.add(event.getLevel() + " " + event.getLoggerName() + " " + event.getMessage().getFormattedMessage());
        }
    };
    private Logger staff;
    private Level before;

    @BeforeEach
    void listen() {
        staff = (Logger) LogManager.getLogger(CommandTable.STAFF_LOGGER);
        before = staff.getLevel();
        staff.setLevel(Level.INFO);
        capture.start();
        staff.addAppender(capture);
    }

    @AfterEach
    void stopListening() {
        staff.removeAppender(capture);
        staff.setLevel(before);
        capture.stop();
    }

    @Test
    void staffActionsNameWhoDidThemAndWhere() throws Exception {
        run(alice, new ClientMessage.Play("Song A", null));
        run(alice, new ClientMessage.Pause());
        run(alice, new ClientMessage.Promote("bob"));
        run(bob, new ClientMessage.Seek(3_000));
        run(alice, new ClientMessage.Accept("carol"));
        run(alice, new ClientMessage.Kick("carol"));
        assertThat(lines).containsExactly(
                "INFO dev.thing.server.staff staff: alice (ADMIN) in one: PLAY \"Song A\"",
                "INFO dev.thing.server.staff staff: alice (ADMIN) in one: PAUSE",
                "INFO dev.thing.server.staff staff: alice (ADMIN) in one: PROMOTE bob",
                "INFO dev.thing.server.staff staff: bob (MODERATOR) in one: SEEK 3000",
                "INFO dev.thing.server.staff staff: alice (ADMIN) in one: ACCEPT carol",
                "INFO dev.thing.server.staff staff: alice (ADMIN) in one: KICK carol");
    }

    @Test
    void refusedAndOrdinaryCommandsAreNotStaffLog() throws Exception {
        run(bob, new ClientMessage.ShowQueue());
        run(bob, new ClientMessage.Say("hello"));
        assertThatThrownBy(() -> run(alice, new ClientMessage.Play("no such song", null)));
        assertThat(lines).isEmpty();
    }
}
