package dev.thing.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.ClientMessage.Get;
import dev.thing.protocol.ClientMessage.Help;
import dev.thing.protocol.ClientMessage.Join;
import dev.thing.protocol.ClientMessage.Play;
import dev.thing.protocol.ClientMessage.Seek;
import dev.thing.protocol.ClientMessage.SongSet;
import dev.thing.protocol.Message.Okay;
import dev.thing.protocol.Message.Send;
import dev.thing.protocol.ServerMessage.Notify;
import dev.thing.protocol.ServerMessage.UserLine;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageParserTest {

    interface Parse {
        Object run(String line) throws ProtocolException;
    }

    private static void assertCode(Parse parse, String line, ErrorCode code) {
        assertThatThrownBy(() -> parse.run(line))
                .as("line %s", line)
                .isInstanceOf(ProtocolException.class)
                .satisfies(e -> assertThat(((ProtocolException) e).code()).as("code for %s", line).isEqualTo(code));
    }

    private static void clientError(String line, ErrorCode code) {
        assertCode(MessageParser::parseClient, line, code);
    }

    private static void clientSyntax(String line) {
        clientError(line, ErrorCode.SYNTAX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FROB", "frob x y", "LOBBYS", "NOTIFY hi", "ERROR SYNTAX x", "UPDATE a b c d", "bob"})
    void unknownVerbIsUnknownCommand(String line) {
        clientError(line, ErrorCode.UNKNOWN_COMMAND);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HELP a b", "QUIT now", "LOBBIES x", "USERS x", "LIST x", "QUEUE x", "WANTED x",
            "PAUSE x", "RESUME x", "SKIP x", "STOP x", "ABORT x", "GET", "DELETE", "TIME a b", "REQUEST",
            "REQUEST a b c", "PLAY", "PLAY a 1 2", "SEEK", "SEEK 1 2", "ACCEPT", "ACCEPT a b", "REJECT",
            "REJECT a b", "PROMOTE", "PROMOTE a b", "DEMOTE", "DEMOTE a b", "KICK", "KICK a b", "SONG",
            "SONG x", "SONG x SET", "SONG x SET ARTIST", "SEND", "SEND a b c d e", "AUTOPLAY on off",
            "CHUNK", "CHUNK 5"})
    void wrongArityIsSyntax(String line) {
        clientSyntax(line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ACCEPT", "REJECT", "PROMOTE", "DEMOTE", "KICK"})
    void badUsernamesAreSyntax(String verb) {
        clientSyntax(verb + " " + "a".repeat(33));
        clientSyntax(verb + " bob!");
        clientSyntax(verb + " b.b");
        clientSyntax(verb + " \"\"");
        clientSyntax(verb + " Ñandú");
        clientSyntax(verb + " \"bo b\"");
    }

    @Test
    void usernameOf32AllowedCharactersIsAccepted() throws Exception {
        String name = "Ab_-9".repeat(6) + "zZ";
        assertThat(name).hasSize(32);
        assertThat(MessageParser.parseClient("KICK " + name)).isEqualTo(new ClientMessage.Kick(name));
    }

    @Test
    void songWithoutSetOrWithABadFieldIsSyntax() {
        clientSyntax("SONG x TO ARTIST y");
        clientSyntax("SONG x ARTIST y z");
        clientSyntax("SONG x SET GENRE rock");
        clientSyntax("SONG x SET TAG3 rock");
        clientSyntax("SONG \"\" SET ARTIST y");
        clientSyntax("SONG x SET ARTIST " + "v".repeat(257));
    }

    @Test
    void songSetJoinsTheRemainingTokensOfAnUnquotedValue() throws Exception {
        assertThat(MessageParser.parseClient("SONG x SET ARTIST The Beatles"))
                .isEqualTo(new SongSet("x", MetadataField.ARTIST, "The Beatles"));
        assertThat(MessageParser.parseClient("song \"Let It Be\" set tag1   Rock \t and  Roll"))
                .isEqualTo(new SongSet("Let It Be", MetadataField.TAG1, "Rock and Roll"));
        assertThat(MessageParser.parseClient("SONG #4 SET TAG2 \"two  spaces\""))
                .isEqualTo(new SongSet("#4", MetadataField.TAG2, "two  spaces"));
        assertThat(MessageParser.parseClient("SONG x SET ARTIST \"\""))
                .isEqualTo(new SongSet("x", MetadataField.ARTIST, ""));
    }

    @Test
    void playWithANonNumericPositionIsSyntax() {
        clientSyntax("PLAY x abc");
        clientSyntax("PLAY x -5");
        clientSyntax("PLAY x 1.5");
        clientSyntax("PLAY x 1:75");
    }

    @Test
    void playTakesAnOptionalPositionInMillisecondsOrMinutesAndSeconds() throws Exception {
        assertThat(MessageParser.parseClient("PLAY #3")).isEqualTo(new Play("#3", null));
        assertThat(MessageParser.parseClient("PLAY \"Let It Be\" 1500")).isEqualTo(new Play("Let It Be", 1500L));
        assertThat(MessageParser.parseClient("PLAY x 2:05")).isEqualTo(new Play("x", 125_000L));
    }

    @Test
    void seekAcceptsMillisecondsAndMinuteSecondForms() throws Exception {
        assertThat(MessageParser.parseClient("SEEK 83000")).isEqualTo(new Seek(83_000));
        assertThat(MessageParser.parseClient("SEEK 1:23")).isEqualTo(new Seek(83_000));
        assertThat(MessageParser.parseClient("SEEK 1:23.5")).isEqualTo(new Seek(83_500));
        assertThat(MessageParser.parseClient("SEEK 1:23.05")).isEqualTo(new Seek(83_050));
        assertThat(MessageParser.parseClient("SEEK 1:23.456")).isEqualTo(new Seek(83_456));
        assertThat(MessageParser.parseClient("SEEK 0:00")).isEqualTo(new Seek(0));
        assertThat(MessageParser.parseClient("SEEK 61:00")).isEqualTo(new Seek(3_660_000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1:75", "1:60", "1:5", "1:", ":23", "1:23.", "1:23.4567", "1:2:3", "abc", "-1", "1e3",
            "１２"})
    void seekWithABadPositionIsSyntax(String position) {
        clientSyntax("SEEK " + position);
    }

    @Test
    void sendTitleThatLooksLikeASongNumberIsSyntax() throws Exception {
        clientSyntax("SEND #12");
        clientSyntax("SEND #0 artist");
        assertThat(MessageParser.parseClient("SEND #12a")).isEqualTo(new Send("#12a", null, null, null));
        assertThat(MessageParser.parseClient("SEND #")).isEqualTo(new Send("#", null, null, null));
    }

    @Test
    void titleOver256CharactersIsSyntax() throws Exception {
        String max = "é".repeat(255) + "🎵"; // 256 code points, 257 chars
        assertThat(MessageParser.parseClient("SEND \"" + max + "\"")).isEqualTo(new Send(max, null, null, null));
        clientSyntax("SEND " + "t".repeat(257));
        clientSyntax("GET " + "t".repeat(257));
        clientSyntax("PLAY " + "t".repeat(257));
        clientSyntax("REQUEST " + "t".repeat(257));
        clientSyntax("SEND x " + "a".repeat(257));
        clientSyntax("REQUEST x " + "a".repeat(257));
    }

    @Test
    void emptyTitleIsSyntax() {
        clientSyntax("SEND \"\"");
        clientSyntax("GET \"\"");
        clientSyntax("PLAY \"\"");
        clientSyntax("REQUEST \"\" x");
        clientSyntax("DELETE \"\"");
    }

    @Test
    void controlCharacterInTitleOrValueIsSyntax() {
        clientSyntax("SEND \"a\u0001b\"");
        clientSyntax("SEND \"a\tb\"");
        clientSyntax("GET a\u007fb");
        clientSyntax("PLAY \"a\u0000b\"");
        clientSyntax("SEND x \"art\u0007ist\"");
        clientSyntax("SONG x SET ARTIST \"a\u001bb\"");
    }

    @Test
    void sayTakesTheRestOfTheLineAsTyped() throws Exception {
        assertThat(MessageParser.parseClient("SAY hello   world ")).isEqualTo(new ClientMessage.Say("hello   world"));
        assertThat(MessageParser.parseClient("say it's \"great\" \\o/")).isEqualTo(
                new ClientMessage.Say("it's \"great\" \\o/"));
        assertThat(MessageParser.parseClient("SAY \"unterminated")).isEqualTo(new ClientMessage.Say("\"unterminated"));
        assertThat(MessageParser.parseClient("SAY " + "é".repeat(500))).isEqualTo(new ClientMessage.Say("é".repeat(500)));
        clientSyntax("SAY");
        clientSyntax("SAY    ");
        clientSyntax("SAY " + "x".repeat(501));
        clientSyntax("SAY a\u0007b");
        clientError("SAYS hi", ErrorCode.UNKNOWN_COMMAND);
    }

    @Test
    void voteQueueEditingAndRenameParse() throws Exception {
        assertThat(MessageParser.parseClient("vote skip")).isEqualTo(new ClientMessage.VoteSkip());
        clientSyntax("VOTE");
        clientSyntax("VOTE KEEP");
        clientSyntax("VOTE SKIP now");
        assertThat(MessageParser.parseClient("VOTESHARE")).isEqualTo(new ClientMessage.VoteShare(null));
        assertThat(MessageParser.parseClient("VOTESHARE 66")).isEqualTo(new ClientMessage.VoteShare(66));
        clientSyntax("VOTESHARE 100");
        clientSyntax("VOTESHARE -1");
        clientSyntax("VOTESHARE half");
        assertThat(MessageParser.parseClient("UNQUEUE 2")).isEqualTo(new ClientMessage.Unqueue(2));
        clientSyntax("UNQUEUE 0");
        clientSyntax("UNQUEUE");
        clientSyntax("UNQUEUE x");
        assertThat(MessageParser.parseClient("MOVE 3 1")).isEqualTo(new ClientMessage.Move(3, 1));
        clientSyntax("MOVE 3");
        clientSyntax("MOVE 0 1");
        clientSyntax("MOVE 1 99999999999");
        assertThat(MessageParser.parseClient("RENAME \"Old One\" \"New One\"")).isEqualTo(
                new ClientMessage.Rename("Old One", "New One"));
        assertThat(MessageParser.parseClient("RENAME #4 Better")).isEqualTo(new ClientMessage.Rename("#4", "Better"));
        clientSyntax("RENAME Old One New One");
        clientSyntax("RENAME x #5");
        clientSyntax("RENAME x \"\"");
    }

    @Test
    void autoplayTakesOnOffOrNothing() throws Exception {
        assertThat(MessageParser.parseClient("AUTOPLAY")).isEqualTo(new ClientMessage.Autoplay(null));
        assertThat(MessageParser.parseClient("autoplay on")).isEqualTo(new ClientMessage.Autoplay(true));
        assertThat(MessageParser.parseClient("AUTOPLAY Off")).isEqualTo(new ClientMessage.Autoplay(false));
        clientSyntax("AUTOPLAY maybe");
        clientSyntax("AUTOPLAY 1");
    }

    @Test
    void verbsAreCaseInsensitive() throws Exception {
        assertThat(MessageParser.parseClient("list")).isEqualTo(new ClientMessage.ListSongs());
        assertThat(MessageParser.parseClient("Play #3")).isEqualTo(new Play("#3", null));
        assertThat(MessageParser.parseClient("sEnD x")).isEqualTo(new Send("x", null, null, null));
        assertThat(MessageParser.parseClient("okay 5")).isEqualTo(new Okay("5"));
        assertThat(MessageParser.parseClient("help send")).isEqualTo(new Help("SEND"));
    }

    @Test
    void blankLineIsNoCommand() throws Exception {
        assertThat(MessageParser.parseClient("")).isNull();
        assertThat(MessageParser.parseClient(" \t ")).isNull();
        assertThat(MessageParser.parseBeforeJoin("")).isNull();
        assertThat(MessageParser.parseBeforeJoin("   ")).isNull();
    }

    @Test
    void badQuotingInACommandIsSyntax() {
        clientSyntax("GET \"Let It Be");
        clientSyntax("GET \"a\\xb\"");
        clientSyntax("GET Don\"t");
    }

    @Test
    void getWithAnUnquotedMultiWordTitleJoinsTheWordsWithSingleSpaces() throws Exception {
        assertThat(MessageParser.parseClient("GET Let  It\tBe")).isEqualTo(new Get("Let It Be"));
        assertThat(MessageParser.parseClient("GET \"Let  It Be\"")).isEqualTo(new Get("Let  It Be"));
        assertThat(MessageParser.parseClient("DELETE Let It Be"))
                .isEqualTo(new ClientMessage.Delete("Let It Be"));
        assertThat(MessageParser.parseClient("GET #12")).isEqualTo(new Get("#12"));
    }

    @Test
    void okayFromAClientCarriesAnOptionalToken() throws Exception {
        assertThat(MessageParser.parseClient("OKAY")).isEqualTo(Okay.PLAIN);
        assertThat(MessageParser.parseClient("OKAY 17")).isEqualTo(new Okay("17"));
    }

    // ---- before joining ----

    @Test
    void aJoinLineComesBackWithTokenAsThirdAndFourthTokens() throws Exception {
        assertThat(MessageParser.parseBeforeJoin("party bob token AbCdEfGhIjKlMnOp"))
                .isEqualTo(Join.withToken("party", "bob", "AbCdEfGhIjKlMnOp"));
        // Three tokens are a password, even one spelled TOKEN; four without TOKEN are malformed.
        assertThat(MessageParser.parseBeforeJoin("party bob TOKEN")).isEqualTo(new Join("party", "bob", "TOKEN"));
        assertThatThrownBy(() -> MessageParser.parseBeforeJoin("party bob secret AbCdEfGhIjKlMnOp"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("TOKEN <token>");
        assertThatThrownBy(() -> MessageParser.parseBeforeJoin("party bob TOKEN short"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("rejoin token");
        assertThatThrownBy(() -> MessageParser.parseBeforeJoin("party bob TOKEN \"not/base64url+chars==\""))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("rejoin token");
    }

    @Test
    void beforeJoinHelpLobbiesAndQuitAreCommands() throws Exception {
        assertThat(MessageParser.parseBeforeJoin("HELP")).isEqualTo(new Help(null));
        assertThat(MessageParser.parseBeforeJoin("lobbies")).isEqualTo(new ClientMessage.Lobbies());
        assertThat(MessageParser.parseBeforeJoin("QUIT")).isEqualTo(new ClientMessage.Quit());
        assertThat(MessageParser.parseBeforeJoin("Quit")).isEqualTo(new ClientMessage.Quit());
    }

    @Test
    void beforeJoinAnyOtherTwoNamesAreAJoinEvenIfTheFirstIsAVerb() throws Exception {
        assertThat(MessageParser.parseBeforeJoin("list bob")).isEqualTo(new Join("list", "bob"));
        assertThat(MessageParser.parseBeforeJoin("party Bob")).isEqualTo(new Join("party", "Bob"));
        assertThat(MessageParser.parseBeforeJoin("  SEND \t alice ")).isEqualTo(new Join("SEND", "alice"));
    }

    /** A verb that works before joining is that command whatever follows: HELP PLAY asks for help with PLAY. */
    @Test
    void beforeJoinAPreJoinVerbIsItsCommandWhateverFollows() throws Exception {
        assertThat(MessageParser.parseBeforeJoin("help play")).isEqualTo(new ClientMessage.Help("PLAY"));
        assertThat(MessageParser.parseBeforeJoin("CAP EVENTS ping"))
                .isEqualTo(new ClientMessage.Cap(List.of(Capability.EVENTS, Capability.PING)));
        assertThat(MessageParser.parseBeforeJoin("CAP")).isEqualTo(new ClientMessage.Cap(List.of()));
        assertCode(MessageParser::parseBeforeJoin, "lobbies bob", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseBeforeJoin, "quit bob", ErrorCode.SYNTAX);
    }

    @Test
    void aThirdTokenOfTheJoinLineIsThePassword() throws Exception {
        assertThat(MessageParser.parseBeforeJoin("party bob s3cret")).isEqualTo(new Join("party", "bob", "s3cret"));
        assertThat(MessageParser.parseBeforeJoin("party bob \"two words\""))
                .isEqualTo(new Join("party", "bob", "two words"));
        assertThat(((Join) MessageParser.parseBeforeJoin("party bob")).password()).isNull();
        assertCode(MessageParser::parseBeforeJoin, "party bob \"\"", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseBeforeJoin, "party bob " + "x".repeat(129), ErrorCode.SYNTAX);
    }

    @Test
    void newPasswordsAreEightTo128Characters() throws Exception {
        assertThat(MessageParser.parseClient("REGISTER 12345678")).isEqualTo(new ClientMessage.Register("12345678"));
        assertCode(MessageParser::parseClient, "REGISTER 1234567", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseClient, "REGISTER " + "x".repeat(129), ErrorCode.SYNTAX);
        assertCode(MessageParser::parseClient, "REGISTER", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseClient, "REGISTER two words", ErrorCode.SYNTAX);
        assertThat(MessageParser.parseClient("PASSWORD old \"new one!\""))
                .isEqualTo(new ClientMessage.ChangePassword("old", "new one!"));
        assertCode(MessageParser::parseClient, "PASSWORD old short", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseClient, "PASSWORD onlyone", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseClient, "BAN", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseClient, "BAN bad!name", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseClient, "BANS now", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseClient, "CLAIM it", ErrorCode.SYNTAX);
    }

    @Test
    void capWithAnUnknownNameIsASyntaxErrorNamingIt() {
        assertThatThrownBy(() -> MessageParser.parseClient("CAP EVENTS TELEPATHY"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SYNTAX);
                    assertThat(e.getMessage()).contains("TELEPATHY");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"party", "LIST", "party bob pass extra", "a b c d", "party bob!", "par.ty bob",
            "\"\" bob", "party \"\"", "\"my party\" bob", "Ñandú bob"})
    void beforeJoinAMalformedJoinLineIsSyntax(String line) {
        assertCode(MessageParser::parseBeforeJoin, line, ErrorCode.SYNTAX);
    }

    @Test
    void beforeJoinNamesLongerThan32AreSyntax() throws Exception {
        assertCode(MessageParser::parseBeforeJoin, "a".repeat(33) + " bob", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseBeforeJoin, "party " + "b".repeat(33), ErrorCode.SYNTAX);
        assertThat(MessageParser.parseBeforeJoin("a".repeat(32) + " " + "b".repeat(32)))
                .isEqualTo(new Join("a".repeat(32), "b".repeat(32)));
    }

    @Test
    void beforeJoinBadQuotingIsSyntax() {
        assertCode(MessageParser::parseBeforeJoin, "\"party bob", ErrorCode.SYNTAX);
    }

    // ---- server lines ----

    @Test
    void nameThenTakenIsTaken() throws Exception {
        assertThat(MessageParser.parseServer("bob TAKEN")).isEqualTo(new ServerMessage.Taken("bob"));
        assertThat(MessageParser.parseServer("PING TAKEN")).isEqualTo(new ServerMessage.Ping("TAKEN"));
        assertThat(MessageParser.parseServer("OKAY TAKEN")).isEqualTo(new Okay("TAKEN"));
    }

    @Test
    void errorLineCarriesCodeAndText() throws Exception {
        assertThat(MessageParser.parseServer("ERROR NO_SUCH_SONG no song called \"x\""))
                .isEqualTo(new ServerMessage.Error(ErrorCode.NO_SUCH_SONG, "no song called \"x\""));
        assertThat(MessageParser.parseServer("ERROR PENDING"))
                .isEqualTo(new ServerMessage.Error(ErrorCode.PENDING, ""));
    }

    @Test
    void errorLineWithAnUnknownCodeIsInternal() throws Exception {
        assertThat(MessageParser.parseServer("ERROR FROBNICATED it broke"))
                .isEqualTo(new ServerMessage.Error(ErrorCode.INTERNAL, "it broke"));
    }

    @Test
    void errorLineWithoutACodeIsSyntax() {
        assertCode(MessageParser::parseServer, "ERROR", ErrorCode.SYNTAX);
    }

    /** Free-text lines (NOTIFY, ERROR, HELP) are not tokenized: stray quotes and backslashes are just text. */
    @Test
    void freeTextServerLinesMayHoldUnbalancedQuotesAndBackslashes() throws Exception {
        assertThat(MessageParser.parseServer("NOTIFY bob queued Don\"t Stop"))
                .isEqualTo(new Notify("bob queued Don\"t Stop"));
        assertThat(MessageParser.parseServer("NOTIFY bob queued \"Let It Be\"!"))
                .isEqualTo(new Notify("bob queued \"Let It Be\"!"));
        assertThat(MessageParser.parseServer("NOTIFY \"unterminated"))
                .isEqualTo(new Notify("\"unterminated"));
        assertThat(MessageParser.parseServer(
                "ERROR SYNTAX bad escape \\x at column 3: inside quotes only \\\" and \\\\ are allowed"))
                .isEqualTo(new ServerMessage.Error(ErrorCode.SYNTAX,
                        "bad escape \\x at column 3: inside quotes only \\\" and \\\\ are allowed"));
        assertThat(MessageParser.parseServer("HELP GET <title> - fetch a song (\"quote\" titles)"))
                .isEqualTo(new ServerMessage.HelpLine("GET <title> - fetch a song (\"quote\" titles)"));
    }

    @Test
    void userLineWithDashRttHasNoRtt() throws Exception {
        assertThat(MessageParser.parseServer("USER bob USER -"))
                .isEqualTo(new UserLine("bob", Role.USER, OptionalDouble.empty()));
        assertThat(MessageParser.parseServer("USER eve ADMIN 12.5"))
                .isEqualTo(new UserLine("eve", Role.ADMIN, OptionalDouble.of(12.5)));
        assertCode(MessageParser::parseServer, "USER eve BOSS 1.0", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseServer, "USER eve ADMIN fast", ErrorCode.SYNTAX);
    }

    @Test
    void serverLinesWithBadNumbersOrArityAreSyntax() {
        assertCode(MessageParser::parseServer, "PLAY x now 0", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseServer, "PLAY x 1", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseServer, "PAUSE x", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseServer, "TIME", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseServer, "TIME tok soon", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseServer, "LOBBY party many 0", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseServer, "UPDATE a b c", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseServer, "SONG 1 t a g1 g2 100 200", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseServer, "ENTRY one 2 t bob", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseServer, "WISH t a bob", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseServer, "SEND", ErrorCode.SYNTAX);
        assertCode(MessageParser::parseServer, "", ErrorCode.SYNTAX);
    }

    @Test
    void unknownServerLineIsUnknownCommand() {
        assertCode(MessageParser::parseServer, "FROB x", ErrorCode.UNKNOWN_COMMAND);
    }

    @Test
    void serverVerbsAreCaseInsensitiveToo() throws Exception {
        assertThat(MessageParser.parseServer("okay")).isEqualTo(Okay.PLAIN);
        assertThat(MessageParser.parseServer("notify hi")).isEqualTo(new Notify("hi"));
    }
}
