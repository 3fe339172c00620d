package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.it.TelnetClient.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Joining, approval, roles and leaving, as people at telnet prompts see them. */
class LobbiesAndRolesTest extends ServerTestBase {

    @Test
    void aNewConnectionIsGreetedAndMayAskForHelpAndLobbiesBeforeJoining() {
        start();
        TelnetClient c = connect("visitor"); // connect() checks the greeting line
        Reply help = c.command("HELP");
        assertThat(help.last()).isEqualTo("OKAY");
        assertThat(help.data()).isNotEmpty().allMatch(l -> l.startsWith("HELP "));
        assertThat(String.join("\n", help.data())).contains("LOBBIES").contains("QUIT");
        assertThat(c.command("LOBBIES")).isEqualTo(new Reply(List.of(), "OKAY there are no lobbies yet", List.of(), List.of()));
        c.send("quit");
        c.expectLine("OKAY");
        c.assertClosedByServer();
    }

    @Test
    void theCreatorOfANewLobbyIsItsAdmin() {
        start();
        TelnetClient alice = admin("party", "alice");
        Reply users = alice.command("USERS");
        assertThat(users.data()).containsExactly("USER alice ADMIN -");
        assertThat(users.last()).isEqualTo("OKAY");
        assertThat(alice.command("LOBBIES").data()).containsExactly("LOBBY party 1 0");
    }

    @Test
    void aSecondJoinerWaitsAndTheAdminIsAskedThenAcceptanceLetsItIn() {
        start();
        TelnetClient alice = admin("party", "alice");
        TelnetClient bob = connect("bob");
        bob.send("PARTY bob"); // lobby names are compared without regard to case
        bob.expectLine("NOTIFY waiting for approval to join party");
        alice.expectLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");

        assertThat(alice.command("USERS").data()).containsExactly("USER alice ADMIN -", "USER bob PENDING -");
        assertThat(alice.command("LOBBIES").data()).containsExactly("LOBBY party 1 1");

        alice.send("ACCEPT bob");
        alice.expectLine("NOTIFY bob joined party");
        alice.expectLine("OKAY");
        bob.expectJoinOkay();
        bob.expectLine("NOTIFY bob joined party");

        assertThat(bob.command("USERS").data()).containsExactly("USER alice ADMIN -", "USER bob USER -");
        assertThat(alice.command("LOBBIES").data()).containsExactly("LOBBY party 2 0");
    }

    @Test
    void aRejectedJoinerIsToldWhoRefusedItAndDisconnected() {
        start();
        TelnetClient alice = admin("party", "alice");
        TelnetClient bob = pending(alice, "party", "bob");
        alice.send("REJECT bob");
        bob.expectLine("NOTIFY your request to join party was refused by alice");
        bob.assertClosedByServer();
        alice.skipUntilLine("OKAY");
        assertThat(alice.command("USERS").data()).containsExactly("USER alice ADMIN -");
        assertThat(alice.command("ACCEPT bob").last()).startsWith("ERROR NO_SUCH_USER ");
    }

    @Test
    void aNameUsedByAMemberIsTakenWithoutRegardToCaseAndTheConnectionCloses() {
        start();
        admin("party", "alice");
        TelnetClient imposter = connect("imposter");
        imposter.send("party ALICE");
        imposter.expectLine("ALICE TAKEN");
        imposter.assertClosedByServer();
    }

    @Test
    void aNameUsedByAPendingJoinerIsTakenToo() {
        start();
        TelnetClient alice = admin("party", "alice");
        pending(alice, "party", "bob");
        TelnetClient other = connect("other");
        other.send("Party Bob");
        other.expectLine("Bob TAKEN");
        other.assertClosedByServer();
        assertThat(alice.command("LOBBIES").data()).containsExactly("LOBBY party 1 1");
    }

