package dev.thing.protocol.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.MessageParser;
import dev.thing.protocol.MessageWriter;
import dev.thing.protocol.ProtocolException;
import dev.thing.protocol.ServerMessage;
import org.junit.jupiter.api.Test;

/** The BOARD command's subcommands and the board's server lines, as typed on the wire. */
class BoardRequestTest {

    private static BoardRequest request(String line) throws ProtocolException {
        return ((ClientMessage.Board) MessageParser.parseClient(line)).request();
    }

    @Test
    void subcommandsParseToTheirRecords() throws Exception {
        assertThat(request("BOARD")).isEqualTo(new BoardRequest.Show());
        assertThat(request("board join")).isEqualTo(new BoardRequest.Join(null));
        assertThat(request("BOARD JOIN 2")).isEqualTo(new BoardRequest.Join(2));
        assertThat(request("BOARD SET 1 3 12340000")).isEqualTo(
                new BoardRequest.Set(1, 3, Cells.parse("12340000")));
        assertThat(request("BOARD CLEAR")).isEqualTo(new BoardRequest.Clear(null));
        assertThat(request("BOARD TEMPO 90")).isEqualTo(new BoardRequest.Tempo(90));
        assertThat(request("BOARD SIZE 32 12")).isEqualTo(new BoardRequest.Size(new BoardShape(32, 12)));
        assertThat(request("BOARD INSTRUMENT 2 gm5")).isEqualTo(
                new BoardRequest.SetInstrument(2, new Instrument("gm5", 5, false)));
        assertThat(request("BOARD mix instead")).isEqualTo(new BoardRequest.SetMix(Mix.INSTEAD));
    }

    @Test
    void badSubcommandsAreRefusedClearly() {
        assertRefused("BOARD SET 1 1 1204", "cell 4 is \"4\" but after a rest comes \"0\" (a rest) or \"1\" "
                + "(a note starts)");
        assertRefused("BOARD SET 3 1 0000", "no track 3 (tracks are 1 and 2)");
        assertRefused("BOARD SET 1 0 0000", "no row 0 (rows count from 1)");
        assertRefused("BOARD SET 1 x 0000", "row must be a whole number, got \"x\"");
        assertRefused("BOARD SET 1 1", "usage: BOARD SET <track> <row> <cells>");
        assertRefused("BOARD JOIN 0", "no track 0 (tracks are 1 and 2)");
        assertRefused("BOARD TEMPO 10", "tempo must be 30..300 beats per minute, got 10");
        assertRefused("BOARD SIZE 65 8", "columns must be 1..64, got 65");
        assertRefused("BOARD SIZE 16 17", "rows must be 1..16, got 17");
        assertRefused("BOARD MIX UNDER", "usage: BOARD MIX OVER|INSTEAD");
        assertRefused("BOARD DANCE", "no BOARD \"DANCE\"; usage: " + BoardRequest.USAGE);
    }

    @Test
    void serverLinesAreWrittenAsTheRfcShowsThem() throws Exception {
        assertThat(MessageWriter.line(new ServerMessage.BoardLine(BoardShape.DEFAULT, 120, null, Mix.OVER)))
                .isEqualTo("BOARD 16 8 120 STOPPED OVER");
        assertThat(MessageWriter.line(new ServerMessage.BoardLine(BoardShape.DEFAULT, 120, 17L, Mix.INSTEAD)))
                .isEqualTo("BOARD 16 8 120 PLAYING 17 INSTEAD");
        assertThat(MessageWriter.line(new ServerMessage.TrackLine(2, Instrument.DRUMS, null)))
                .isEqualTo("TRACK 2 drums -");
        assertThat(MessageWriter.line(new ServerMessage.RowLine(1, 3, Cells.parse("1234"))))
                .isEqualTo("ROW 1 3 1234");
        assertThat(MessageWriter.line(new ServerMessage.BoardRowEvent(2, 1, Cells.parse("1010"))))
                .isEqualTo("EVENT BOARD ROW 2 1 1010");
        assertThat(MessageWriter.line(new ServerMessage.BoardTrackEvent(1, Instrument.PIANO, "alice")))
                .isEqualTo("EVENT BOARD TRACK 1 piano alice");
        assertThat(MessageWriter.line(new ServerMessage.BoardStopEvent())).isEqualTo("EVENT BOARD STOP");
    }

    @Test
    void malformedServerLinesAreProtocolErrors() {
        for (String line : new String[] {"BOARD 16 8 120 PLAYING OVER", "BOARD 16 8 120 STOPPED SIDEWAYS",
                "TRACK 3 piano -", "ROW 1 1 1204", "EVENT BOARD ROW 1 1 20", "EVENT BOARD START soon",
                "EVENT BOARD SIZE 0 8", "EVENT BOARD DANCE", "EVENT BOARD", "TRACK 1 kazoo bob"}) {
            assertThatThrownBy(() -> MessageParser.parseServer(line)).as(line).isInstanceOf(ProtocolException.class);
        }
    }

    private static void assertRefused(String line, String message) {
        assertThatThrownBy(() -> MessageParser.parseClient(line)).as(line).isInstanceOf(ProtocolException.class)
                .hasMessage(message);
    }
}
