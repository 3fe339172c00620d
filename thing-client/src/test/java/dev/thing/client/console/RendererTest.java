package dev.thing.client.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.net.Reply;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;
import dev.thing.protocol.Role;
import dev.thing.protocol.ServerMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What people see: tables, errors, help, progress and the script console's hang-up. */
class RendererTest {
    @Test
    void theLibraryIsAnAlignedTableWithAHeader() {
        Reply reply = new Reply(new ClientMessage.ListSongs(), List.of(
                new ServerMessage.SongLine(1, "Clicks", "The Metronomes", "Test", "", 30_000, 1, "a".repeat(64)),
                new ServerMessage.SongLine(12, "Long Sweep", "", "", "", 180_000, 1, "b".repeat(64))),
                Message.Okay.PLAIN);
        assertThat(Renderer.render(reply)).containsExactly(
                "  #    title       artist          tags  length",
                "  #1   Clicks      The Metronomes  Test    0:30",
                "  #12  Long Sweep  -               -       3:00");
    }

    @Test
    void usersAndEmptyListingsReadAsText() {
        Reply users = new Reply(new ClientMessage.Users(), List.of(
                new ServerMessage.UserLine("alice", Role.ADMIN, OptionalDouble.of(1.25)),
                new ServerMessage.UserLine("bob", Role.MODERATOR, OptionalDouble.empty())), Message.Okay.PLAIN);
        assertThat(Renderer.render(users)).containsExactly(
                "  user   role          rtt",
                "  alice  admin      1.3 ms",
                "  bob    moderator       -");
        assertThat(Renderer.render(new Reply(new ClientMessage.ShowQueue(), List.of(), Message.Okay.PLAIN)))
                .containsExactly("(the queue is empty)");
    }

    @Test
    void errorsShowTheirTextNotTheProtocolCode() {
        Reply reply = new Reply(new ClientMessage.Pause(), List.of(),
                new ServerMessage.Error(ErrorCode.NOT_ALLOWED, "PAUSE is for the admin and moderators; you are user"));
        assertThat(Renderer.render(reply)).containsExactly("error: PAUSE is for the admin and moderators; you are user");
    }

    @Test
    void tagsLeaveNoEmptySlots() {
        assertThat(Renderer.tags("rock", "")).isEqualTo("rock");
        assertThat(Renderer.tags("", "70s")).isEqualTo("70s");
        assertThat(Renderer.tags("rock", "70s")).isEqualTo("rock, 70s");
        assertThat(Renderer.tags("", "")).isEqualTo("-");
    }

    @Test
    void helpFitsEightyColumnsAndNamesTheKeys() {
        String help = CommandSpec.helpText();
        for (String line : help.split("\n")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(CommandSpec.HELP_WIDTH);
        }
        assertThat(help).contains("For the admin only:", "Ctrl-D", "Tab", "'exit'");
    }

    @Test
    void aFinishedProgressSaysDone() {
        long[] now = {0};
        ProgressBar bar = new ProgressBar("uploading X", 2048, () -> now[0]);
        now[0] = 1_000_000_000L;
        assertThat(bar.render(1024)).endsWith("0:01 left");
        assertThat(bar.render(2048)).endsWith(" done");
    }

    @Test
    void aHangUpEndsAScriptWaitingForInput() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PipedOutputStream feed = new PipedOutputStream(); PipedInputStream in = new PipedInputStream(feed)) {
            PlainConsole console = new PlainConsole(in, new PrintStream(out, true, StandardCharsets.UTF_8));
            feed.write("users\n".getBytes(StandardCharsets.UTF_8));
            feed.flush();
            assertThat(console.readLine()).isEqualTo("users");
            CompletableFuture<String> next = CompletableFuture.supplyAsync(console::readLine);
            Thread.sleep(200);
            assertThat(next).isNotDone();
            console.hangUp("disconnected from the server");
            assertThat(next.get(2, TimeUnit.SECONDS)).isNull();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("error: disconnected from the server");
        }
        PlainConsole done = new PlainConsole(new ByteArrayInputStream(new byte[0]), new PrintStream(out));
        assertThat(done.readLine()).isNull();
    }
}