    @Test
    void aPendingJoinerGetsErrorPendingForCommandsButHelpAndQuitWork() {
        start();
        TelnetClient alice = admin("party", "alice");
        TelnetClient bob = pending(alice, "party", "bob");
        for (String command : List.of("USERS", "LIST", "LOBBIES", "TIME", "QUEUE", "PLAY x", "ACCEPT alice",
                "frobnicate")) {
            assertThat(bob.command(command).last()).as(command).startsWith("ERROR PENDING ").contains("party");
        }
        // A CHUNK frame too (RFC 2.10); its bytes are skipped.
        bob.chunk("QUIT\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 5);
        bob.expectPrefix("ERROR PENDING ");
        // A PING answer gets no reply.
        bob.send("OKAY 1");
        Reply help = bob.command("HELP");
        assertThat(help.last()).isEqualTo("OKAY");
        assertThat(help.data()).isNotEmpty().allMatch(l -> l.startsWith("HELP "));
        bob.send("QUIT");
        bob.expectLine("OKAY");
        bob.assertClosedByServer();
        // The name is free again once the joiner has gone.
        eventually("bob is forgotten", () -> alice.command("LOBBIES").data().equals(List.of("LOBBY party 1 0")));
        assertThat(alice.command("ACCEPT bob").last()).startsWith("ERROR NO_SUCH_USER ");
    }

    @Test
    void aJoinerNobodyAnswersIsToldAfterFiveMinutesAndDisconnected() {
        startManual();
        TelnetClient alice = admin("party", "alice");
        TelnetClient bob = pending(alice, "party", "bob");
        clock.advanceMillis(5 * 60_000 - 1);
        assertThat(alice.command("USERS").data()).contains("USER bob PENDING -");
        clock.advanceMillis(1);
        bob.expectLine("NOTIFY nobody accepted you into party within 5 min; closing");
        bob.assertClosedByServer();
        eventually("bob is no longer pending",
                () -> alice.command("LOBBIES").data().equals(List.of("LOBBY party 1 0")));
    }

    @Test
    void aConnectionThatSendsNoJoinLineIsClosedAfterTheHandshakeTimeout() {
        startManual();
        TelnetClient idle = connect("idle");
        TelnetClient joined = admin("party", "alice");
        assertThat(idle.command("LOBBIES").data()).containsExactly("LOBBY party 1 0"); // does not restart the timer
        clock.advanceMillis(60_000);
        idle.expectLine("NOTIFY no join line within 60 s; closing");
        idle.assertClosedByServer();
        assertThat(joined.command("USERS").data()).containsExactly("USER alice ADMIN -");
    }

    @Test
    void fiveMalformedJoinLinesCloseTheConnection() {
        start();
        TelnetClient c = connect("clumsy");
        List<String> bad = List.of("hello", "a b c d", "party bob!", "\"unterminated", "x".repeat(33) + " bob");
        for (int i = 0; i < 3; i++) {
            assertThat(c.command(bad.get(i)).last()).as(bad.get(i)).startsWith("ERROR SYNTAX ");
        }
        c.send(bad.get(3));
        c.expectPrefix("ERROR SYNTAX ");
        c.expectLine("NOTIFY one more malformed join line and the server closes the connection; "
                + "send <lobby> <username>");
        c.send(bad.get(4));
        c.expectPrefix("ERROR SYNTAX ");
        c.expectLine("NOTIFY too many malformed join lines; closing");
        c.assertClosedByServer();
    }

    @Test
    void aMalformedJoinLineMayBeFollowedByAGoodOne() {
        start();
        TelnetClient c = connect("clumsy");
        assertThat(c.command("party").last()).startsWith("ERROR SYNTAX ");
        c.send("party alice");
        c.expectJoinOkay();
    }

    @Test
    void helpWithAnArgumentBeforeJoiningIsHelpNotAJoin() {
        start();
        TelnetClient bob = connect("bob");
        TelnetClient.Reply help = bob.command("HELP PLAY");
        assertThat(help.last()).isEqualTo("OKAY");
        assertThat(help.data()).singleElement().asString().startsWith("HELP PLAY <title>").endsWith("(join a lobby first)");
        assertThat(bob.command("LOBBIES").data()).as("no lobby called HELP was created").isEmpty();
        bob.send("party bob");
        bob.expectJoinOkay();
        assertThat(bob.command("HELP PLAY").data()).singleElement().asString().startsWith("HELP PLAY <title>");
    }

    @Test
    void aMemberPromotedWhileSomeoneWaitsIsToldWhoAndMayAnswer() {
        // #12: over telnet there are no events; the new moderator is asked about carol as staff were.
        start();
        TelnetClient alice = admin("party", "alice");
        TelnetClient bob = member(alice, "party", "bob");
        TelnetClient carol = pending(alice, "party", "carol");
        alice.send("PROMOTE bob");
        bob.expectLine("NOTIFY bob is now a moderator of party");
        bob.expectLine("NOTIFY carol asks to join party: ACCEPT carol or REJECT carol");
        bob.send("ACCEPT carol");
        carol.expectJoinOkay();
    }

    @Test
    void theAdminPromotesAndDemotesAndTheLobbyIsTold() {
        start();
        TelnetClient alice = admin("party", "alice");
        TelnetClient bob = member(alice, "party", "bob");
        alice.send("PROMOTE bob");
        alice.expectLine("NOTIFY bob is now a moderator of party");
        alice.expectLine("OKAY");
        bob.expectLine("NOTIFY bob is now a moderator of party");
        assertThat(bob.command("USERS").data()).containsExactly("USER alice ADMIN -", "USER bob MODERATOR -");

        // A moderator may accept joiners.
        TelnetClient carol = connect("carol");
        carol.send("party carol");
        carol.expectLine("NOTIFY waiting for approval to join party");
        alice.expectLine("NOTIFY carol asks to join party: ACCEPT carol or REJECT carol");
        bob.expectLine("NOTIFY carol asks to join party: ACCEPT carol or REJECT carol");
        bob.send("ACCEPT carol");
        bob.expectLine("NOTIFY carol joined party");
        bob.expectLine("OKAY");
        carol.expectJoinOkay();
        carol.expectLine("NOTIFY carol joined party");
        alice.expectLine("NOTIFY carol joined party");

        alice.send("DEMOTE bob");
        alice.expectLine("NOTIFY bob is no longer a moderator of party");
        alice.expectLine("OKAY");
        bob.expectLine("NOTIFY bob is no longer a moderator of party");
        carol.expectLine("NOTIFY bob is no longer a moderator of party");
        assertThat(carol.command("USERS").data())
                .containsExactly("USER alice ADMIN -", "USER bob USER -", "USER carol USER -");
        assertThat(alice.command("PROMOTE nobody").last()).startsWith("ERROR NO_SUCH_USER ");
    }

    @Test
    void kickingFollowsTheRoles() {
        start();
        TelnetClient alice = admin("party", "alice");
        TelnetClient bob = member(alice, "party", "bob");
        TelnetClient carol = member(alice, "party", "carol", bob);
        TelnetClient dave = member(alice, "party", "dave", bob, carol);
        alice.okay("PROMOTE bob");
        alice.okay("PROMOTE carol");
        for (TelnetClient c : List.of(bob, carol, dave)) {
            c.expectLine("NOTIFY bob is now a moderator of party");
            c.expectLine("NOTIFY carol is now a moderator of party");
        }

        // A moderator may not kick a moderator or the admin; a user may not kick at all.
        assertThat(bob.command("KICK carol").last()).startsWith("ERROR NOT_ALLOWED ");
        assertThat(bob.command("KICK alice").last()).startsWith("ERROR NOT_ALLOWED ");
        assertThat(dave.command("KICK bob").last()).startsWith("ERROR NOT_ALLOWED ");
        assertThat(alice.command("KICK alice").last()).startsWith("ERROR NOT_ALLOWED ");
        assertThat(alice.command("USERS").data()).containsExactly("USER alice ADMIN -", "USER bob MODERATOR -",
                "USER carol MODERATOR -", "USER dave USER -");

        // A moderator kicks a user.
        bob.send("KICK dave");
        dave.expectLine("NOTIFY you were kicked from party by bob");
        dave.assertClosedByServer();
        bob.expectLine("NOTIFY dave was kicked from party by bob");
        bob.expectLine("OKAY");
        alice.expectLine("NOTIFY dave was kicked from party by bob");
        carol.expectLine("NOTIFY dave was kicked from party by bob");

        // The admin kicks a moderator.
        alice.send("KICK carol");
        carol.expectLine("NOTIFY you were kicked from party by alice");
        carol.assertClosedByServer();
        alice.expectLine("NOTIFY carol was kicked from party by alice");
        alice.expectLine("OKAY");
        bob.expectLine("NOTIFY carol was kicked from party by alice");
        assertThat(alice.command("USERS").data()).containsExactly("USER alice ADMIN -", "USER bob MODERATOR -");
        assertThat(alice.command("KICK carol").last()).startsWith("ERROR NO_SUCH_USER ");
    }

    @Test
    void whenTheAdminLeavesTheLongestPresentModeratorTakesOverElseTheLongestPresentUser() {
        start();
        TelnetClient alice = admin("party", "alice");
        TelnetClient bob = member(alice, "party", "bob");
        TelnetClient carol = member(alice, "party", "carol", bob);
        TelnetClient dave = member(alice, "party", "dave", bob, carol);
        TelnetClient erin = member(alice, "party", "erin", bob, carol, dave);
        // dave is promoted before carol, but carol has been a member longer.
        alice.okay("PROMOTE dave");
        alice.okay("PROMOTE carol");
        for (TelnetClient c : List.of(bob, carol, dave, erin)) {
            c.expectLine("NOTIFY dave is now a moderator of party");
            c.expectLine("NOTIFY carol is now a moderator of party");
        }

        alice.send("QUIT");
        alice.expectLine("OKAY");
        alice.assertClosedByServer();
        for (TelnetClient c : List.of(bob, carol, dave, erin)) {
            c.expectLine("NOTIFY alice left party");
            c.expectLine("NOTIFY carol is now the admin of party");
        }
        assertThat(bob.command("USERS").data()).containsExactly("USER bob USER -", "USER carol ADMIN -",
                "USER dave MODERATOR -", "USER erin USER -");

        carol.close();
        for (TelnetClient c : List.of(bob, dave, erin)) {
            c.expectLine("NOTIFY carol left party");
            c.expectLine("NOTIFY dave is now the admin of party");
        }

        dave.send("QUIT");
        dave.expectLine("OKAY");
        for (TelnetClient c : List.of(bob, erin)) {
            c.expectLine("NOTIFY dave left party");
            c.expectLine("NOTIFY bob is now the admin of party");
        }
        assertThat(erin.command("USERS").data()).containsExactly("USER bob ADMIN -", "USER erin USER -");
        bob.okay("PROMOTE erin"); // the new admin has the admin's powers
    }

    @Test
    void anEmptyLobbyIsRemovedAndItsPendingJoinersAreToldAndClosed() {
        start();
        TelnetClient alice = admin("party", "alice");
        TelnetClient bob = pending(alice, "party", "bob");
        TelnetClient carol = pending(alice, "party", "carol");
        TelnetClient watcher = admin("other", "watcher");
        assertThat(watcher.command("LOBBIES").data()).containsExactly("LOBBY party 1 2", "LOBBY other 1 0");

        alice.send("QUIT");
        alice.expectLine("OKAY");
        bob.expectLine("NOTIFY lobby party closed");
        bob.assertClosedByServer();
        carol.expectLine("NOTIFY lobby party closed");
        carol.assertClosedByServer();
        assertThat(watcher.command("LOBBIES").data()).containsExactly("LOBBY other 1 0");

        // The name is free again: the next joiner creates the lobby and is its admin.
        TelnetClient dave = admin("party", "dave");
        assertThat(dave.command("USERS").data()).containsExactly("USER dave ADMIN -");
    }

    @Test
    void lobbiesCountsMembersAndPendingJoinersOfEveryLobby() {
        start();
        TelnetClient alice = admin("one", "alice");
        member(alice, "one", "bob");
        pending(alice, "one", "carol");
        TelnetClient dave = admin("two", "dave");
        TelnetClient visitor = connect("visitor");
        assertThat(visitor.command("LOBBIES").data()).containsExactly("LOBBY one 2 1", "LOBBY two 1 0");
        dave.send("QUIT");
        dave.expectLine("OKAY");
        dave.assertClosedByServer();
        eventually("lobby two removed", () -> visitor.command("LOBBIES").data().equals(List.of("LOBBY one 2 1")));
    }

    @Test
    void everyPrivilegedCommandFromAUserIsNotAllowedAndChangesNothing() {
        start();
        TelnetClient alice = admin("party", "alice");
        String stored = alice.upload("Tune", fixture("sine-440-3s.mp3"), "Artist", "rock", "note");
        assertThat(stored).startsWith("OKAY ");
        alice.expectPrefix("UPDATE ");
        TelnetClient bob = member(alice, "party", "bob");
        TelnetClient carol = member(alice, "party", "carol", bob);
        alice.okay("PROMOTE carol");
        bob.expectLine("NOTIFY carol is now a moderator of party");
        carol.expectLine("NOTIFY carol is now a moderator of party");
        TelnetClient dave = pending(alice, "party", "dave");
        carol.expectLine("NOTIFY dave asks to join party: ACCEPT dave or REJECT dave");

        List<String> usersBefore = alice.command("USERS").data();
        List<String> listBefore = alice.command("LIST").data();
        List<String> files = storedFiles();

        List<String> staffOnly = List.of("ACCEPT dave", "REJECT dave", "PLAY Tune", "PAUSE", "RESUME", "SEEK 1000",
                "SKIP", "STOP", "WANTED", "KICK carol", "PROMOTE bob", "DEMOTE carol", "DELETE Tune",
                "SONG Tune SET ARTIST Nobody", "AUTOPLAY ON", "AUTOPLAY");
        for (String command : staffOnly) {
            assertThat(bob.command(command).last()).as("bob: " + command).startsWith("ERROR NOT_ALLOWED ");
        }
        List<String> adminOnly = List.of("PROMOTE bob", "DEMOTE carol", "DELETE Tune", "SONG Tune SET TAG1 jazz",
                "AUTOPLAY ON", "AUTOPLAY");
        for (String command : adminOnly) {
            assertThat(carol.command(command).last()).as("carol: " + command).startsWith("ERROR NOT_ALLOWED ");
        }
        // An upload by a user: refused at once, the rest of the transfer is discarded, nothing more is said.
        for (TelnetClient c : List.of(bob, carol)) {
            c.send("SEND Other");
            c.expectPrefix("ERROR NOT_ALLOWED ");
            byte[] mp3 = fixture("mono-22k-1s.mp3");
            for (int off = 0; off < mp3.length; off += 1000) {
                c.chunk(mp3, off, Math.min(1000, mp3.length - off));
            }
            c.send("OKAY");
            c.send("TIME t1");
            c.expectPrefix("TIME t1 ");
            c.expectLine("OKAY");
        }

        assertThat(alice.command("USERS").data()).isEqualTo(usersBefore);
        assertThat(alice.command("LIST").data()).isEqualTo(listBefore);
        assertThat(alice.command("AUTOPLAY").data()).containsExactly("AUTOPLAY OFF");
        assertThat(alice.command("QUEUE").data()).isEmpty();
        assertThat(storedFiles()).isEqualTo(files);
        // Nobody heard of any change.
        assertThat(bob.command("TIME b").unsolicited()).isEmpty();
        assertThat(dave.command("HELP").unsolicited()).isEmpty();
    }
}
