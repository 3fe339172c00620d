package dev.thing.server.party;

import dev.thing.protocol.ServerMessage;
import java.util.List;

/**
 * What a change of the board sends: the event lines for programs (CAP EVENTS) and, instead of them, one line of
 * text for people. {@link #NONE} when nothing changed (a STOP of a stopped board).
 */
public record BoardOutcome(List<ServerMessage.BoardEvent> events, String notice) {
    public static final BoardOutcome NONE = new BoardOutcome(List.of(), null);

    public BoardOutcome {
        events = List.copyOf(events);
    }

    public boolean changed() {
        return !events.isEmpty();
    }
}
