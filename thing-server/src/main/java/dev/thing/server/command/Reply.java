package dev.thing.server.command;

import dev.thing.protocol.Message;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.lobby.OutgoingSong;
import java.util.ArrayList;
import java.util.List;

/**
 * What a handler answers: data lines, then exactly one final line (OKAY or ERROR) — or a song transfer whose
 * closing OKAY is the final line. {@code afterwards} runs once the reply is queued (UPDATE fan-out and the like),
 * and {@code close} ends the connection after the reply.
 */
public record Reply(List<ServerMessage> lines, ServerMessage last, OutgoingSong transfer, List<Runnable> afterwards,
                    boolean close) {

    public static Reply okay() {
        return new Reply(List.of(), Message.Okay.PLAIN, null, List.of(), false);
    }

    public static Reply okay(String detail) {
        return new Reply(List.of(), new Message.Okay(detail), null, List.of(), false);
    }

    /** Data lines followed by OKAY. */
    public static Reply data(List<? extends ServerMessage> lines) {
        return new Reply(List.copyOf(lines), Message.Okay.PLAIN, null, List.of(), false);
    }

    /**
     * A list's data lines followed by OKAY; an empty list's OKAY carries {@code emptyWords} ("the queue is empty"),
     * so that a person in telnet is not left with a bare OKAY (RFC 6.5).
     */
    public static Reply list(List<? extends ServerMessage> lines, String emptyWords) {
        return lines.isEmpty() ? okay(emptyWords) : data(lines);
    }

    public static Reply transfer(OutgoingSong song) {
        return new Reply(List.of(), null, song, List.of(), false);
    }

    public static Reply okayThenClose() {
        return new Reply(List.of(), Message.Okay.PLAIN, null, List.of(), true);
    }

    /** No reply at all: for lines that are not commands (a PING's OKAY). */
    public static Reply none() {
        return new Reply(List.of(), null, null, List.of(), false);
    }

    /** The same reply, with something to do once it is on its way. */
    public Reply then(Runnable action) {
        List<Runnable> all = new ArrayList<>(afterwards);
        all.add(action);
        return new Reply(lines, last, transfer, List.copyOf(all), close);
    }
}
