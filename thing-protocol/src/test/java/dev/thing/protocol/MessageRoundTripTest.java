package dev.thing.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.ClientMessage.Join;
import dev.thing.protocol.Message.Abort;
import dev.thing.protocol.Message.Chunk;
import dev.thing.protocol.Message.Okay;
import dev.thing.protocol.Message.Send;
import dev.thing.protocol.ServerMessage.AutoplayLine;
import dev.thing.protocol.ServerMessage.EntryLine;
import dev.thing.protocol.ServerMessage.HelpLine;
import dev.thing.protocol.ServerMessage.LobbyLine;
import dev.thing.protocol.ServerMessage.Notify;
import dev.thing.protocol.ServerMessage.PauseEvent;
import dev.thing.protocol.ServerMessage.Ping;
import dev.thing.protocol.ServerMessage.PlayEvent;
import dev.thing.protocol.ServerMessage.SongLine;
import dev.thing.protocol.ServerMessage.StopEvent;
import dev.thing.protocol.ServerMessage.Taken;
import dev.thing.protocol.ServerMessage.TimeReply;
import dev.thing.protocol.ServerMessage.Update;
import dev.thing.protocol.ServerMessage.UserLine;
import dev.thing.protocol.ServerMessage.WishLine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message record: MessageWriter.line, then the parser for its direction, gives the record back.
 */
class MessageRoundTripTest {

    static final String SPACES = "Bohemian Rhapsody";
    static final String QUOTES = "Don\"t \"Stop\" Me";
    static final String BACKSLASH = "C:\\music\\AC\\DC";
    static final String UNICODE = "Café del Mar – Ñandú";
    static final String CJK = "東京";
    static final String EMOJI = "🎵 la";
    static final String HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    static final List<String> TITLES = List.of("Yesterday", SPACES, QUOTES, BACKSLASH, UNICODE, CJK, EMOJI,
            "#12", "  leading and trailing  ", "\"", "\\");

