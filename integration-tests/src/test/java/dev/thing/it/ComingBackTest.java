package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue #16 item 5 over real sockets, on a manual clock: a member whose connection drops keeps its place (role,
 * queued songs) for the rejoin grace and comes back without approval, with the token the server gave it or with
 * its account's password (RFC 3.15).
 */
class ComingBackTest extends ServerTestBase {
    static final String TOKEN_EVENT = "EVENT TOKEN party ";
    TelnetClient alice;

    void lobby(String... fixtures) {
        startManual(b -> b.rejoinGrace = Duration.ofSeconds(120));
        alice = admin("party", "alice");
        for (String f : fixtures) {
            String title = PartyOverTheWireTest.title(f);
            assertThat(alice.upload(title, fixture(f + ".mp3"))).startsWith("OKAY ");
            alice.expectPrefix("UPDATE " + title + " ");
        }
    }

    /** A client that reads events asks to join; alice accepts it. Returns its token; reads up to its join NOTIFY. */
    String joinWithEvents(TelnetClient c, String user) {
        c.okay("CAP EVENTS");
        c.send("party " + user);
        c.expectLine("NOTIFY waiting for approval to join party");
        c.expectLine("EVENT APPROVAL party WAITING");
        alice.skipUntilLine("NOTIFY " + user + " asks to join party: ACCEPT " + user + " or REJECT " + user);
        alice.send("ACCEPT " + user);
        c.expectOkay();
        c.expectLine("EVENT APPROVAL party ACCEPTED");
        String token = c.expectPrefix(TOKEN_EVENT).substring(TOKEN_EVENT.length());
        assertThat(token).matches("[A-Za-z0-9_-]{22}");
        c.skipUntilLine("NOTIFY " + user + " joined party");
        alice.skipUntilLine("OKAY");
        return token;
    }

