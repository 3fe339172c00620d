package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.it.TelnetClient.Pings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CAP over a real socket: a person in telnet turns nothing on and gets text only (no song bytes pushed at it, a
 * PING at most once a minute, no EVENT lines); a program that turns EVENTS, SONGS and PING on gets all three.
 */
class CapabilitiesOverTheWireTest extends ServerTestBase {

    @Test
    void capListsTheCapabilitiesBeforeJoiningAndAnUnknownOneTurnsNothingOn() {
        start();
        TelnetClient c = connect("prog");
        TelnetClient.Reply list = c.command("CAP");
        assertThat(list.last()).isEqualTo("OKAY");
        assertThat(list.data()).hasSize(3).anySatisfy(l -> assertThat(l).startsWith("CAP EVENTS "))
                .anySatisfy(l -> assertThat(l).startsWith("CAP SONGS "))
                .anySatisfy(l -> assertThat(l).startsWith("CAP PING "));
        assertThat(c.command("CAP EVENTS MINDREADING").last()).startsWith("ERROR SYNTAX unknown capability");
        c.send("party prog");
        c.expectJoinOkay();
        assertThat(c.command("USERS").unsolicited()).as("EVENTS was not turned on").noneMatch(l -> l.startsWith("EVENT"));
    }

    @Test
    void aTelnetMemberNeverSeesATransferOrAPingStormWhileAProgramGetsBoth() {
        start(b -> b.pingInterval = Duration.ofMillis(100));
        TelnetClient alice = admin("party", "alice");
        TelnetClient person = member(alice, "party", "bob").pings(Pings.KEEP);
        TelnetClient program = connect("prog").pings(Pings.ANSWER);
        assertThat(program.command("CAP EVENTS SONGS PING").last()).isEqualTo("OKAY");
        program.send("party prog");
        program.expectLine("NOTIFY waiting for approval to join party");
        program.expectLine("EVENT APPROVAL party WAITING");
        alice.skipUntil(l -> l.startsWith("NOTIFY prog asks to join"));
        alice.okay("ACCEPT prog");
        program.expectJoinOkay();
        program.expectLine("EVENT APPROVAL party ACCEPTED");
        program.expectLine("EVENT MEMBER alice ADMIN");

        assertThat(alice.upload("Tune", fixture("notags-2s.mp3"))).startsWith("OKAY ");
        program.skipUntil(l -> l.startsWith("UPDATE Tune "));
        assertThat(program.receiveTransfer().complete()).as("the program has the song pushed").isTrue();
        // The program's burst and periodic PINGs arrive (each answered)...
        for (int i = 0; i < 200 && program.pingsSeen().size() < 10; i++) {
            program.command("TIME");
            sleep(50);
        }
        assertThat(program.pingsSeen()).hasSizeGreaterThanOrEqualTo(10);
        // ...while the person, in the lobby all along, got the UPDATE and no transfer, and one PING at most.
        TelnetClient.Reply reply = person.command("USERS");
        List<String> seen = reply.unsolicited();
        assertThat(seen).anySatisfy(l -> assertThat(l).startsWith("UPDATE Tune "));
        assertThat(seen).noneMatch(l -> l.startsWith("SEND ")).noneMatch(l -> l.startsWith("EVENT "));
        assertThat(reply.pushed()).isEmpty();
        assertThat(person.pingsSeen()).hasSizeLessThanOrEqualTo(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