    static Stream<ClientMessage> clientMessages() {
        List<ClientMessage> all = new ArrayList<>(List.of(
                new ClientMessage.Help(null), new ClientMessage.Help("SEND"), new ClientMessage.Help("SONG SET"),
                new ClientMessage.Quit(), new ClientMessage.Lobbies(), new ClientMessage.Users(),
                new ClientMessage.ListSongs(), new ClientMessage.ShowQueue(), new ClientMessage.ShowWanted(), new ClientMessage.Unwant("Café del Mar"),
                new ClientMessage.Time(null), new ClientMessage.Time("t-1"), new ClientMessage.Time(""),
                new ClientMessage.Time("a b"),
                new ClientMessage.Play("#3", null), new ClientMessage.Play("#3", 0L),
                new ClientMessage.Play(SPACES, 83_500L),
                new ClientMessage.Pause(), new ClientMessage.Resume(), new ClientMessage.Seek(0),
                new ClientMessage.Seek(83_500), new ClientMessage.Skip(), new ClientMessage.Stop(),
                new ClientMessage.Accept("bob"), new ClientMessage.Reject("Alice_2"),
                new ClientMessage.Promote("x-y"), new ClientMessage.Demote("A".repeat(32)),
                new ClientMessage.Kick("b0b"),
                new ClientMessage.Register("correct horse"), new ClientMessage.Register("pass\"w\\rd " + CJK),
                new ClientMessage.ChangePassword("old-one", "new password!"), new ClientMessage.Claim(),
                new ClientMessage.Unclaim(), new ClientMessage.Ban("mallory"), new ClientMessage.Unban("Mallory-2"),
                new ClientMessage.ShowBans(),
                new ClientMessage.Autoplay(null), new ClientMessage.Autoplay(true), new ClientMessage.Autoplay(false),
                new ClientMessage.Request("#7", null), new ClientMessage.Request(SPACES, ""),
                new ClientMessage.Request(UNICODE, "Queen & \"Friends\""),
                new Send("Yesterday", null, null, null), new Send(SPACES, "The Beatles", null, null),
                new Send(UNICODE, CJK, "Chill Out", "from \"Ibiza\" \\ 1999"),
                new Send("x", "", "", ""), new Send("x", "", "rock", null),
                new Okay(null), new Okay("17"), new Okay(""), new Okay("two words"), new Okay(" spaced  out "),
                new Okay("welcome back to party as ADMIN"), new Okay("say \"hi\""), new Abort(),
                new ClientMessage.Cap(List.of()), new ClientMessage.Cap(List.of(Capability.EVENTS)),
                new ClientMessage.Cap(List.of(Capability.EVENTS, Capability.SONGS, Capability.PING))));
        all.addAll(List.of(new ClientMessage.Say("hello"), new ClientMessage.Say(QUOTES),
                new ClientMessage.Say(BACKSLASH + " " + EMOJI), new ClientMessage.Say("\"unbalanced"),
                new ClientMessage.Say("x".repeat(Names.MAX_CHAT_CHARS)), new ClientMessage.Say("SAY two  spaces"),
                new ClientMessage.VoteSkip(), new ClientMessage.VoteShare(null), new ClientMessage.VoteShare(0),
                new ClientMessage.VoteShare(99), new ClientMessage.Unqueue(1), new ClientMessage.Unqueue(100),
                new ClientMessage.Move(3, 1), new ClientMessage.Move(1, 3)));
        try {
            for (dev.thing.protocol.board.BoardRequest r : List.of(new dev.thing.protocol.board.BoardRequest.Show(),
                    new dev.thing.protocol.board.BoardRequest.Join(null), new dev.thing.protocol.board.BoardRequest.Join(2),
                    new dev.thing.protocol.board.BoardRequest.Leave(),
                    new dev.thing.protocol.board.BoardRequest.Set(1, 8, dev.thing.protocol.board.Cells.parse("123456789abcdefghijklmnopqrstuvwxyz")),
                    new dev.thing.protocol.board.BoardRequest.Clear(null), new dev.thing.protocol.board.BoardRequest.Clear(1),
                    new dev.thing.protocol.board.BoardRequest.Tempo(30),
                    new dev.thing.protocol.board.BoardRequest.Size(new dev.thing.protocol.board.BoardShape(64, 16)),
                    new dev.thing.protocol.board.BoardRequest.SetInstrument(2, dev.thing.protocol.board.Instrument.parse("gm9")),
                    new dev.thing.protocol.board.BoardRequest.Start(), new dev.thing.protocol.board.BoardRequest.Stop(),
                    new dev.thing.protocol.board.BoardRequest.SetMix(dev.thing.protocol.board.Mix.INSTEAD))) {
                all.add(new ClientMessage.Board(r));
            }
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
        for (String title : TITLES) {
            if (!title.equals("#12")) {
                all.add(new ClientMessage.Rename("#12", title));
                all.add(new ClientMessage.Rename(title, SPACES));
            }
            all.add(new ClientMessage.Get(title));
            all.add(new ClientMessage.Delete(title));
            all.add(new ClientMessage.Play(title, 1000L));
            all.add(new ClientMessage.Request(title, QUOTES));
            if (!title.equals("#12")) {
                all.add(new Send(title, BACKSLASH, EMOJI, "\\\""));
            }
            for (MetadataField field : MetadataField.values()) {
                all.add(new ClientMessage.SongSet(title, field, "The Beatles"));
                all.add(new ClientMessage.SongSet(title, field, ""));
                all.add(new ClientMessage.SongSet(title, field, QUOTES));
                all.add(new ClientMessage.SongSet(title, field, UNICODE));
            }
        }
        return all.stream();
    }

    static Stream<ServerMessage> serverMessages() {
        List<ServerMessage> all = new ArrayList<>(List.of(
                new Notify("THING/1.0 ready: send \"<lobby> <username>\" to join, or HELP, LOBBIES, QUIT"),
                new Notify("bob queued Don\"t Stop"),
                new ServerMessage.BanLine("mallory", "account", "alice"),
                new ServerMessage.BanLine("eve", "127.0.0.1", "bob"),
                new ServerMessage.BanLine("eve", "0:0:0:0:0:0:0:1", "bob"),
                new Notify("bad escape \\x at column 3: inside quotes only \\\" and \\\\ are allowed"),
                new Notify(UNICODE + " " + CJK), new Notify(""), new Notify("two  spaces and a tail "),
                new ServerMessage.Error(ErrorCode.SYNTAX,
                        "bad escape \\x at column 3: inside quotes only \\\" and \\\\ are allowed"),
                new ServerMessage.Error(ErrorCode.NO_SUCH_SONG, "no song \"" + QUOTES + "\""),
                new ServerMessage.Error(ErrorCode.LINE_TOO_LONG, "line longer than 4096 bytes was discarded"),
                new ServerMessage.Error(ErrorCode.ABORTED, ""),
                new Taken("bob"), new Taken("A-b_9"),
                new ServerMessage.CapLine("EVENTS", Capability.EVENTS.description()),
                new ServerMessage.CapLine("X-NEW", "a \"quoted\" \\ description"),
                new ServerMessage.MemberEvent("bob", Role.MODERATOR), new ServerMessage.MemberEvent("a_1", Role.ADMIN),
                new ServerMessage.GoneEvent("bob", ServerMessage.Departure.KICKED),
                new ServerMessage.WaitingEvent("carol"),
                new ServerMessage.DecidedEvent("carol", ServerMessage.Decision.TIMEOUT),
                new ServerMessage.ApprovalEvent("party", ServerMessage.Approval.WAITING),
                new ServerMessage.ApprovalEvent("party", ServerMessage.Approval.CREATED),
                new ServerMessage.DeletedEvent(QUOTES), new ServerMessage.DeletedEvent(CJK),
                new Ping(null), new Ping("42"), new Ping(""),
                new PlayEvent("#3", 1_763_776_000_000_000L, 0), new PlayEvent(SPACES, 1L, 83_500L),
                new PauseEvent(UNICODE, 1234), new StopEvent(),
                new TimeReply(null, 1_763_776_000_123_456L), new TimeReply("t-1", 5L), new TimeReply("a b", 5L),
                new HelpLine("SONG <title> SET TAG1|TAG2|ARTIST <value> - edit a song (quote titles: \"like this\")"),
                new HelpLine("QUIT - leave"),
                new LobbyLine("party", 3, 0), new LobbyLine("x-1", 0, 100),
                new UserLine("bob", Role.ADMIN, OptionalDouble.of(12.5)),
                new UserLine("eve", Role.MODERATOR, OptionalDouble.of(0.0)),
                new UserLine("al", Role.USER, OptionalDouble.empty()),
                new UserLine("pat", Role.PENDING, OptionalDouble.empty()),
                new UserLine("bob", Role.ADMIN, OptionalDouble.empty(), true),
                new SongLine(1, SPACES, "Queen", "Rock", "", 354_000, 8_500_000, HASH),
                new SongLine(2, UNICODE, "", "", "", 0, 1, HASH),
                new EntryLine(1, 7, QUOTES, "bob"), new EntryLine(2, 8, CJK, "eve"),
                new WishLine(SPACES, "", "bob", "party"), new WishLine(BACKSLASH, UNICODE, "eve", "x-1"),
                new AutoplayLine(true), new AutoplayLine(false),
                new Send("Yesterday", null, null, null), new Send(SPACES, "The Beatles", null, null),
                new Send(UNICODE, CJK, "Chill Out", "from \"Ibiza\" \\ 1999"), new Send("x", "", "", ""),
                new Okay(null), new Okay("17"), new Okay(""), new Abort()));
        all.add(new Update("tab\there", "a\tb", "", ""));
        try {
            dev.thing.protocol.board.Cells row = dev.thing.protocol.board.Cells.parse("1230000012121212");
            dev.thing.protocol.board.BoardShape shape = new dev.thing.protocol.board.BoardShape(16, 8);
            all.addAll(List.of(new ServerMessage.BoardLine(shape, 120, null, dev.thing.protocol.board.Mix.OVER),
                    new ServerMessage.BoardLine(shape, 300, 1_763_776_000_000_000L, dev.thing.protocol.board.Mix.INSTEAD),
                    new ServerMessage.TrackLine(1, dev.thing.protocol.board.Instrument.PIANO, "alice"),
                    new ServerMessage.TrackLine(2, dev.thing.protocol.board.Instrument.DRUMS, null),
                    new ServerMessage.RowLine(2, 8, row), new ServerMessage.BoardSizeEvent(shape),
                    new ServerMessage.BoardTempoEvent(90),
                    new ServerMessage.BoardTrackEvent(2, dev.thing.protocol.board.Instrument.parse("gm127"), null),
                    new ServerMessage.BoardTrackEvent(1, dev.thing.protocol.board.Instrument.PIANO, "bob"),
                    new ServerMessage.BoardRowEvent(1, 16, row),
                    new ServerMessage.BoardMixEvent(dev.thing.protocol.board.Mix.OVER),
                    new ServerMessage.BoardStartEvent(1_763_776_000_000_000L), new ServerMessage.BoardStopEvent()));
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
        all.addAll(List.of(new ServerMessage.SaidEvent("bob", "hello"), new ServerMessage.SaidEvent("bob", QUOTES),
                new ServerMessage.SaidEvent("eve", BACKSLASH + " " + EMOJI), new ServerMessage.SaidEvent("eve", ""),
                new ServerMessage.VotesEvent(SPACES, 1, 2), new ServerMessage.VotesEvent(QUOTES, 0, 1),
                new ServerMessage.RenamedEvent(SPACES, QUOTES), new ServerMessage.RenamedEvent(CJK, "#x"),
                new ServerMessage.AwayEvent("bob", 120), new ServerMessage.BackEvent("bob"),
                new ServerMessage.ByEvent("bob", ServerMessage.PlaybackAction.PAUSE),
                new ServerMessage.ByEvent("eve", ServerMessage.PlaybackAction.SKIP),
                new ServerMessage.TokenEvent("party", "AbCdEfGhIjKlMnOpQrStUv"),
                new ServerMessage.GoneEvent("bob", ServerMessage.Departure.REPLACED),
                new ServerMessage.QueueEvent(0), new ServerMessage.QueueEvent(100),
                new ServerMessage.VoteShareLine(50), new ServerMessage.VoteShareLine(0)));
        for (String title : TITLES) {
            all.add(new Update(title, "", "", ""));
            all.add(new Update(title, QUOTES, UNICODE, BACKSLASH));
            all.add(new PlayEvent(title, 10, 20));
            all.add(new PauseEvent(title, 20));
            all.add(new SongLine(9, title, title, "", title, 1, 2, HASH));
            all.add(new EntryLine(3, 9, title, "bob"));
            all.add(new ServerMessage.EntryEvent(3, 9, title, "bob"));
            all.add(new WishLine(title, "", "bob", "party"));
            all.add(new WishLine(title, title, "bob", "party"));
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("clientMessages")
    void clientMessageSurvivesWriteThenParseClient(ClientMessage message) throws Exception {
        String line = MessageWriter.line(message);
        assertThat(line).doesNotContain("\n", "\r");
        assertThat(MessageParser.parseClient(line)).as("line %s", line).isEqualTo(message);
    }

    @ParameterizedTest
    @MethodSource("serverMessages")
    void serverMessageSurvivesWriteThenParseServer(ServerMessage message) throws Exception {
        String line = MessageWriter.line(message);
        assertThat(line).doesNotContain("\n", "\r");
        assertThat(MessageParser.parseServer(line)).as("line %s", line).isEqualTo(message);
    }

    @Test
    void anOkayThatSaysWhatHappenedIsWrittenAsPlainWords() {
        assertThat(MessageWriter.line(new Okay("welcome back to party as ADMIN")))
                .isEqualTo("OKAY welcome back to party as ADMIN");
        assertThat(MessageWriter.line(new Okay("two  spaces"))).isEqualTo("OKAY \"two  spaces\"");
    }

    @Test
    void joinSurvivesWriteThenParseBeforeJoin() throws Exception {
        for (Join join : List.of(new Join("party", "bob"), new Join("list", "bob"), new Join("A_b-9", "x".repeat(32)),
                new Join("send", "okay"), new Join("party", "bob", "secret"),
                new Join("party", "bob", "two words \"quoted\""),
                Join.withToken("party", "bob", "AbCdEfGhIjKlMnOp_-0123"))) {
            assertThat(MessageParser.parseBeforeJoin(MessageWriter.line(join))).isEqualTo(join);
        }
    }

    @Test
    void aPasswordNeverShowsInAMessagesToString() {
        assertThat(new Join("party", "bob", "hunter22").toString()).doesNotContain("hunter22").contains("bob");
        assertThat(Join.withToken("party", "bob", "AbCdEfGhIjKlMnOp_-0123").toString())
                .doesNotContain("AbCdEfGhIjKlMnOp_-0123");
        assertThat(new ServerMessage.TokenEvent("party", "AbCdEfGhIjKlMnOp_-0123").toString())
                .doesNotContain("AbCdEfGhIjKlMnOp_-0123");
        assertThat(new ClientMessage.Register("hunter22").toString()).doesNotContain("hunter22");
        assertThat(new ClientMessage.ChangePassword("hunter22", "hunter33").toString())
                .doesNotContain("hunter22").doesNotContain("hunter33");
    }

    @Test
    void preJoinCommandsSurviveWriteThenParseBeforeJoin() throws Exception {
        for (ClientMessage m : List.of(new ClientMessage.Help(null), new ClientMessage.Lobbies(),
                new ClientMessage.Quit())) {
            assertThat(MessageParser.parseBeforeJoin(MessageWriter.line(m))).isEqualTo(m);
        }
    }

    /**
     * SEND's fields are positional, so an absent artist/tag1 before a present tag2 is written as {@code ""}.
     * The parser gives back what is on the wire: {@code ""}, not null. The decisions make omitted and empty mean
     * the same ("taken from the file's own ID3 tags"), so null and "" are equivalent; what is pinned here is that
     * the writer and parser agree on the line: the parsed record writes the very same line again.
     */
    @Test
    void sendWithOnlyTag2WritesEmptyPlaceholdersAndParsesThemAsEmptyStrings() throws Exception {
        Send onlyTag2 = new Send("Yesterday", null, null, "live");
        String line = MessageWriter.line(onlyTag2);
        assertThat(line).isEqualTo("SEND Yesterday \"\" \"\" live");

        Message fromClient = MessageParser.parseClient(line);
        Message fromServer = MessageParser.parseServer(line);
        assertThat(fromClient).isEqualTo(new Send("Yesterday", "", "", "live"));
        assertThat(fromServer).isEqualTo(new Send("Yesterday", "", "", "live"));
        assertThat(MessageWriter.line(fromClient)).isEqualTo(line);

        Send onlyTag1 = new Send("Yesterday", null, "rock", null);
        assertThat(MessageWriter.line(onlyTag1)).isEqualTo("SEND Yesterday \"\" rock");
        assertThat(MessageParser.parseClient(MessageWriter.line(onlyTag1)))
                .isEqualTo(new Send("Yesterday", "", "rock", null));
    }

    @Test
    void trailingAbsentSendFieldsAreNotWritten() {
        assertThat(MessageWriter.line(new Send("a b", "Queen", null, null))).isEqualTo("SEND \"a b\" Queen");
        assertThat(MessageWriter.line(new Send("x", null, null, null))).isEqualTo("SEND x");
    }

    @Test
    void chunkIsWrittenAsItsHeaderLineOnly() {
        assertThat(MessageWriter.line(new Chunk(new byte[5]))).isEqualTo("CHUNK 5");
    }

    @Test
    void everyMessageRecordIsCoveredByTheRoundTrips() {
        Set<Class<?>> covered = new HashSet<>();
        clientMessages().forEach(m -> covered.add(m.getClass()));
        serverMessages().forEach(m -> covered.add(m.getClass()));
        covered.add(Join.class);
        covered.add(Chunk.class); // framed by the codec, see the codec tests
        Set<Class<?>> all = Stream.of(ClientMessage.class, ServerMessage.class, Message.class)
                .flatMap(c -> Arrays.stream(c.getDeclaredClasses()))
                .filter(Class::isRecord)
                .collect(Collectors.toSet());
        assertThat(covered).containsAll(all);
    }
}