    /**
     * The EVENT BOARD lines a returning member is sent, and the first line after them (the last element: the queue's
     * first line).
     */
    static java.util.List<String> boardSnapshot(TelnetClient c) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        String line;
        do {
            line = c.nextLine();
            lines.add(line);
        } while (line.startsWith("EVENT BOARD "));
        assertThat(lines).as("the board snapshot").anySatisfy(l -> assertThat(l).startsWith("EVENT BOARD SIZE "));
        return lines;
    }

    /** The LOBBIES data lines, as a new connection sees them. */
    java.util.List<String> lobbies() {
        TelnetClient look = connect("onlooker");
        java.util.List<String> lines = look.command("LOBBIES").data();
        look.close();
        return lines;
    }

    /** Drops {@code c}'s socket (no QUIT) and waits until alice hears of it. */
    void drop(TelnetClient c, String user) {
        c.close();
        alice.skipUntilLine("NOTIFY " + user + " lost the connection; their place is kept for 2:00");
    }

    @Test
    void aGuestComesBackWithItsTokenWithoutApprovalToItsRoleAndQueuedSongs() {
        lobby("long-sweep-180s", "sine-440-3s");
        alice.okay("PLAY long-sweep-180s");
        TelnetClient bob = connect("bob");
        String token = joinWithEvents(bob, "bob");
        bob.skipUntil(l -> l.startsWith("PLAY "));
        assertThat(bob.command("REQUEST Sine").last()).isEqualTo("OKAY"); // its EVENT ENTRY lines come first
        assertThat(bob.command("BOARD JOIN 2").last()).isEqualTo("OKAY");
        alice.okay("PROMOTE bob");
        TelnetClient watcher = connect("carol");
        joinWithEvents(watcher, "carol");

        drop(bob, "bob");
        watcher.skipUntilLine("EVENT AWAY bob 120");
        watcher.expectLine("NOTIFY bob lost the connection; their place is kept for 2:00");
        assertThat(alice.command("USERS").data()).containsExactly("USER alice ADMIN -", "USER bob MODERATOR - AWAY",
                "USER carol USER -");
        assertThat(alice.command("QUEUE").data()).singleElement().asString().endsWith(" Sine bob");

        clock.advanceMillis(119_000);
        TelnetClient back = connect("bob again");
        back.okay("CAP EVENTS");
        back.send("party BOB TOKEN " + token);
        assertThat(back.expectOkay()).isEqualTo("OKAY welcome back to party as MODERATOR");
        back.expectLine("EVENT APPROVAL party ACCEPTED");
        String fresh = back.expectPrefix(TOKEN_EVENT).substring(TOKEN_EVENT.length());
        assertThat(fresh).isNotEqualTo(token);
        back.expectLine("EVENT MEMBER alice ADMIN");
        back.expectLine("EVENT MEMBER bob MODERATOR");
        back.expectLine("EVENT MEMBER carol USER");
        // Then the whole board (RFC 10.9): bob's seat was kept for him through the grace.
        java.util.List<String> board = boardSnapshot(back);
        assertThat(board).contains("EVENT BOARD TRACK 2 drums bob");
        // Then the whole queue (RFC 6.16), bob's entry still in it.
        assertThat(board.get(board.size() - 1)).matches("EVENT ENTRY 1 \\d+ Sine bob");
        back.expectLine("EVENT QUEUE 1");
        back.expectLine("NOTIFY bob is back");
        back.expectPrefix("PLAY long-sweep-180s ");
        alice.skipUntilLine("NOTIFY bob is back");
        watcher.skipUntilLine("EVENT BACK bob");
        watcher.expectLine("NOTIFY bob is back");

        assertThat(back.command("USERS").data()).containsExactly("USER alice ADMIN -", "USER bob MODERATOR -",
                "USER carol USER -");
        assertThat(back.command("QUEUE").data()).singleElement().asString().endsWith(" Sine bob");
        assertThat(back.command("KICK carol").last()).isEqualTo("OKAY"); // a moderator's powers came back too
        // The grace timer of the first connection was cancelled: running it out changes nothing.
        clock.advanceMillis(5_000);
        assertThat(alice.command("USERS").data()).containsExactly("USER alice ADMIN -", "USER bob MODERATOR -");
    }

    @Test
    void aWrongOrUsedTokenGetsTheNormalPathAndTheNameIsTakenWhileItsHolderIsAway() {
        lobby();
        TelnetClient bob = connect("bob");
        String token = joinWithEvents(bob, "bob");
        drop(bob, "bob");

        TelnetClient guess = connect("guess");
        guess.send("party bob TOKEN AAAAAAAAAAAAAAAAAAAAAA");
        assertThat(guess.nextLine()).matches("NOTIFY bob is away; their place is kept until \\d\\d:\\d\\d UTC "
                + "\\(come back with the token, or wait\\)");
        guess.expectLine("bob TAKEN");
        guess.assertClosedByServer();
        TelnetClient person = connect("telnet person");
        person.send("party bob");
        person.expectPrefix("NOTIFY bob is away; ");
        person.expectLine("bob TAKEN");

        TelnetClient back = connect("bob again");
        back.okay("CAP EVENTS");
        back.send("party bob TOKEN " + token);
        back.expectOkay();
        alice.skipUntilLine("NOTIFY bob is back");
        back.close();
        alice.skipUntilLine("NOTIFY bob lost the connection; their place is kept for 2:00");

        // The token was used: single use, it does not bring bob back a second time.
        TelnetClient replay = connect("replay");
        replay.send("party bob TOKEN " + token);
        replay.expectPrefix("NOTIFY bob is away; ");
        replay.expectLine("bob TAKEN");
    }

    @Test
    void whenTheGraceRunsOutTheMemberIsGoneItsQueueEntriesStayAndItsTokenIsWorthNothing() {
        lobby("long-sweep-180s", "sine-440-3s");
        alice.okay("CAP EVENTS");
        alice.okay("PLAY long-sweep-180s");
        TelnetClient bob = connect("bob");
        String token = joinWithEvents(bob, "bob");
        assertThat(bob.command("REQUEST Sine").last()).isEqualTo("OKAY"); // its EVENT ENTRY lines come first
        bob.close();
        alice.skipUntilLine("EVENT AWAY bob 120");

        clock.advanceMillis(120_000);
        alice.skipUntilLine("EVENT GONE bob DISCONNECTED");
        alice.expectLine("NOTIFY bob did not come back within 2:00 and left party");
        assertThat(alice.command("USERS").data()).containsExactly("USER alice ADMIN -");
        assertThat(alice.command("QUEUE").data()).singleElement().asString().endsWith(" Sine bob");

        TelnetClient late = connect("bob, late");
        late.send("party bob TOKEN " + token);
        late.expectLine("NOTIFY waiting for approval to join party");
        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
    }

    @Test
    void theAdminRoleWaitsOutTheGraceBeforeItIsHandedOver() {
        lobby();
        TelnetClient bob = member(alice, "party", "bob");
        TelnetClient carol = member(alice, "party", "carol", bob);
        alice.close();
        bob.skipUntilLine("NOTIFY alice lost the connection; their place is kept for 2:00");
        assertThat(bob.command("USERS").data()).containsExactly("USER alice ADMIN - AWAY", "USER bob USER -",
                "USER carol USER -");
        assertThat(bob.command("PROMOTE carol").last()).startsWith("ERROR NOT_ALLOWED ");

        clock.advanceMillis(60_000);
        assertThat(bob.command("USERS").data()).first().isEqualTo("USER alice ADMIN - AWAY");
        clock.advanceMillis(60_000);
        bob.skipUntilLine("NOTIFY alice did not come back within 2:00 and left party");
        bob.expectLine("NOTIFY bob is now the admin of party");
        carol.skipUntilLine("NOTIFY bob is now the admin of party");
        bob.okay("PROMOTE carol");
    }

    @Test
    void anAccountComesBackWithItsPasswordToItsPlace() {
        lobby();
        TelnetClient bob = member(alice, "party", "bob");
        bob.okay("REGISTER \"correct horse\"");
        alice.okay("PROMOTE bob");
        drop(bob, "bob");

        TelnetClient wrong = connect("bob, wrong password");
        assertThat(wrong.command("party bob wrong-horse").last())
                .isEqualTo("ERROR NOT_ALLOWED wrong password for bob; try again");
        TelnetClient back = connect("bob again");
        back.send("party bob \"correct horse\"");
        assertThat(back.expectOkay()).isEqualTo("OKAY welcome back to party as MODERATOR");
        back.expectLine("NOTIFY bob is back");
        alice.skipUntilLine("NOTIFY bob is back");
        assertThat(back.command("USERS").data()).containsExactly("USER alice ADMIN -", "USER bob MODERATOR -");
    }

    @Test
    void anAccountComesBackWithItsTokenInsteadOfItsPasswordAndAStaleTokenIsNoLogin() {
        lobby();
        TelnetClient registering = connect("bob registers");
        registering.send("elsewhere bob");
        registering.expectOkay();
        registering.okay("REGISTER \"correct horse\"");
        registering.okay("QUIT");
        TelnetClient bob = connect("bob");
        bob.okay("CAP EVENTS");
        bob.send("party bob \"correct horse\"");
        bob.expectLine("NOTIFY waiting for approval to join party");
        bob.expectLine("EVENT APPROVAL party WAITING");
        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        alice.send("ACCEPT bob");
        bob.expectOkay();
        bob.expectLine("EVENT APPROVAL party ACCEPTED");
        String token = bob.expectPrefix(TOKEN_EVENT).substring(TOKEN_EVENT.length());
        alice.skipUntilLine("OKAY");
        alice.okay("PROMOTE bob");
        drop(bob, "bob");

        TelnetClient back = connect("bob again");
        back.okay("CAP EVENTS");
        back.send("party bob TOKEN " + token);
        assertThat(back.expectOkay()).isEqualTo("OKAY welcome back to party as MODERATOR");
        alice.skipUntilLine("NOTIFY bob is back");
        // Back as the account, not as a guest under its name: the account's own commands work.
        assertThat(back.command("PASSWORD \"correct horse\" \"battery staple\"").last()).isEqualTo("OKAY");

        // The used token logs nobody in: a registered name still needs its password.
        TelnetClient replay = connect("replay");
        assertThat(replay.command("party bob TOKEN " + token).last()).startsWith("ERROR NOT_ALLOWED bob is registered");
        assertThat(back.command("USERS").data()).filteredOn(l -> l.startsWith("USER "))
                .containsExactly("USER alice ADMIN -", "USER bob MODERATOR -");
    }

    @Test
    void anAccountTakesOverTheConnectionTheServerStillThinksOpenKeepingRoleQueueAndSeat() {
        lobby("long-sweep-180s", "sine-440-3s");
        TelnetClient bob = member(alice, "party", "bob");
        alice.okay("PLAY long-sweep-180s");
        bob.skipUntil(l -> l.startsWith("PLAY "));
        bob.okay("REGISTER \"correct horse\"");
        bob.okay("CAP EVENTS");
        assertThat(bob.command("REQUEST Sine").last()).isEqualTo("OKAY"); // its EVENT ENTRY lines come first
        assertThat(bob.command("BOARD JOIN 2").last()).isEqualTo("OKAY");
        alice.okay("PROMOTE bob");
        TelnetClient carol = connect("carol");
        joinWithEvents(carol, "carol");
        // bob's old socket stays open and says nothing, as after a Wi-Fi drop the server has not noticed yet.

        TelnetClient wrong = connect("bob, wrong password");
        assertThat(wrong.command("party bob wrong-horse").last())
                .isEqualTo("ERROR NOT_ALLOWED wrong password for bob; try again");
        assertThat(bob.command("USERS").data()).as("the open connection is untouched by a wrong password")
                .filteredOn(l -> l.startsWith("USER ")).containsExactly("USER alice ADMIN -", "USER bob MODERATOR -", "USER carol USER -");

        TelnetClient back = connect("bob again");
        back.okay("CAP EVENTS");
        back.send("party bob \"correct horse\"");
        assertThat(back.expectOkay()).isEqualTo("OKAY welcome back to party as MODERATOR");
        bob.skipUntilLine("EVENT GONE bob REPLACED");
        bob.expectLine("NOTIFY you came back to party on another connection; closing this one");
        bob.assertClosedByServer();
        carol.skipUntilLine("EVENT BACK bob");
        carol.expectLine("NOTIFY bob is back");
        alice.skipUntilLine("NOTIFY bob is back");

        back.expectLine("EVENT APPROVAL party ACCEPTED");
        back.expectPrefix(TOKEN_EVENT);
        back.expectLine("EVENT MEMBER alice ADMIN");
        back.expectLine("EVENT MEMBER bob MODERATOR");
        back.expectLine("EVENT MEMBER carol USER");
        java.util.List<String> board = boardSnapshot(back);
        assertThat(board).contains("EVENT BOARD TRACK 2 drums bob");
        assertThat(board.get(board.size() - 1)).matches("EVENT ENTRY 1 \\d+ Sine bob");
        back.expectLine("EVENT QUEUE 1");
        assertThat(back.command("USERS").data()).containsExactly("USER alice ADMIN -", "USER bob MODERATOR -",
                "USER carol USER -");
        assertThat(back.command("QUEUE").data()).singleElement().asString().endsWith(" Sine bob");
        assertThat(back.command("KICK carol").last()).isEqualTo("OKAY"); // the moderator's powers came with it
        // The old connection's end, noticed now, does not make the place away.
        assertThat(alice.command("USERS").data()).containsExactly("USER alice ADMIN -", "USER bob MODERATOR -");
    }

    @Test
    void aLobbyWhoseMembersAreAllAwayStaysUntilTheLastGraceRunsOut() {
        lobby();
        TelnetClient bob = member(alice, "party", "bob");
        alice.close();
        bob.skipUntilLine("NOTIFY alice lost the connection; their place is kept for 2:00");
        clock.advanceMillis(30_000);
        bob.close();
        eventually("both away", () -> lobbies().equals(java.util.List.of("LOBBY party 0 0")));

        // alice's grace ends first: bob, away, is the admin of an empty room until his own grace ends.
        clock.advanceMillis(90_000);
        assertThat(lobbies()).containsExactly("LOBBY party 0 0");
        TelnetClient bobBack = connect("bob again");
        bobBack.okay("CAP EVENTS");
        // bob had no token (he never asked for events); he cannot come back, but the place holds his name.
        bobBack.send("party bob");
        bobBack.expectPrefix("NOTIFY bob is away; ");
        bobBack.expectLine("bob TAKEN");
        clock.advanceMillis(30_000);
        eventually("the lobby removed", () -> lobbies().isEmpty());
        TelnetClient fresh = connect("newcomer");
        fresh.send("party dave");
        fresh.expectOkay(); // a new lobby: its creator is its admin
    }

    @Test
    void everyoneAwayThenBackKeepsTheLobbyAndItsAdmin() {
        startManual(b -> b.rejoinGrace = Duration.ofSeconds(120));
        TelnetClient first = connect("alice");
        first.okay("CAP EVENTS");
        first.send("party alice");
        first.expectOkay();
        first.expectLine("EVENT APPROVAL party CREATED");
        String token = first.expectPrefix(TOKEN_EVENT).substring(TOKEN_EVENT.length());
        first.close();
        eventually("alice away", () -> lobbies().equals(java.util.List.of("LOBBY party 0 0")));

        clock.advanceMillis(100_000);
        TelnetClient back = connect("alice again");
        back.okay("CAP EVENTS");
        back.send("party alice TOKEN " + token);
        assertThat(back.expectOkay()).isEqualTo("OKAY welcome back to party as ADMIN");
        back.expectLine("EVENT APPROVAL party ACCEPTED");
        back.expectPrefix(TOKEN_EVENT);
        back.expectLine("EVENT MEMBER alice ADMIN");
        java.util.List<String> board = boardSnapshot(back);
        assertThat(board.get(board.size() - 1)).isEqualTo("EVENT QUEUE 0");
        back.expectLine("NOTIFY alice is back");
        clock.advanceMillis(60_000);
        assertThat(lobbies()).containsExactly("LOBBY party 1 0");
        assertThat(back.command("USERS").data()).containsExactly("USER alice ADMIN -");
    }

    @Test
    void aGuestWhoComesBackKeepsItsUploadsAndLosesThemWhenTheGraceRunsOut() {
        startManual(b -> b.rejoinGrace = Duration.ofSeconds(120));
        TelnetClient first = connect("alice");
        first.okay("CAP EVENTS");
        first.send("party alice");
        first.expectOkay();
        first.expectLine("EVENT APPROVAL party CREATED");
        String token = first.expectPrefix(TOKEN_EVENT).substring(TOKEN_EVENT.length());
        assertThat(first.upload("Sine", fixture("sine-440-3s.mp3"))).startsWith("OKAY ");
        first.close();
        eventually("alice away", () -> lobbies().equals(java.util.List.of("LOBBY party 0 0")));

        TelnetClient back = connect("alice again");
        back.send("party alice TOKEN " + token);
        back.expectOkay();
        assertThat(back.command("SONG Sine SET ARTIST Oscillator").last()).isEqualTo("OKAY");
        back.close();
        eventually("alice away again", () -> lobbies().equals(java.util.List.of("LOBBY party 0 0")));
        clock.advanceMillis(120_000);
        eventually("the lobby removed", () -> lobbies().isEmpty());

        TelnetClient later = connect("alice, later");
        later.send("party alice");
        later.expectOkay();
        assertThat(later.command("SONG Sine SET ARTIST Again").last()).startsWith("ERROR NOT_ALLOWED ");
    }

    @Test
    void quitAndKickLeaveAtOnce() {
        lobby();
        TelnetClient bob = member(alice, "party", "bob");
        alice.okay("CAP EVENTS");
        bob.okay("QUIT");
        alice.skipUntilLine("EVENT GONE bob QUIT");
        alice.expectLine("NOTIFY bob left party");
        TelnetClient carol = connect("carol");
        joinWithEvents(carol, "carol");
        assertThat(alice.command("KICK carol").last()).isEqualTo("OKAY");
        carol.skipUntilLine("EVENT GONE carol KICKED"); // told itself, so that its client does not come back
        carol.expectLine("NOTIFY you were kicked from party by alice");
        assertThat(alice.command("USERS").data()).containsExactly("USER alice ADMIN -");
    }
}
