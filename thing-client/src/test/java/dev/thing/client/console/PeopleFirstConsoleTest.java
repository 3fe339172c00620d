package dev.thing.client.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.client.net.Reply;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Message;
import dev.thing.protocol.ServerMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.Parser;
import org.junit.jupiter.api.Test;

/** Issue #12: the console's texts and keys as a person meets them. */
class PeopleFirstConsoleTest {
    private final CommandParser parser = new CommandParser();

    private static ServerMessage.SongLine song(long id, String title, String artist) {
        return new ServerMessage.SongLine(id, title, artist, "Rock", "", 200_000, 1, "a".repeat(64));
    }

    @Test
    void aLongTitleIsCutWithAnEllipsisSoNoRowWrapsAt80Columns() {
        Reply reply = new Reply(new ClientMessage.ListSongs(), List.of(
                song(1, "Short", "Queen"),
                song(2, "A Very Long Title That Goes On And On Beyond Any Reasonable Length For Songs",
                        "An Artist With A Rather Long Name Too")), Message.Okay.PLAIN);
        List<String> lines = Renderer.render(reply, 80);
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(Renderer.displayWidth(l)).isLessThanOrEqualTo(80));
        assertThat(lines.get(2)).contains("A Very Long Title").contains("…").endsWith("3:20");
        // Without a width (a script), nothing is cut.
        assertThat(Renderer.render(reply, 0).get(2))
                .contains("A Very Long Title That Goes On And On Beyond Any Reasonable Length For Songs");
    }

    @Test
    void wideCharactersKeepTheColumnsInLine() {
        Reply reply = new Reply(new ClientMessage.ListSongs(), List.of(
                song(1, "Björk & 東京", "東京事変"), song(2, "Plain Title", "Queen"), song(3, "🎵 Notes", "Emoji")),
                Message.Okay.PLAIN);
        List<String> lines = Renderer.render(reply, 80);
        // Every row puts the artist and the length at the same display column.
        int artist = -1;
        for (String l : lines.subList(1, lines.size())) {
            int at = l.indexOf(l.contains("東京事変") ? "東京事変" : l.contains("Queen") ? "Queen" : "Emoji");
            int column = Renderer.displayWidth(l.substring(0, at));
            if (artist < 0) {
                artist = column;
            }
            assertThat(column).as(l).isEqualTo(artist);
            assertThat(Renderer.displayWidth(l)).as(l).isEqualTo(Renderer.displayWidth(lines.get(1)));
        }
        assertThat(Renderer.displayWidth("東京")).isEqualTo(4);
        assertThat(Renderer.truncate("東京事変です", 7)).isEqualTo("東京事…");
    }

    @Test
    void mistypedCommandsGetASuggestion() {
        assertThatThrownBy(() -> parser.parse("lsit")).hasMessage(
                "unknown command 'lsit'; did you mean 'list'? (type 'help' for the list)");
        assertThatThrownBy(() -> parser.parse("frobnicate now")).hasMessage(
                "unknown command 'frobnicate' (type 'help' for the list)");
        assertThat(CommandSpec.closest("Bohemain Rhapsody", List.of("Bohemian Rhapsody", "Under Pressure")))
                .containsExactly("Bohemian Rhapsody");
        assertThat(CommandSpec.closest("under", List.of("Bohemian Rhapsody", "Under Pressure")))
                .containsExactly("Under Pressure");
    }

    @Test
    void clearAndRelativeSeeks() throws Exception {
        assertThat(parser.parse("clear")).isEqualTo(new Command.Clear());
        assertThat(parser.parse("seek +0:10")).isEqualTo(new Command.SeekBy(10_000));
        assertThat(parser.parse("seek -1:05")).isEqualTo(new Command.SeekBy(-65_000));
        assertThat(parser.parse("seek 1:05")).isEqualTo(new Command.Send(new ClientMessage.Seek(65_000)));
        assertThat(CommandSpec.find("clear")).isPresent();
    }

    @Test
    void aCompletedTitleWithSpacesIsInsertedInQuotes() throws Exception {
        JLineConsole.QuotingParser p = new JLineConsole.QuotingParser();
        CompletingParsedLine bare = (CompletingParsedLine) p.parse("play Ca", 7, Parser.ParseContext.COMPLETE);
        assertThat(bare.escape("Café del Mar", true).toString()).isEqualTo("\"Café del Mar\"");
        assertThat(bare.escape("Clicks", true).toString()).isEqualTo("Clicks");
        // A quote the user opened is closed by JLine itself.
        CompletingParsedLine opened = (CompletingParsedLine) p.parse("play \"Ca", 8, Parser.ParseContext.COMPLETE);
        assertThat(opened.escape("Café del Mar", true).toString()).isEqualTo("\"Café del Mar\"");
        // And what is inserted parses back to the whole title.
        assertThat(parser.parse("play \"Café del Mar\" 1:00"))
                .isEqualTo(new Command.Send(new ClientMessage.Play("Café del Mar", 60_000L)));
    }

    @Test
    void tabAfterKickNeverOffersYourselfOrTheAdminAndAcceptOffersWhoWaits() throws Exception {
        dev.thing.client.LobbyState state = new dev.thing.client.LobbyState("party", "carol");
        for (String line : List.of("EVENT MEMBER alice ADMIN", "EVENT MEMBER bob USER", "EVENT MEMBER carol USER",
                "EVENT MEMBER dave MODERATOR", "EVENT WAITING erin")) {
            state.absorb((ServerMessage.Event) dev.thing.protocol.MessageParser.parseServer(line));
        }
        JLineConsole.ThingCompleter tab = new JLineConsole.ThingCompleter(state);
        assertThat(complete(tab, "kick ")).containsExactly("bob", "dave");
        assertThat(complete(tab, "ban ")).containsExactly("bob", "dave");
        assertThat(complete(tab, "accept ")).containsExactly("erin");
        assertThat(complete(tab, "reject ")).containsExactly("erin");
        assertThat(complete(tab, "promote ")).containsExactly("bob");
        assertThat(complete(tab, "demote ")).containsExactly("dave");
        // Promoted, carol may kick only users, as the server says; erin let in is a user to kick.
        state.absorb((ServerMessage.Event) dev.thing.protocol.MessageParser.parseServer("EVENT MEMBER carol MODERATOR"));
        state.absorb((ServerMessage.Event) dev.thing.protocol.MessageParser.parseServer("EVENT MEMBER erin USER"));
        assertThat(complete(tab, "kick ")).containsExactly("bob", "erin");
        assertThat(complete(tab, "accept ")).isEmpty();
    }

    @Test
    void tabAtTheTerminalInsertsAQuotedTitleAndTheOneNameToKick() throws Exception {
        // The keys a person presses, through JLine as the client sets it up, not only the escaping function.
        CompletionData data = new CompletionData() {
            @Override
            public java.util.Collection<String> usernames() {
                return List.of("alice", "bob", "carol");
            }

            @Override
            public java.util.Collection<String> usernamesFor(String command) {
                return command.equals("kick") ? List.of("bob") : usernames();
            }

            @Override
            public java.util.Collection<String> titles() {
                return List.of("Café del Mar", "Clicks");
            }
        };
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        java.io.PipedOutputStream keys = new java.io.PipedOutputStream();
        java.io.PipedInputStream keyboard = new java.io.PipedInputStream(keys, 4096);
        org.jline.terminal.Terminal t = org.jline.terminal.TerminalBuilder.builder().system(false)
                .streams(keyboard, screen).type("xterm").size(new org.jline.terminal.Size(80, 24)).build();
        try (JLineConsole console = new JLineConsole(t, "party> ", null, data)) {
            keys.write("play Caf\t1:00\rkick \t\r".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            assertThat(console.readLine()).as(screen.toString(StandardCharsets.UTF_8))
                    .isEqualTo("play \"Café del Mar\" 1:00");
            assertThat(console.readLine()).isEqualTo("kick bob ");
        } finally {
            keys.close();
        }
    }

    private static List<String> complete(JLineConsole.ThingCompleter completer, String line) {
        List<org.jline.reader.Candidate> out = new java.util.ArrayList<>();
        completer.complete(null, new org.jline.reader.impl.DefaultParser().parse(line, line.length()), out);
        return out.stream().map(org.jline.reader.Candidate::value).toList();
    }

    @Test
    void scriptErrorsGoToStandardErrorWithTheLineNumber() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PlainConsole c = new PlainConsole(new ByteArrayInputStream("list\nbogus\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        c.error("before any line");
        c.readLine();
        c.println("a listing");
        c.readLine();
        c.error("unknown command 'bogus'");
        c.warn("no sound card: playing silently");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("a listing\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "error: before any line\nline 2: error: unknown command 'bogus'\nwarning: no sound card: playing silently\n");
    }
}
