package dev.thing.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Song ownership, claimed lobbies and bans over real sockets, a server restart included. */
class OwnershipClaimsAndBansTest extends ServerTestBase {

    /** Registers {@code user} (as a guest admin of a throwaway lobby), then joins {@code lobby} with the password. */
    TelnetClient registered(String lobby, String user) {
        TelnetClient c = admin("reg-" + user, user);
        c.okay("REGISTER pass-" + user);
        c.okay("QUIT");
        return login(lobby, user);
    }

    TelnetClient login(String lobby, String user) {
        TelnetClient c = connect(user);
        c.send(lobby + " " + user + " pass-" + user);
        return c;
    }

    @Test
    void aStrangersLobbyAdminCannotChangeOtherPeoplesSongs() {
        start();
        TelnetClient bob = registered("music", "bob");
        bob.expectJoinOkay();
        assertThat(bob.upload("Long Sweep", fixture("sine-440-3s.mp3"))).startsWith("OKAY ");
        TelnetClient mallory = admin("evil", "mallory");

        assertThat(mallory.command("SONG \"Long Sweep\" SET ARTIST HACKED").last()).isEqualTo(
                "ERROR NOT_ALLOWED \"Long Sweep\" was uploaded by bob; only bob or an operator may change it");
        assertThat(mallory.command("DELETE Long Sweep").last()).startsWith("ERROR NOT_ALLOWED \"Long Sweep\" was "
                + "uploaded by bob");
        assertThat(bob.command("SONG \"Long Sweep\" SET ARTIST Bob").last()).isEqualTo("OKAY");
        bob.okay("QUIT");

        TelnetClient again = login("elsewhere", "bob");
        again.expectJoinOkay();
        assertThat(again.command("SONG \"Long Sweep\" SET TAG1 mine").last()).as("the account, not the connection")
                .isEqualTo("OKAY");
    }

    @Test
    void aGuestsUploadIsItsConnectionsWhileItLastsThenTheOperatorsOnly() {
        start();
        TelnetClient gus = admin("g", "gus");
        assertThat(gus.upload("Chirp", fixture("mono-22k-1s.mp3"))).startsWith("OKAY ");
        TelnetClient other = admin("h", "gus");

        assertThat(other.command("SONG Chirp SET ARTIST x").last()).as("the same name on another connection")
                .isEqualTo("ERROR NOT_ALLOWED Chirp was uploaded by gus (a guest); only that connection or an "
                        + "operator may change it");
        gus.okay("SONG Chirp SET ARTIST Gus");
        gus.okay("QUIT");
        eventually("gus's connection is gone", () -> server.lobbies().lobby("g").isEmpty());
        assertThat(other.command("SONG Chirp SET ARTIST x").last())
                .isEqualTo("ERROR NOT_ALLOWED Chirp has no recorded uploader; only an operator may change it");

        TelnetClient otto = registered("ops", "otto");
        otto.expectJoinOkay();
        otto.okay("QUIT");
        server.accounts().setOperator("otto", true);
        TelnetClient op = login("h", "otto");
        op.expectJoinOkay();
        op.okay("SONG Chirp SET ARTIST fixed");
        op.okay("DELETE Chirp");
    }

    @Test
    void aGuestWhoRegistersKeepsItsUploads() {
        start();
        TelnetClient gus = admin("g", "gus");
        assertThat(gus.upload("Chirp", fixture("mono-22k-1s.mp3"))).startsWith("OKAY ");
        gus.okay("REGISTER pass-gus");
        gus.okay("QUIT");

        TelnetClient back = login("g", "gus");
        back.expectJoinOkay();
        back.okay("SONG Chirp SET TAG2 still-mine");
    }

    @Test
    void trustedAdminsRestoresTheOldRule() {
        start(b -> b.trustedAdmins = true);
        TelnetClient bob = admin("music", "bob");
        assertThat(bob.upload("Chirp", fixture("mono-22k-1s.mp3"))).startsWith("OKAY ");
        TelnetClient carol = admin("other", "carol");
        TelnetClient dave = member(carol, "other", "dave");

        carol.okay("SONG Chirp SET ARTIST Carol");
        assertThat(dave.command("SONG Chirp SET ARTIST Dave").last()).as("admins only, as before")
                .startsWith("ERROR NOT_ALLOWED Chirp was uploaded by bob");
    }

