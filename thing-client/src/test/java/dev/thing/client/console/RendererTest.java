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
    void anAwayMemberSaysItsPlaceIsKept() {
        Reply users = new Reply(new ClientMessage.Users(), List.of(
                new ServerMessage.UserLine("alice", Role.ADMIN, OptionalDouble.of(1.25)),
                new ServerMessage.UserLine("bob", Role.USER, OptionalDouble.empty(), true)), Message.Okay.PLAIN);
        assertThat(Renderer.render(users)).containsExactly(
                "  user   role                 rtt",
                "  alice  admin             1.3 ms",
                "  bob    user   away (place kept)");
    }

    @Test
    void errorsShowTheirTextNotTheProtocolCode() {
        Reply reply = new Reply(new ClientMessage.Pause(), List.of(),
                new ServerMessage.Error(ErrorCode.NOT_ALLOWED, "PAUSE is for the admin and moderators; you are a user"));
        assertThat(Renderer.render(reply)).containsExactly("error: PAUSE is for the admin and moderators; you are a user");
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
        assertThat(bar.render(2048)).endsWith("done, 2.0 KiB/s");
        String longTitle = new ProgressBar("A Very Long Title Indeed For A Song", 1 << 30, () -> now[0])
                .render(1 << 29);
        assertThat(longTitle).startsWith("A Very Long Title... [########........]  50%").hasSizeLessThan(80);
    }

    @Test
    void completionOffersTitlesThenTheTagFields() {
        CompletionData data = new CompletionData() {
            @Override
            public java.util.Collection<String> usernames() {
                return List.of("alice", "bob");
            }

            @Override
            public java.util.Collection<String> titles() {
                return List.of("Clicks", "Long Sweep");
            }
        };
        JLineConsole.ThingCompleter completer = new JLineConsole.ThingCompleter(data);
        assertThat(complete(completer, "tag ")).containsExactly("Clicks", "Long Sweep");
        assertThat(complete(completer, "tag Clicks ")).containsExactly("artist", "tag1", "tag2");
        assertThat(complete(completer, "tag Clicks artist ")).isEmpty();
        assertThat(complete(completer, "play Clicks ")).isEmpty();
        assertThat(complete(completer, "kick ")).containsExactly("alice", "bob");
        assertThat(complete(completer, "pl")).contains("play", "pause");
    }

    private static List<String> complete(JLineConsole.ThingCompleter completer, String line) {
        List<org.jline.reader.Candidate> out = new java.util.ArrayList<>();
        completer.complete(null, new org.jline.reader.impl.DefaultParser().parse(line, line.length()), out);
        return out.stream().map(org.jline.reader.Candidate::value).toList();
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
