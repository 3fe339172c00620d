package dev.thing.client.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.ClientMessage;
import org.junit.jupiter.api.Test;

/** The client's side of issue #16: chat as easy as IRC, votes, queue editing and rename. */
class ChatAndQueueCommandsTest {
    private final CommandParser terminal = new CommandParser(true);
    private final CommandParser script = new CommandParser(false);

    private static ClientMessage sent(CommandParser parser, String line) throws CommandException {
        Command c = parser.parse(line);
        assertThat(c).as(line).isInstanceOf(Command.Send.class);
        return ((Command.Send) c).message();
    }

    @Test
    void atTheTerminalALineThatIsNotACommandIsSaid() throws Exception {
        assertThat(sent(terminal, "hello there, what a \"tune\"")).isEqualTo(
                new ClientMessage.Say("hello there, what a \"tune\""));
        assertThat(sent(terminal, "  it's   great ")).isEqualTo(new ClientMessage.Say("it's   great"));
        // Commands stay commands.
        assertThat(sent(terminal, "queue")).isEqualTo(new ClientMessage.ShowQueue());
    }

    @Test
    void sayAndSlashSayWorkEverywhere() throws Exception {
        for (CommandParser p : new CommandParser[] {terminal, script}) {
            assertThat(sent(p, "say play Bohemian Rhapsody")).isEqualTo(new ClientMessage.Say("play Bohemian Rhapsody"));
            assertThat(sent(p, "/say \"unbalanced")).isEqualTo(new ClientMessage.Say("\"unbalanced"));
            assertThat(sent(p, "/queue")).isEqualTo(new ClientMessage.ShowQueue());
            assertThat(sent(p, "//me waves")).isEqualTo(new ClientMessage.Say("/me waves"));
        }
    }

    @Test
    void aNearMissOfACommandIsNotBroadcast() {
        assertThatThrownBy(() -> terminal.parse("lsit")).isInstanceOf(CommandException.class)
                .hasMessage("unknown command 'lsit'; did you mean 'list'? (to say it to the lobby: say lsit)");
    }

    @Test
    void aScriptLineThatIsNotACommandIsAnError() {
        assertThatThrownBy(() -> script.parse("hello there")).isInstanceOf(CommandException.class)
                .hasMessageStartingWith("unknown command 'hello'");
    }

    @Test
    void chatTooLongOrEmptyIsRefusedBeforeSending() {
        assertThatThrownBy(() -> terminal.parse("say " + "x".repeat(501))).hasMessage(
                "a chat line is longer than 500 characters");
        assertThatThrownBy(() -> terminal.parse("say   ")).hasMessage("usage: say <text>");
        assertThatThrownBy(() -> terminal.parse("/")).isInstanceOf(CommandException.class);
    }

    @Test
    void voteUnqueueMoveAndVoteShare() throws Exception {
        assertThat(sent(script, "vote")).isEqualTo(new ClientMessage.VoteSkip());
        assertThat(sent(script, "vote skip")).isEqualTo(new ClientMessage.VoteSkip());
        assertThatThrownBy(() -> script.parse("vote keep")).hasMessage("usage: vote [skip]");
        assertThat(sent(script, "unqueue 3")).isEqualTo(new ClientMessage.Unqueue(3));
        assertThatThrownBy(() -> script.parse("unqueue 0")).hasMessageStartingWith("positions start at 1");
        assertThatThrownBy(() -> script.parse("unqueue Song")).hasMessageStartingWith("positions are the numbers");
        assertThat(sent(script, "move 4 1")).isEqualTo(new ClientMessage.Move(4, 1));
        assertThatThrownBy(() -> script.parse("move 4")).hasMessage("usage: move <n> <new-n>");
        assertThat(sent(script, "voteshare")).isEqualTo(new ClientMessage.VoteShare(null));
        assertThat(sent(script, "voteshare 66%")).isEqualTo(new ClientMessage.VoteShare(66));
        assertThatThrownBy(() -> script.parse("voteshare 100")).hasMessageContaining("0 to 99");
    }

    @Test
    void renameTakesAnArrowOrAQuotedTitle() throws Exception {
        assertThat(sent(script, "rename Bohemian Rhapsody -> Bohemian Rhapsody (Live)")).isEqualTo(
                new ClientMessage.Rename("Bohemian Rhapsody", "Bohemian Rhapsody (Live)"));
        assertThat(sent(script, "rename \"Old Song\" New Song")).isEqualTo(new ClientMessage.Rename("Old Song", "New Song"));
        assertThat(sent(script, "rename #4 Better")).isEqualTo(new ClientMessage.Rename("#4", "Better"));
        assertThatThrownBy(() -> script.parse("rename One Two Three")).hasMessageStartingWith("usage: rename");
        assertThatThrownBy(() -> script.parse("rename x -> #9")).isInstanceOf(CommandException.class);
    }

    @Test
    void helpSaysHowToChat() {
        assertThat(CommandSpec.helpText()).contains("say <text>", "any line", "vote [skip]", "unqueue <n>",
                "move <n> <new-n>", "rename <title> -> <new title>", "voteshare [<percent>]");
    }
}