    @Test
    void aClaimedLobbyOutlivesAnEmptyPeriodKeepsItsSettingsAndQueueAndStrangersCannotTakeIt() {
        start();
        TelnetClient alice = registered("party", "alice");
        alice.expectJoinOkay();
        assertThat(alice.upload("Chirp", fixture("mono-22k-1s.mp3"))).startsWith("OKAY ");
        assertThat(alice.upload("Sine", fixture("sine-440-3s.mp3"))).startsWith("OKAY ");
        alice.okay("AUTOPLAY OFF");
        alice.okay("CLAIM");
        assertThat(alice.command("CLAIM").last()).isEqualTo("ERROR DUPLICATE party is claimed by alice already");
        alice.okay("REQUEST Chirp");
        alice.okay("REQUEST Sine");
        alice.okay("QUIT");
        eventually("party emptied", () -> server.lobbies().lobby("party").isEmpty());

        TelnetClient mallory = connect("mallory");
        assertThat(mallory.command("party mallory").last()).isEqualTo("ERROR NOT_ALLOWED party is claimed by alice "
                + "and none of its staff is here to let you in; try again later");

        TelnetClient back = login("party", "alice");
        back.expectJoinOkay();
        assertThat(back.command("USERS").data()).containsExactly("USER alice ADMIN -");
        assertThat(back.command("QUEUE").data()).as("the song playing when she left is not kept; the rest is")
                .hasSize(1).allSatisfy(l -> assertThat(l).contains("Sine"));
        assertThat(back.command("AUTOPLAY").data()).containsExactly("AUTOPLAY OFF");

        mallory.send("party mallory");
        mallory.expectLine("NOTIFY waiting for approval to join party");
    }

    @Test
    void aRestartKeepsAccountsClaimsModeratorsAndBans() {
        start();
        TelnetClient alice = registered("party", "alice");
        alice.expectJoinOkay();
        TelnetClient bob = registered("x", "bob");
        bob.expectJoinOkay();
        bob.okay("QUIT");
        TelnetClient bobIn = login("party", "bob");
        alice.skipUntilLine("NOTIFY bob asks to join party: ACCEPT bob or REJECT bob");
        alice.okay("ACCEPT bob");
        bobIn.skipUntil(l -> l.matches(TelnetClient.JOIN_OKAY));
        alice.okay("PROMOTE bob");
        alice.okay("CLAIM");
        TelnetClient eve = pending(alice, "party", "eve");
        alice.okay("BAN eve");
        eve.skipUntilLine("NOTIFY you were banned from party by alice");
        assertThat(alice.command("BAN carl").last()).as("an absent guest's name cannot be banned")
                .startsWith("ERROR NO_SUCH_USER nobody called carl is in party, and it is not a registered name");
        stopServer();

        start();
        TelnetClient bobBack = login("party", "bob");
        assertThat(bobBack.nextLine()).as("a moderator by account comes straight in, as admin while alice is away")
                .matches(TelnetClient.JOIN_OKAY);
        assertThat(bobBack.command("BANS").data()).containsExactly("BAN eve 127.0.0.1 alice");
        TelnetClient eveBack = connect("eve");
        assertThat(eveBack.command("party eve").last()).isEqualTo("ERROR NOT_ALLOWED eve is banned from party");
        TelnetClient aliceBack = login("party", "alice");
        aliceBack.expectJoinOkay();
        bobBack.skipUntilLine("NOTIFY bob is a moderator again: alice is the admin of party");
        assertThat(aliceBack.command("USERS").data()).containsExactly("USER bob MODERATOR -", "USER alice ADMIN -");

        aliceBack.okay("UNBAN eve");
        TelnetClient.Reply none = aliceBack.command("BANS");
        assertThat(none.data()).isEmpty();
        assertThat(none.unsolicited()).containsExactly("NOTIFY no bans in party");
        eveBack.send("party eve");
        eveBack.expectLine("NOTIFY waiting for approval to join party");
    }

    @Test
    void aModeratorBansUsersOnlyAndABannedAccountIsBarredFromEveryAddress() {
        start();
        TelnetClient alice = admin("party", "alice");
        TelnetClient bob = member(alice, "party", "bob");
        TelnetClient carl = member(alice, "party", "carl", bob);
        alice.okay("PROMOTE bob");
        carl.skipUntilLine("NOTIFY bob is now a moderator of party");

        assertThat(bob.command("BAN alice").last())
                .isEqualTo("ERROR NOT_ALLOWED a moderator may only ban users, and alice is admin");
        assertThat(bob.command("BAN bob").last()).isEqualTo("ERROR NOT_ALLOWED you cannot ban yourself; use QUIT "
                + "to leave");
        assertThat(bob.command("BAN nobody").last()).startsWith("ERROR NO_SUCH_USER nobody called nobody is in party");
        bob.okay("BAN carl");
        carl.skipUntilLine("NOTIFY you were banned from party by bob");
        carl.assertClosedByServer();
        assertThat(bob.command("BAN carl").last()).isEqualTo("ERROR DUPLICATE carl is banned from party already");
        assertThat(alice.command("UNBAN nobody").last()).isEqualTo("ERROR NO_SUCH_USER nobody is not banned from "
                + "party");

        TelnetClient dana = registered("x", "dana");
        dana.expectJoinOkay();
        dana.okay("QUIT");
        alice.okay("BAN dana");
        assertThat(alice.command("BANS").data()).containsExactly("BAN carl 127.0.0.1 bob", "BAN dana account alice");
        TelnetClient danaAgain = login("party", "dana");
        assertThat(danaAgain.expectReply().last()).isEqualTo("ERROR NOT_ALLOWED dana is banned from party");
        TelnetClient otherCarl = connect("carl");
        assertThat(otherCarl.command("elsewhere carl").last()).as("a ban is for its lobby only").matches(TelnetClient.JOIN_OKAY);
    }
}
