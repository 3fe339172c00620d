package dev.thing.client.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.MessageWriter;
import dev.thing.protocol.MetadataField;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandParserTest {
    private final CommandParser parser = new CommandParser();

    private ClientMessage message(String line) throws CommandException {
        Command c = parser.parse(line);
        assertThat(c).isInstanceOf(Command.Send.class);
        return ((Command.Send) c).message();
    }

    private String wire(String line) throws CommandException {
        return MessageWriter.line(message(line));
    }

    @Test
    void seekTakesMinutesAndSeconds() throws Exception {
        assertThat(message("seek 1:23")).isEqualTo(new ClientMessage.Seek(83_000));
        assertThat(wire("seek 1:23")).isEqualTo("SEEK 83000");
        assertThat(wire("seek 4500")).isEqualTo("SEEK 4500");
    }

    @Test
    void playJoinsTheTitleWords() throws Exception {
        assertThat(message("play Bohemian Rhapsody")).isEqualTo(new ClientMessage.Play("Bohemian Rhapsody", null));
        assertThat(wire("play Bohemian Rhapsody")).isEqualTo("PLAY \"Bohemian Rhapsody\"");
        assertThat(wire("PLAY   Bohemian   Rhapsody ")).isEqualTo("PLAY \"Bohemian Rhapsody\"");
    }

    @Test
    void playTakesATrailingClockPositionOrAQuotedTitleAndMilliseconds() throws Exception {
        assertThat(message("play Song 2 1:30")).isEqualTo(new ClientMessage.Play("Song 2", 90_000L));
        assertThat(message("play \"Song 2\" 90000")).isEqualTo(new ClientMessage.Play("Song 2", 90_000L));
        assertThat(message("play Song 2")).isEqualTo(new ClientMessage.Play("Song 2", null));
        assertThat(message("play \"Ends in 1:30\"")).isEqualTo(new ClientMessage.Play("Ends in 1:30", null));
        assertThat(message("play #12")).isEqualTo(new ClientMessage.Play("#12", null));
        assertThat(message("play Bohemian\\ Rhapsody")).isEqualTo(new ClientMessage.Play("Bohemian Rhapsody", null));
    }

    @Test
    void tagTheFirstFieldWordEndsTheTitle() throws Exception {
        assertThat(message("tag My Song artist Queen"))
                .isEqualTo(new ClientMessage.SongSet("My Song", MetadataField.ARTIST, "Queen"));
        assertThat(wire("tag My Song artist Queen")).isEqualTo("SONG \"My Song\" SET ARTIST Queen");
        assertThat(message("tag My Song tag1 glam rock"))
                .isEqualTo(new ClientMessage.SongSet("My Song", MetadataField.TAG1, "glam rock"));
        assertThat(message("tag \"The Artist\" TAG2 a comment"))
                .isEqualTo(new ClientMessage.SongSet("The Artist", MetadataField.TAG2, "a comment"));
        assertThat(message("tag Song artist \"\""))
                .isEqualTo(new ClientMessage.SongSet("Song", MetadataField.ARTIST, ""));
        assertThatThrownBy(() -> parser.parse("tag My Song Queen")).isInstanceOf(CommandException.class)
                .hasMessageContaining("usage: tag");
    }

    @Test
    void uploadOptionsTakeTheWordsUpToTheNextOption() throws Exception {
        assertThat(parser.parse("upload song.mp3"))
                .isEqualTo(new Command.Upload(Path.of("song.mp3"), null, null, null, null));
        assertThat(parser.parse("upload my song.mp3 --title My Song --artist The Band --tag1 rock --tag2 live"))
                .isEqualTo(new Command.Upload(Path.of("my song.mp3"), "My Song", "The Band", "rock", "live"));
        assertThat(parser.parse("upload \"/tmp/a b.mp3\" --artist Queen"))
                .isEqualTo(new Command.Upload(Path.of("/tmp/a b.mp3"), null, "Queen", null, null));
        assertThatThrownBy(() -> parser.parse("upload x.mp3 --year 1975")).isInstanceOf(CommandException.class)
                .hasMessageContaining("unknown upload option");
        assertThatThrownBy(() -> parser.parse("upload x.mp3 --title")).isInstanceOf(CommandException.class);
        assertThatThrownBy(() -> parser.parse("upload x.mp3 --title #12")).isInstanceOf(CommandException.class);
        assertThatThrownBy(() -> parser.parse("upload --title T")).isInstanceOf(CommandException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "users|USERS", "list|LIST", "queue|QUEUE", "wanted|WANTED", "lobbies|LOBBIES", "pause|PAUSE",
            "resume|RESUME", "skip|SKIP", "stop|STOP", "time|TIME", "autoplay|AUTOPLAY", "autoplay on|AUTOPLAY ON",
            "autoplay OFF|AUTOPLAY OFF", "accept bob|ACCEPT bob", "reject bob|REJECT bob", "kick bob|KICK bob",
            "promote bob|PROMOTE bob", "demote bob|DEMOTE bob", "get Under Pressure|GET \"Under Pressure\"",
            "delete #4|DELETE #4", "request Under Pressure|REQUEST \"Under Pressure\"",
            "request Under Pressure --artist Queen and Bowie|REQUEST \"Under Pressure\" \"Queen and Bowie\"",
            "request \"Under Pressure\" Queen|REQUEST \"Under Pressure\" Queen", "help server|HELP"})
    void everyProtocolCommand(String typed, String sent) throws Exception {
        assertThat(wire(typed)).isEqualTo(sent);
    }

    @Test
    void localCommandsAndMistakes() throws Exception {
        assertThat(parser.parse("help")).isEqualTo(new Command.Help(null));
        assertThat(parser.parse("help play")).isEqualTo(new Command.Help("play"));
        assertThat(parser.parse("status")).isEqualTo(new Command.Status());
        assertThat(parser.parse("quit")).isEqualTo(new Command.Quit());
        assertThat(parser.parse("   ")).isNull();
        assertThat(parser.parse("# a comment")).isNull();
        assertThatThrownBy(() -> parser.parse("dance")).hasMessageContaining("unknown command");
        assertThatThrownBy(() -> parser.parse("seek soon")).hasMessageContaining("position");
        assertThatThrownBy(() -> parser.parse("accept bob alice")).hasMessageContaining("usage: accept");
        assertThatThrownBy(() -> parser.parse("accept b@d")).hasMessageContaining("username");
        assertThatThrownBy(() -> parser.parse("play \"open")).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> parser.parse("users now")).hasMessageContaining("usage: users");
        assertThatThrownBy(() -> parser.parse("autoplay maybe")).hasMessageContaining("usage: autoplay");
    }

    @Test
    void helpListsEveryCommand() {
        String help = CommandSpec.helpText();
        for (String c : new String[] {"upload", "tag", "accept", "reject", "kick", "promote", "demote", "users",
                "list", "queue", "request", "wanted", "play", "pause", "resume", "seek", "skip", "stop", "autoplay",
                "delete", "get", "lobbies", "time", "status", "help", "quit"}) {
            assertThat(help).contains("  " + c);
        }
    }

    @Test
    void boardAloneDrawsAndItsSubcommandsAreSentAsBoardLines() throws Exception {
        assertThat(parser.parse("board")).isEqualTo(new Command.ShowBoard());
        assertThat(wire("board join")).isEqualTo("BOARD JOIN");
        assertThat(wire("board join 2")).isEqualTo("BOARD JOIN 2");
        assertThat(wire("board leave")).isEqualTo("BOARD LEAVE");
        assertThat(wire("board set 1 3 1234000012000000")).isEqualTo("BOARD SET 1 3 1234000012000000");
        assertThat(wire("Board SET 1 3 123456789ABC0")).isEqualTo("BOARD SET 1 3 123456789abc0");
        assertThat(wire("board clear")).isEqualTo("BOARD CLEAR");
        assertThat(wire("board clear 2")).isEqualTo("BOARD CLEAR 2");
        assertThat(wire("board tempo 90")).isEqualTo("BOARD TEMPO 90");
        assertThat(wire("board size 32 12")).isEqualTo("BOARD SIZE 32 12");
        assertThat(wire("board instrument 1 Organ")).isEqualTo("BOARD INSTRUMENT 1 organ");
        assertThat(wire("board start")).isEqualTo("BOARD START");
        assertThat(wire("board stop")).isEqualTo("BOARD STOP");
        assertThat(wire("board mix instead")).isEqualTo("BOARD MIX INSTEAD");
    }

    @Test
    void badBoardLinesAreRefusedWithTheClientsUsageAndTheProtocolsReasons() {
        assertThatThrownBy(() -> parser.parse("board join 1 2")).isInstanceOf(CommandException.class)
                .hasMessage("usage: board join [1|2]");
        assertThatThrownBy(() -> parser.parse("board set 1 3")).hasMessage("usage: board set <track> <row> <cells>");
        assertThatThrownBy(() -> parser.parse("board mix loud")).hasMessage("usage: board mix over|instead");
        assertThatThrownBy(() -> parser.parse("board join 3")).hasMessage("no track 3 (tracks are 1 and 2)");
        assertThatThrownBy(() -> parser.parse("board set 1 3 1204")).hasMessage("cell 4 is \"4\" but after a rest "
                + "comes \"0\" (a rest) or \"1\" (a note starts)");
        assertThatThrownBy(() -> parser.parse("board tempo 10"))
                .hasMessage("tempo must be 30..300 beats per minute, got 10");
        assertThatThrownBy(() -> parser.parse("board instrument 1 kazoo")).hasMessageStartingWith("no instrument "
                + "\"kazoo\"; use piano");
        assertThatThrownBy(() -> parser.parse("board strat")).hasMessage("no 'board strat'; did you mean "
                + "'board start'? (type 'help board')");
    }

    @Test
    void everyBoardFormHasAHelpEntry() {
        assertThat(CommandSpec.findAll("board")).hasSize(1 + CommandSpec.BOARD_WORDS.size());
        for (String word : CommandSpec.BOARD_WORDS) {
            assertThat(CommandSpec.usageOf("board", word)).startsWith("board " + word);
        }
        assertThat(CommandSpec.helpText()).contains("board set <track> <row> <cells>");
    }
}
