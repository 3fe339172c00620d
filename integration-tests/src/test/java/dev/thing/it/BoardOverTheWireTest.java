package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lobby's board (RFC 6.45 and 10.9) over real sockets: two players editing at once, people (NOTIFY) and
 * programs (EVENT BOARD) seeing every change, a late joiner getting the whole board, every bad input refused
 * with nothing changed, START scheduled like PLAY, and the seat of a player who disconnects set free.
 * A manual clock: nobody answers PINGs, so the start lead is its floor.
 */
class BoardOverTheWireTest extends ServerTestBase {
    static final long LEAD_US = 250_000;
    static final String EMPTY = "0000000000000000";

    /** A program (CAP EVENTS) let into {@code lobby} by {@code admin}; returns it with its join lines read. */
    TelnetClient program(TelnetClient admin, String lobby, String user, List<String> boardEvents) {
        TelnetClient p = connect(user);
        assertThat(p.command("CAP EVENTS").last()).isEqualTo("OKAY");
        p.send(lobby + " " + user);
        p.expectLine("NOTIFY waiting for approval to join " + lobby);
        p.expectLine("EVENT APPROVAL " + lobby + " WAITING");
        admin.skipUntil(l -> l.startsWith("NOTIFY " + user + " asks to join"));
        admin.send("ACCEPT " + user);
        admin.skipUntilLine("OKAY");
        p.expectJoinOkay();
        while (true) {
            String line = p.nextLine();
            if (line.equals("NOTIFY " + user + " joined " + lobby)) {
                return p;
            }
            if (line.startsWith("EVENT BOARD ")) {
                boardEvents.add(line);
            }
        }
    }

    /** The BOARD reply's data lines, checked to end in OKAY. */
    static List<String> board(TelnetClient c) {
        TelnetClient.Reply reply = c.command("BOARD");
        assertThat(reply.last()).as(c.name() + ": BOARD").isEqualTo("OKAY");
        return reply.data();
    }

