package dev.thing.server.command;

import dev.thing.protocol.Access;
import dev.thing.protocol.Command;
import dev.thing.protocol.Commands;
import dev.thing.protocol.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Role;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandsTest extends CommandFixture {
    static final List<String> BEFORE_JOIN = List.of("HELP", "CAP", "QUIT", "LOBBIES");
    /** What a guest USER may use (SONG and DELETE are open to members; the song's ownership decides). */
    static final List<String> USER = List.of("HELP", "CAP", "QUIT", "LOBBIES", "USERS", "LIST", "GET", "TIME",
            "REQUEST", "QUEUE", "UNWANT", "SONG", "DELETE", "REGISTER", "SAY", "VOTE", "UNQUEUE", "RENAME",
            "BOARD");
    static final List<String> MODERATOR_EXTRA = List.of("WANTED", "ACCEPT", "REJECT", "PLAY", "PAUSE", "RESUME",
            "SEEK", "SKIP", "STOP", "KICK", "BAN", "UNBAN", "BANS", "VOTESHARE", "MOVE");
    static final List<String> ADMIN_EXTRA = List.of("PROMOTE", "DEMOTE", "SEND", "AUTOPLAY");

    static List<String> verbs(List<Command<?>> commands) {
        return commands.stream().map(Command::verb).toList();
    }

    @Test
    void beforeJoiningOnlyHelpCapQuitAndLobbiesAreOpen() {
        assertThat(verbs(commands.openTo(null))).containsExactlyInAnyOrderElementsOf(BEFORE_JOIN);
    }

    @Test
    void aPendingJoinerMayOnlyAskForHelpCapOrQuit() {
        assertThat(verbs(commands.openTo(carol))).containsExactlyInAnyOrder("HELP", "CAP", "QUIT");
    }

    @Test
    void aUserHasTheMemberCommands() {
        assertThat(verbs(commands.openTo(bob))).containsExactlyInAnyOrderElementsOf(USER);
    }

    @Test
    void aModeratorAlsoHasThePartyAndDoorCommands() throws Exception {
        registry.promote(alice, "bob");
        List<String> expected = new ArrayList<>(USER);
        expected.addAll(MODERATOR_EXTRA);

        assertThat(verbs(commands.openTo(bob))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void theAdminHasEveryCommand() {
        List<String> expected = new ArrayList<>(USER);
        expected.addAll(MODERATOR_EXTRA);
        expected.addAll(ADMIN_EXTRA);

        assertThat(verbs(commands.openTo(alice))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void accessAgreesWithRoles() {
        assertThat(Access.MODERATOR.allows(Role.USER)).isFalse();
        assertThat(Access.ADMIN.allows(Role.MODERATOR)).isFalse();
        assertThat(Access.MEMBER.allows(Role.PENDING)).isFalse();
        assertThat(Access.ALWAYS.allows(Role.PENDING)).isTrue();
        assertThat(Access.NOT_PENDING.allows(Role.PENDING)).isFalse();
        assertThat(Access.NOT_PENDING.beforeJoin()).isTrue();
        assertThat(Access.MEMBER.beforeJoin()).isFalse();
    }

    @Test
    void everyClientMessageButTheJoinLineAndChunksIsDeclaredOnceAndHasAHandler() throws Exception {
        List<String> covered = new ArrayList<>();
        for (Class<?> nested : ClientMessage.class.getDeclaredClasses()) {
            if (!nested.isRecord() || nested == ClientMessage.Join.class) {
                continue;
            }
            Command<?> command = Commands.of(nested).orElse(null);
            assertThat(command).as("a declaration for %s", nested.getSimpleName()).isNotNull();
            assertThat(command.usage()).startsWith(command.verb());
            assertThat(command.summary()).isNotBlank();
            covered.add(command.verb());
        }
        for (Class<?> transfer : List.of(Message.Send.class, Message.Okay.class, Message.Abort.class)) {
            covered.add(Commands.of(transfer).orElseThrow().verb());
        }
        assertThat(Commands.of(Message.Chunk.class)).isEmpty();
        assertThat(covered).doesNotHaveDuplicates().hasSize(Commands.all().size());
        // CommandTable's constructor refuses a declaration without a handler; building one is the check.
        assertThat(new CommandTable(jukebox).openTo(alice)).isNotEmpty();
    }

    /**
     * The RFC's permission table (Section 4.2) and the declarations say the same: for every command and every
     * column, "yes" exactly where the declaration lets that state and role use it.
     */
    @Test
    void theRfcPermissionTableMatchesTheDeclarations() throws Exception {
        List<String> rfc = Files.readAllLines(Path.of("..", "rfc", "thing-protocol-1.0.txt"));
        int start = rfc.indexOf(rfc.stream().filter(l -> l.strip().startsWith("Command ")
                && l.contains("UNJOINED")).findFirst().orElseThrow());
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (int i = start + 2; i < rfc.size() && !rfc.get(i).isBlank(); i++) {
            String line = rfc.get(i).strip();
            String[] cells = line.substring(19).trim().split("\\s+");
            String verb = line.split("\\s+")[0];
            rows.put(verb, cells);
        }
        List<String> declared = Commands.all().stream().filter(c -> c != Commands.ABORT).map(Command::verb).toList();
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(declared);
        for (Command<?> command : Commands.all()) {
            if (command == Commands.ABORT) {
                continue;
            }
            String[] cells = rows.get(command.verb());
            Access a = command.access();
            assertThat(cells[0].equals("yes")).as("%s before joining", command.verb()).isEqualTo(a.beforeJoin());
            assertThat(cells[1].equals("yes")).as("%s while pending", command.verb()).isEqualTo(a.whilePending());
            assertThat(!cells[2].equals("-")).as("%s as a user", command.verb()).isEqualTo(a.allows(Role.USER));
            assertThat(!cells[3].equals("-")).as("%s as a moderator", command.verb())
                    .isEqualTo(a.allows(Role.MODERATOR));
            assertThat(!cells[4].equals("-")).as("%s as the admin", command.verb()).isEqualTo(a.allows(Role.ADMIN));
        }
    }

    /** The RFC's standing table (Section 4.11), parsed: verb -> the eleven cells GP GU GM GA RP RU RM RA OU OM OA. */
    static Map<String, String[]> standingTable() throws Exception {
        List<String> rfc = Files.readAllLines(Path.of("..", "rfc", "thing-protocol-1.0.txt"));
        int start = rfc.indexOf(rfc.stream().filter(l -> l.strip().startsWith("Command ")
                && l.contains(" GP ")).findFirst().orElseThrow());
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (int i = start + 2; i < rfc.size() && !rfc.get(i).isBlank(); i++) {
            String line = rfc.get(i).strip();
            rows.put(line.split("\\s+")[0], line.substring(19).trim().split("\\s+"));
        }
        return rows;
    }

    /** The columns of the standing table, in order. */
    static final List<dev.thing.protocol.Standing> TABLE_STANDINGS = List.of(
            dev.thing.protocol.Standing.GUEST, dev.thing.protocol.Standing.GUEST, dev.thing.protocol.Standing.GUEST,
            dev.thing.protocol.Standing.GUEST, dev.thing.protocol.Standing.REGISTERED,
            dev.thing.protocol.Standing.REGISTERED, dev.thing.protocol.Standing.REGISTERED,
            dev.thing.protocol.Standing.REGISTERED, dev.thing.protocol.Standing.OPERATOR,
            dev.thing.protocol.Standing.OPERATOR, dev.thing.protocol.Standing.OPERATOR);
    static final List<Role> TABLE_ROLES = List.of(Role.PENDING, Role.USER, Role.MODERATOR, Role.ADMIN, Role.PENDING,
            Role.USER, Role.MODERATOR, Role.ADMIN, Role.USER, Role.MODERATOR, Role.ADMIN);

    /** Section 4.11 and the declarations agree: a cell is "-" exactly where the gate refuses. */
    @Test
    void theRfcStandingTableMatchesTheDeclarations() throws Exception {
        Map<String, String[]> rows = standingTable();
        List<String> declared = Commands.all().stream().filter(c -> c != Commands.ABORT && c != Commands.OKAY)
                .map(Command::verb).toList();
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(declared);
        for (Command<?> command : Commands.all()) {
            String[] cells = rows.get(command.verb());
            if (cells == null) {
                continue;
            }
            assertThat(cells).as("%s's cells", command.verb()).hasSize(11);
            for (int i = 0; i < cells.length; i++) {
                assertThat(!cells[i].equals("-")).as("%s for %s %s", command.verb(), TABLE_STANDINGS.get(i),
                        TABLE_ROLES.get(i)).isEqualTo(command.allows(TABLE_STANDINGS.get(i), TABLE_ROLES.get(i)));
            }
        }
    }

    @Test
    void aRegisteredAdminMayClaimAndChangeItsPasswordButNotRegisterAgain() {
        dev.thing.server.lobby.Member registered = ((dev.thing.server.lobby.JoinResult.Created) registry.join("mine", "rita",
                new dev.thing.server.lobby.RecordingPeer("rita"),
                new dev.thing.server.lobby.Identity(9, "127.0.0.1", 4, false))).member();

        assertThat(verbs(commands.openTo(registered))).contains("CLAIM", "UNCLAIM", "PASSWORD", "BAN")
                .doesNotContain("REGISTER");
        assertThat(verbs(commands.openTo(alice))).contains("REGISTER").doesNotContain("CLAIM", "PASSWORD");
    }

    @Test
    void anOperatorWhoIsAUserHasEveryAdminCommand() {
        registry.join("one", "otto", new dev.thing.server.lobby.RecordingPeer("otto"),
                new dev.thing.server.lobby.Identity(10, "127.0.0.1", 5, true));
        dev.thing.server.lobby.Member otto = registry.lobby("one").orElseThrow().member("otto").orElseThrow();
        registry.demote(alice, "otto");

        assertThat(otto.role()).isEqualTo(Role.USER);
        List<String> expected = new ArrayList<>(USER);
        expected.addAll(MODERATOR_EXTRA);
        expected.addAll(ADMIN_EXTRA);
        expected.remove("REGISTER");
        expected.addAll(List.of("PASSWORD", "CLAIM", "UNCLAIM"));
        assertThat(verbs(commands.openTo(otto))).containsExactlyInAnyOrderElementsOf(expected);
    }

    // ---- HELP ----

    @Test
    void helpBeforeJoiningExplainsTheJoinLineAndTheFourCommands() throws Exception {
        List<String> lines = wire(run(null, new ClientMessage.Help(null)));

        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).isEqualTo("HELP <lobby> <username> - join a lobby, or create it and be its admin");
        assertThat(lines.subList(1, 5)).allSatisfy(l -> assertThat(l).startsWith("HELP "))
                .anySatisfy(l -> assertThat(l).startsWith("HELP HELP"))
                .anySatisfy(l -> assertThat(l).startsWith("HELP QUIT"))
                .anySatisfy(l -> assertThat(l).startsWith("HELP LOBBIES"));
        assertThat(lines.get(5)).isEqualTo("OKAY");
    }

    @Test
    void helpWhilePendingListsHelpAndQuitOnly() throws Exception {
        List<String> lines = wire(run(carol, new ClientMessage.Help(null)));

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("HELP HELP");
        assertThat(lines.get(1)).startsWith("HELP CAP");
        assertThat(lines.get(2)).startsWith("HELP QUIT");
        assertThat(lines.get(3)).isEqualTo("OKAY");
    }

    @Test
    void theAdminSeesSendAndPromote() throws Exception {
        List<String> lines = wire(run(alice, new ClientMessage.Help(null)));

        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("HELP SEND <title>"))
                .anySatisfy(l -> assertThat(l).startsWith("HELP PROMOTE <username>"))
                .anySatisfy(l -> assertThat(l).startsWith("HELP SONG <title> SET"))
                .noneSatisfy(l -> assertThat(l).contains("<lobby> <username>"));
        assertThat(lines).hasSize(USER.size() + MODERATOR_EXTRA.size() + ADMIN_EXTRA.size() + 1);
    }

    @Test
    void aUserDoesNotSeeModeratorOrAdminCommands() throws Exception {
        List<String> lines = wire(run(bob, new ClientMessage.Help(null)));

        assertThat(lines).hasSize(USER.size() + 1)
                .noneSatisfy(l -> assertThat(l).startsWith("HELP PROMOTE"))
                .noneSatisfy(l -> assertThat(l).startsWith("HELP SEND"))
                .noneSatisfy(l -> assertThat(l).startsWith("HELP PLAY"))
                .anySatisfy(l -> assertThat(l).startsWith("HELP REQUEST <title> [<artist>] - "));
    }

    @Test
    void helpOnOneCommandShowsItsUsage() throws Exception {
        assertThat(wire(run(alice, new ClientMessage.Help("PLAY"))))
                .containsExactly("HELP PLAY <title> [<position-ms>|<m:ss>] - play a song for the lobby", "OKAY");
        assertThat(wire(run(alice, new ClientMessage.Help("SEND"))))
                .hasSize(2).first().asString().startsWith("HELP SEND <title>");
    }

    @Test
    void helpOnACommandNotOpenToTheCallerSaysSo() throws Exception {
        assertThat(wire(run(bob, new ClientMessage.Help("PROMOTE"))))
                .containsExactly("HELP PROMOTE <username> - make a member a moderator (for the admin only)", "OKAY");
        assertThat(wire(run(bob, new ClientMessage.Help("SEND")))).first().asString()
                .startsWith("HELP SEND <title>").endsWith("(for the admin only)");
        assertThat(wire(run(carol, new ClientMessage.Help("USERS"))))
                .containsExactly("HELP USERS - the lobby's members with role and round-trip time (once you are accepted)",
                        "OKAY");
        assertThat(wire(run(null, new ClientMessage.Help("PLAY")))).first().asString()
                .startsWith("HELP PLAY <title>").endsWith("(join a lobby first)");
        assertThat(wire(run(bob, new ClientMessage.Help("DANCE"))))
                .containsExactly("HELP no command DANCE; HELP lists the commands open to you", "OKAY");
    }

    @Test
    void quitAnswersOkayAndCloses() throws Exception {
        Reply reply = run(carol, new ClientMessage.Quit());

        assertThat(wire(reply)).containsExactly("OKAY");
        assertThat(reply.close()).isTrue();
    }
}
