package dev.thing.server.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.MessageWriter;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.board.BoardShape;
import dev.thing.protocol.board.Cells;
import dev.thing.protocol.board.Instrument;
import dev.thing.protocol.board.Mix;
import dev.thing.server.ThingException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

class BoardTest {
    static final Board.Actor ALICE = new Board.Actor("alice", true);
    static final Board.Actor BOB = new Board.Actor("bob", false);
    static final Board.Actor CAROL = new Board.Actor("carol", false);
    static final Board.Actor DAVE = new Board.Actor("dave", false);
    static final long NOW = 1_700_000_000_000_000L;
    static final long LEAD = 250_000L;

    final Board board = new Board();

    static Cells cells(String text) {
        try {
            return Cells.parse(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<String> lines(BoardOutcome outcome) {
        return outcome.events().stream().map(MessageWriter::line).toList();
    }

    List<String> shown() {
        return board.lines().stream().map(MessageWriter::line).toList();
    }

    @Test
    void aNewBoardIsSixteenByEightAt120WithPianoAndDrumsAndFreeSeats() {
        List<String> lines = shown();
        assertThat(lines).hasSize(3 + 16);
        assertThat(lines.subList(0, 4)).containsExactly("BOARD 16 8 120 STOPPED OVER", "TRACK 1 piano -",
                "TRACK 2 drums -", "ROW 1 1 0000000000000000");
        assertThat(lines.get(18)).isEqualTo("ROW 2 8 0000000000000000");
    }

    @Test
    void seatsAreTakenByNumberOrFirstFreeAndRefusedWhenTaken() {
        assertThat(lines(board.join(BOB, null))).containsExactly("EVENT BOARD TRACK 1 piano bob");
        assertThat(board.join(CAROL, null).notice()).isEqualTo("carol took seat 2 (drums)");
        assertRefused(() -> board.join(DAVE, 1), "seat 1 is taken by bob");
        assertRefused(() -> board.join(DAVE, null), "both seats are taken (bob, carol)");
        assertRefused(() -> board.join(new Board.Actor("Carol", false), 1), "you already hold seat 2");
        assertThat(lines(board.leave(BOB))).containsExactly("EVENT BOARD TRACK 1 piano -");
        assertRefused(() -> board.leave(BOB), "you hold no seat on the board");
        assertThat(board.memberLeft("carol").notice()).isEqualTo("seat 2 is free: carol left");
        assertThat(board.player(2)).isNull();
        assertThat(board.memberLeft("carol").changed()).isFalse();
    }

    @Test
    void onlyATracksPlayerSetsItsRowsAndBadRowsChangeNothing() {
        assertRefused(() -> board.set(BOB, 1, 1, cells("1234000000000000")),
                "track 1 has no player; BOARD JOIN 1 first");
        board.join(BOB, 1);
        assertRefused(() -> board.set(ALICE, 1, 1, cells("1234000000000000")), "track 1 is played by bob");
        BoardOutcome set = board.set(BOB, 1, 3, cells("1234000000000000"));
        assertThat(lines(set)).containsExactly("EVENT BOARD ROW 1 3 1234000000000000");
        assertThat(set.notice()).isEqualTo("bob set track 1 row 3: 1234000000000000");
        List<String> before = shown();
        assertRefused(ErrorCode.SYNTAX, () -> board.set(BOB, 1, 9, cells("0000000000000000")),
                "no row 9 (the board has 8 rows)");
        assertRefused(ErrorCode.SYNTAX, () -> board.set(BOB, 1, 1, cells("000000000000000")),
                "row needs 16 cells, got 15");
        assertThat(shown()).isEqualTo(before);
    }

    @Test
    void clearTakesTheOwnTrackForAPlayerAndAnyOrBothForStaff() {
        board.join(BOB, 1);
        board.join(CAROL, 2);
        board.set(BOB, 1, 1, cells("1000000000000000"));
        board.set(CAROL, 2, 1, cells("1000000000000000"));
        assertRefused(() -> board.clear(BOB, 2), "track 2 is played by carol");
        assertRefused(() -> board.clear(DAVE, null), "you hold no seat; BOARD JOIN first (staff may clear any track)");
        BoardOutcome own = board.clear(BOB, null);
        assertThat(own.events()).hasSize(8);
        assertThat(own.notice()).isEqualTo("bob cleared track 1");
        assertThat(board.row(2, 1).isEmpty()).isFalse();
        BoardOutcome all = board.clear(ALICE, null);
        assertThat(all.events()).hasSize(16);
        assertThat(all.notice()).isEqualTo("alice cleared the board");
        assertThat(board.row(2, 1).isEmpty()).isTrue();
    }

    @Test
    void tempoSizeInstrumentStartAndStopAreForStaffAndPlayers() {
        assertRefused(() -> board.tempo(DAVE, 90, NOW, LEAD),
                "BOARD TEMPO is for the admin, moderators and the board's two players; BOARD JOIN to play");
        assertRefused(() -> board.start(DAVE, NOW, LEAD),
                "BOARD START is for the admin, moderators and the board's two players; BOARD JOIN to play");
        assertRefused(() -> board.mix(BOB, Mix.INSTEAD), "BOARD MIX is for the admin and moderators");
        board.join(BOB, 2);
        assertThat(lines(board.instrument(BOB, 1, Instrument.DRUMS))).containsExactly("EVENT BOARD TRACK 1 drums -");
        assertThat(lines(board.start(BOB, NOW, LEAD))).containsExactly("EVENT BOARD START " + (NOW + LEAD));
        assertThat(shown().get(0)).isEqualTo("BOARD 16 8 120 PLAYING " + (NOW + LEAD) + " OVER");
        // A tempo change while playing starts the loop over from a fresh instant.
        assertThat(lines(board.tempo(BOB, 90, NOW + 5_000_000, LEAD))).containsExactly("EVENT BOARD TEMPO 90",
                "EVENT BOARD START " + (NOW + 5_000_000 + LEAD));
        assertThat(lines(board.mix(ALICE, Mix.INSTEAD))).containsExactly("EVENT BOARD MIX INSTEAD");
        assertThat(lines(board.stop(BOB))).containsExactly("EVENT BOARD STOP");
        assertThat(board.stop(ALICE).changed()).isFalse();
        assertThat(shown().get(0)).isEqualTo("BOARD 16 8 90 STOPPED INSTEAD");
    }

    @Test
    void resizingCutsOrPadsRowsAndSendsSizeThenEveryRow() {
        board.join(BOB, 1);
        board.set(BOB, 1, 8, cells("0000000000001234"));
        board.set(BOB, 1, 1, cells("1234567800000000"));
        BoardOutcome size = board.size(ALICE, new BoardShape(6, 4), NOW, LEAD);
        assertThat(size.events().get(0)).isEqualTo(new ServerMessage.BoardSizeEvent(new BoardShape(6, 4)));
        assertThat(size.events()).hasSize(1 + 2 * 4);
        assertThat(board.row(1, 1).toString()).isEqualTo("123456");
        board.size(ALICE, new BoardShape(10, 8), NOW, LEAD);
        assertThat(board.row(1, 1).toString()).isEqualTo("1234560000");
        assertThat(board.row(1, 8).toString()).isEqualTo("0000000000");
        assertThat(shown().get(0)).isEqualTo("BOARD 10 8 120 STOPPED OVER");
    }

    @Test
    void aSnapshotHoldsTheWholeBoardInOrder() {
        board.join(BOB, 1);
        board.start(ALICE, NOW, LEAD);
        List<String> snapshot = board.snapshot().stream().map(MessageWriter::line).toList();
        assertThat(snapshot.subList(0, 5)).containsExactly("EVENT BOARD SIZE 16 8", "EVENT BOARD TEMPO 120",
                "EVENT BOARD MIX OVER", "EVENT BOARD TRACK 1 piano bob", "EVENT BOARD TRACK 2 drums -");
        assertThat(snapshot).hasSize(5 + 16 + 1);
        assertThat(snapshot.get(snapshot.size() - 1)).isEqualTo("EVENT BOARD START " + (NOW + LEAD));
    }

    private static void assertRefused(ThrowingSupplier<BoardOutcome> call, String message) {
        assertRefused(ErrorCode.NOT_ALLOWED, call, message);
    }

    private static void assertRefused(ErrorCode code, ThrowingSupplier<BoardOutcome> call, String message) {
        assertThatThrownBy(call::get).isInstanceOf(ThingException.class).hasMessage(message)
                .satisfies(e -> assertThat(((ThingException) e).code()).isEqualTo(code));
    }
}