    /** The next {@code n} lines. */
    static List<String> lines(TelnetClient c, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(c.nextLine());
        }
        return out;
    }

    @Test
    void twoPlayersEditAtOnceAndPeopleAndProgramsSeeEveryChange() {
        startManual();
        TelnetClient alice = admin("jam", "alice");
        TelnetClient bob = member(alice, "jam", "bob");
        TelnetClient dave = member(alice, "jam", "dave", bob);
        TelnetClient prog = program(alice, "jam", "prog", new ArrayList<>());
        bob.skipUntilLine("NOTIFY prog joined jam");
        dave.skipUntilLine("NOTIFY prog joined jam");

        bob.okay("BOARD JOIN");
        dave.okay("BOARD JOIN 2");
        bob.expectLine("NOTIFY dave took seat 2 (drums)");
        assertThat(lines(prog, 2)).containsExactly("EVENT BOARD TRACK 1 piano bob", "EVENT BOARD TRACK 2 drums dave");
        assertThat(lines(alice, 2)).containsExactly("NOTIFY bob took seat 1 (piano)",
                "NOTIFY dave took seat 2 (drums)");

        // Both players send their rows without waiting for each other.
        bob.send("BOARD SET 1 3 1234000012000000");
        dave.send("BOARD SET 2 1 1010101010101010");
        bob.send("BOARD SET 1 8 123456789ABCDEFG");
        dave.send("board set 2 2 0000100000001000");
        List<String> bobSaw = new ArrayList<>();
        List<String> daveSaw = new ArrayList<>();
        for (TelnetClient player : List.of(bob, dave)) {
            List<String> saw = player == bob ? bobSaw : daveSaw;
            int okays = 0;
            while (okays < 2 || saw.size() < 4) {
                String line = player.nextLine();
                if (line.equals("OKAY")) {
                    okays++;
                } else {
                    saw.add(line);
                }
            }
        }
        List<String> notices = List.of("NOTIFY bob set track 1 row 3: 1234000012000000",
                "NOTIFY dave set track 2 row 1: 1010101010101010", "NOTIFY bob set track 1 row 8: 123456789abcdefg",
                "NOTIFY dave set track 2 row 2: 0000100000001000");
        assertThat(bobSaw).containsExactlyInAnyOrderElementsOf(notices);
        assertThat(daveSaw).containsExactlyInAnyOrderElementsOf(notices);
        assertThat(lines(alice, 4)).containsExactlyInAnyOrderElementsOf(notices);
        assertThat(lines(prog, 4)).containsExactlyInAnyOrder("EVENT BOARD ROW 1 3 1234000012000000",
                "EVENT BOARD ROW 2 1 1010101010101010", "EVENT BOARD ROW 1 8 123456789abcdefg",
                "EVENT BOARD ROW 2 2 0000100000001000");

        List<String> shown = board(alice);
        assertThat(shown).hasSize(3 + 16);
        assertThat(shown.subList(0, 3)).containsExactly("BOARD 16 8 120 STOPPED OVER", "TRACK 1 piano bob",
                "TRACK 2 drums dave");
        assertThat(shown).contains("ROW 1 3 1234000012000000", "ROW 1 8 123456789abcdefg",
                "ROW 2 1 1010101010101010", "ROW 2 2 0000100000001000", "ROW 1 1 " + EMPTY, "ROW 2 8 " + EMPTY);

        // Settings from a player and from staff reach everyone too.
        bob.okay("BOARD TEMPO 96");
        alice.okay("BOARD INSTRUMENT 1 bass");
        alice.okay("BOARD MIX INSTEAD");
        bob.okay("BOARD SIZE 8 4");
        assertThat(lines(dave, 4)).containsExactly("NOTIFY bob set the board's tempo to 96 bpm",
                "NOTIFY alice set track 1 to bass",
                "NOTIFY alice set the board to play instead of the song (the song is muted while the board plays)",
                "NOTIFY bob made the board 8 columns by 4 rows");
        List<String> events = lines(prog, 3 + 1 + 8);
        assertThat(events.subList(0, 4)).containsExactly("EVENT BOARD TEMPO 96", "EVENT BOARD TRACK 1 bass bob",
                "EVENT BOARD MIX INSTEAD", "EVENT BOARD SIZE 8 4");
        assertThat(events.subList(4, 12)).containsExactly("EVENT BOARD ROW 1 1 00000000",
                "EVENT BOARD ROW 1 2 00000000", "EVENT BOARD ROW 1 3 12340000", "EVENT BOARD ROW 1 4 00000000",
                "EVENT BOARD ROW 2 1 10101010", "EVENT BOARD ROW 2 2 00001000", "EVENT BOARD ROW 2 3 00000000",
                "EVENT BOARD ROW 2 4 00000000");
        assertThat(board(dave).get(0)).isEqualTo("BOARD 8 4 96 STOPPED INSTEAD");

        dave.okay("BOARD CLEAR");
        assertThat(lines(prog, 4)).containsExactly("EVENT BOARD ROW 2 1 00000000", "EVENT BOARD ROW 2 2 00000000",
                "EVENT BOARD ROW 2 3 00000000", "EVENT BOARD ROW 2 4 00000000");
        alice.skipUntilLine("NOTIFY dave cleared track 2");
        alice.okay("BOARD CLEAR");
        bob.expectLine("NOTIFY dave cleared track 2");
        bob.expectLine("NOTIFY alice cleared the board");
        assertThat(lines(prog, 8)).allMatch(l -> l.startsWith("EVENT BOARD ROW ") && l.endsWith(" 00000000"));
        assertThat(board(bob)).filteredOn(l -> l.startsWith("ROW ")).allMatch(l -> l.endsWith(" 00000000"));
    }

    @Test
    void aLateJoinerGetsTheWholeBoardAsEventsOrByAskingForIt() {
        startManual();
        TelnetClient alice = admin("jam", "alice");
        alice.okay("BOARD JOIN 2");
        alice.okay("BOARD SET 2 1 1000100010001000");
        alice.okay("BOARD INSTRUMENT 2 gm118");
        alice.okay("BOARD START");
        long startUs = clock.epochMicros() + LEAD_US;

        List<String> got = new ArrayList<>();
        program(alice, "jam", "late", got);
        List<String> expected = new ArrayList<>(List.of("EVENT BOARD SIZE 16 8", "EVENT BOARD TEMPO 120",
                "EVENT BOARD MIX OVER", "EVENT BOARD TRACK 1 piano -", "EVENT BOARD TRACK 2 gm118 alice"));
        for (int t = 1; t <= 2; t++) {
            for (int r = 1; r <= 8; r++) {
                expected.add("EVENT BOARD ROW " + t + " " + r + " " + (t == 2 && r == 1 ? "1000100010001000" : EMPTY));
            }
        }
        expected.add("EVENT BOARD START " + startUs);
        assertThat(got).containsExactlyElementsOf(expected);

        TelnetClient person = member(alice, "jam", "person");
        List<String> shown = board(person);
        assertThat(shown.get(0)).isEqualTo("BOARD 16 8 120 PLAYING " + startUs + " OVER");
        assertThat(shown).contains("TRACK 2 gm118 alice", "ROW 2 1 1000100010001000");
    }

    @Test
    void everyBadInputIsAnsweredClearlyAndChangesNothing() {
        startManual();
        TelnetClient alice = admin("jam", "alice");
        TelnetClient bob = member(alice, "jam", "bob");
        TelnetClient carol = member(alice, "jam", "carol", bob);
        bob.okay("BOARD JOIN 1");
        bob.okay("BOARD SET 1 1 1200000000000000");
        alice.skipUntilLine("NOTIFY bob set track 1 row 1: 1200000000000000");
        carol.skipUntilLine("NOTIFY bob set track 1 row 1: 1200000000000000");
        List<String> before = board(alice);

        String[][] refusals = {
            {bob.name(), "BOARD SET 1 2 1204000000000000", "ERROR SYNTAX cell 4 is \"4\" but after a rest comes "
                    + "\"0\" (a rest) or \"1\" (a note starts)"},
            {bob.name(), "BOARD SET 1 2 2000000000000000", "ERROR SYNTAX cell 1 is \"2\" but a row starts with "
                    + "\"0\" (a rest) or \"1\" (a note starts)"},
            {bob.name(), "BOARD SET 1 2 1300000000000000", "ERROR SYNTAX cell 2 is \"3\" but a note there must "
                    + "continue with \"2\", or \"1\" starts a new note, or \"0\" rests"},
            {bob.name(), "BOARD SET 1 2 000000000000000", "ERROR SYNTAX row needs 16 cells, got 15"},
            {bob.name(), "BOARD SET 1 2 00000000000000000", "ERROR SYNTAX row needs 16 cells, got 17"},
            {bob.name(), "BOARD SET 1 9 " + EMPTY, "ERROR SYNTAX no row 9 (the board has 8 rows)"},
            {bob.name(), "BOARD SET 3 1 " + EMPTY, "ERROR SYNTAX no track 3 (tracks are 1 and 2)"},
            {bob.name(), "BOARD SET 2 1 " + EMPTY, "ERROR NOT_ALLOWED track 2 has no player; BOARD JOIN 2 first"},
            {alice.name(), "BOARD SET 1 1 " + EMPTY, "ERROR NOT_ALLOWED track 1 is played by bob"},
            {carol.name(), "BOARD JOIN 1", "ERROR NOT_ALLOWED seat 1 is taken by bob"},
            {bob.name(), "BOARD JOIN 2", "ERROR NOT_ALLOWED you already hold seat 1"},
            {carol.name(), "BOARD LEAVE", "ERROR NOT_ALLOWED you hold no seat on the board"},
            {carol.name(), "BOARD CLEAR 1", "ERROR NOT_ALLOWED track 1 is played by bob"},
            {carol.name(), "BOARD TEMPO 90", "ERROR NOT_ALLOWED BOARD TEMPO is for the admin, moderators and the "
                    + "board's two players; BOARD JOIN to play"},
            {carol.name(), "BOARD START", "ERROR NOT_ALLOWED BOARD START is for the admin, moderators and the "
                    + "board's two players; BOARD JOIN to play"},
            {bob.name(), "BOARD MIX INSTEAD", "ERROR NOT_ALLOWED BOARD MIX is for the admin and moderators"},
            {alice.name(), "BOARD TEMPO 301", "ERROR SYNTAX tempo must be 30..300 beats per minute, got 301"},
            {alice.name(), "BOARD SIZE 65 8", "ERROR SYNTAX columns must be 1..64, got 65"},
            {alice.name(), "BOARD SIZE 16 0", "ERROR SYNTAX rows must be 1..16, got 0"},
            {alice.name(), "BOARD INSTRUMENT 1 kazoo", "ERROR SYNTAX no instrument \"kazoo\"; use piano, epiano, "
                    + "organ, guitar, bass, strings, choir, brass, sax, flute, lead, pad, gm0..gm127 (a General "
                    + "MIDI program) or drums"},
            {alice.name(), "BOARD DANCE", null},
        };
        for (String[] r : refusals) {
            TelnetClient who = r[0].equals("alice") ? alice : r[0].equals("bob") ? bob : carol;
            TelnetClient.Reply reply = who.command(r[1]);
            if (r[2] == null) {
                assertThat(reply.last()).as(r[1]).startsWith("ERROR SYNTAX no BOARD \"DANCE\"; usage: BOARD");
            } else {
                assertThat(reply.last()).as(r[1]).isEqualTo(r[2]);
            }
            assertThat(reply.data()).as(r[1]).isEmpty();
        }
        assertThat(board(alice)).isEqualTo(before);
        // Nobody was told of anything: the next line each member sees is the reply to its own command.
        for (TelnetClient c : List.of(alice, bob, carol)) {
            assertThat(c.command("TIME").unsolicited()).as(c.name()).isEmpty();
        }

        assertThat(carol.command("HELP").data()).anyMatch(l -> l.startsWith("HELP BOARD [JOIN [1|2] | LEAVE | SET "));
        assertThat(carol.command("HELP BOARD").data()).anyMatch(l -> l.startsWith("HELP BOARD "));
        TelnetClient stranger = connect("stranger");
        assertThat(stranger.command("BOARD").last()).startsWith("ERROR ");
    }

    @Test
    void startIsScheduledInTheFutureWithTheSameLeadAsPlay() {
        startManual();
        TelnetClient alice = admin("jam", "alice");
        TelnetClient bob = member(alice, "jam", "bob");
        assertThat(alice.upload("Tune", fixture("notags-2s.mp3"))).startsWith("OKAY ");
        alice.expectPrefix("UPDATE Tune ");
        bob.expectPrefix("UPDATE Tune ");

        long now = clock.epochMicros();
        alice.send("PLAY Tune");
        String play = alice.expectPrefix("PLAY Tune ");
        alice.expectLine("NOTIFY alice played Tune");
        alice.expectLine("OKAY");
        bob.expectLine(play);
        long playLead = Long.parseLong(play.split(" ")[2]) - now;

        bob.okay("BOARD JOIN");
        alice.expectLine("NOTIFY bob took seat 1 (piano)");
        clock.advanceMillis(1234);
        now = clock.epochMicros();
        bob.okay("BOARD START");
        alice.expectLine("NOTIFY bob started the board at 120 bpm");
        String shown = board(alice).get(0);
        assertThat(shown).startsWith("BOARD 16 8 120 PLAYING ").endsWith(" OVER");
        long startUs = Long.parseLong(shown.split(" ")[5]);
        assertThat(startUs - now).isEqualTo(playLead).isEqualTo(LEAD_US);
        String time = alice.command("TIME").data().get(0);
        assertThat(startUs).isGreaterThan(Long.parseLong(time.split(" ")[1]));

        // A tempo change while playing starts the loop over from a fresh instant.
        clock.advanceMillis(5000);
        now = clock.epochMicros();
        alice.okay("BOARD TEMPO 140");
        assertThat(board(bob).get(0)).isEqualTo("BOARD 16 8 140 PLAYING " + (now + LEAD_US) + " OVER");
        bob.okay("BOARD STOP");
        assertThat(board(bob).get(0)).isEqualTo("BOARD 16 8 140 STOPPED OVER");
    }

    @Test
    void theSeatOfAPlayerWhoDisconnectsIsFree() {
        startManual();
        TelnetClient alice = admin("jam", "alice");
        TelnetClient bob = member(alice, "jam", "bob");
        TelnetClient prog = program(alice, "jam", "prog", new ArrayList<>());
        bob.skipUntilLine("NOTIFY prog joined jam");
        bob.okay("BOARD JOIN 1");
        alice.expectLine("NOTIFY bob took seat 1 (piano)");
        prog.expectLine("EVENT BOARD TRACK 1 piano bob");

        bob.close();
        alice.skipUntilLine("NOTIFY seat 1 is free: bob left");
        prog.skipUntilLine("EVENT BOARD TRACK 1 piano -");
        assertThat(board(alice).get(1)).isEqualTo("TRACK 1 piano -");
        prog.send("BOARD JOIN 1");
        prog.expectLine("EVENT BOARD TRACK 1 piano prog");
        prog.expectLine("OKAY");
        assertThat(board(alice).get(1)).isEqualTo("TRACK 1 piano prog");
    }
}
