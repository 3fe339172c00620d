package dev.thing.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Role;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandsTest extends CommandFixture {
    static final List<String> BEFORE_JOIN = List.of("HELP", "QUIT", "LOBBIES");
    static final List<String> USER = List.of("HELP", "QUIT", "LOBBIES", "USERS", "LIST", "GET", "TIME", "REQUEST",
            "QUEUE");
    static final List<String> MODERATOR_EXTRA = List.of("WANTED", "ACCEPT", "REJECT", "PLAY", "PAUSE", "RESUME",
            "SEEK", "SKIP", "STOP", "KICK");
    static final List<String> ADMIN_EXTRA = List.of("PROMOTE", "DEMOTE", "SONG", "DELETE", "AUTOPLAY");

    static List<String> verbs(List<CommandSpec<?>> specs) {
        return specs.stream().map(CommandSpec::verb).toList();
    }

    @Test
    void beforeJoiningOnlyHelpQuitAndLobbiesAreOpen() {
        assertThat(verbs(commands.openTo(null))).containsExactlyInAnyOrderElementsOf(BEFORE_JOIN);
    }

    @Test
    void aPendingJoinerMayOnlyAskForHelpOrQuit() {
        assertThat(verbs(commands.openTo(carol))).containsExactlyInAnyOrder("HELP", "QUIT");
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
    void accessAgreesWithOpenToForEveryRole() throws Exception {
        registry.promote(alice, "bob");
        for (CommandSpec<?> spec : commands.openTo(alice)) {
            assertThat(spec.access().allows(Role.ADMIN)).as(spec.verb()).isTrue();
        }
        for (CommandSpec<?> spec : commands.openTo(bob)) {
            assertThat(spec.access().allows(Role.MODERATOR)).as(spec.verb()).isTrue();
        }
        assertThat(Access.MODERATOR.allows(Role.USER)).isFalse();
        assertThat(Access.ADMIN.allows(Role.MODERATOR)).isFalse();
        assertThat(Access.MEMBER.allows(Role.PENDING)).isFalse();
        assertThat(Access.PENDING.allows(Role.PENDING)).isTrue();
    }

    @Test
    void everyClientCommandButTheHandshakeAndTransfersHasASpec() throws Exception {
        List<String> covered = new ArrayList<>();
        for (Class<?> nested : ClientMessage.class.getDeclaredClasses()) {
            if (!nested.isRecord() || nested == ClientMessage.Join.class) {
                continue;
            }
            ClientMessage sample = instantiate(nested);
            CommandSpec<?> spec = commands.spec(sample).orElse(null);
            assertThat(spec).as("a spec for %s", nested.getSimpleName()).isNotNull();
            assertThat(spec.type()).isEqualTo(nested);
            assertThat(spec.usage()).startsWith(spec.verb());
            assertThat(spec.summary()).isNotBlank();
            covered.add(spec.verb());
        }
        assertThat(covered).doesNotHaveDuplicates().hasSize(24);
    }

    @Test
    void theHandshakeAndTransferMessagesHaveNoSpec() {
        assertThat(commands.spec(new ClientMessage.Join("l", "u"))).isEmpty();
        assertThat(commands.spec(new dev.thing.protocol.Message.Send("t", null, null, null))).isEmpty();
        assertThat(commands.spec(dev.thing.protocol.Message.Okay.PLAIN)).isEmpty();
        assertThat(commands.spec(new dev.thing.protocol.Message.Abort())).isEmpty();
        assertThat(commands.spec(new dev.thing.protocol.Message.Chunk(new byte[] {1}))).isEmpty();
    }

    private static ClientMessage instantiate(Class<?> type) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = types[i] == long.class ? 0L : types[i] == int.class ? 0 : types[i] == boolean.class ? false
                    : types[i] == String.class ? "x" : null;
        }
        Constructor<?> c = type.getDeclaredConstructor(types);
        return (ClientMessage) c.newInstance(args);
    }

    // ---- HELP ----

    @Test
    void helpBeforeJoiningExplainsTheJoinLineAndTheThreeCommands() throws Exception {
        List<String> lines = wire(run(null, new ClientMessage.Help(null)));

        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo("HELP <lobby> <username> - join a lobby, or create it and be its admin");
        assertThat(lines.subList(1, 4)).allSatisfy(l -> assertThat(l).startsWith("HELP "))
                .anySatisfy(l -> assertThat(l).startsWith("HELP HELP"))
                .anySatisfy(l -> assertThat(l).startsWith("HELP QUIT"))
                .anySatisfy(l -> assertThat(l).startsWith("HELP LOBBIES"));
        assertThat(lines.get(4)).isEqualTo("OKAY");
    }

    @Test
    void helpWhilePendingListsHelpAndQuitOnly() throws Exception {
        List<String> lines = wire(run(carol, new ClientMessage.Help(null)));

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("HELP HELP");
        assertThat(lines.get(1)).startsWith("HELP QUIT");
        assertThat(lines.get(2)).isEqualTo("OKAY");
    }

    @Test
    void theAdminSeesSendAndPromote() throws Exception {
        List<String> lines = wire(run(alice, new ClientMessage.Help(null)));

        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("HELP SEND <title>"))
                .anySatisfy(l -> assertThat(l).startsWith("HELP PROMOTE <username>"))
                .anySatisfy(l -> assertThat(l).startsWith("HELP SONG <title> SET"))
                .noneSatisfy(l -> assertThat(l).contains("<lobby> <username>"));
        assertThat(lines).hasSize(24 + 1 + 1);
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
                .containsExactly("HELP no command PROMOTE is open to you", "OKAY");
        assertThat(wire(run(bob, new ClientMessage.Help("SEND"))))
                .containsExactly("HELP no command SEND is open to you", "OKAY");
        assertThat(wire(run(carol, new ClientMessage.Help("USERS"))))
                .containsExactly("HELP no command USERS is open to you", "OKAY");
    }

    @Test
    void quitAnswersOkayAndCloses() throws Exception {
        Reply reply = run(carol, new ClientMessage.Quit());

        assertThat(wire(reply)).containsExactly("OKAY");
        assertThat(reply.close()).isTrue();
    }
}
