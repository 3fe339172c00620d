package dev.thing.protocol;

import dev.thing.protocol.ClientMessage.Join;
import dev.thing.protocol.Message.Chunk;
import dev.thing.protocol.ServerMessage.AutoplayLine;
import dev.thing.protocol.ServerMessage.EntryLine;
import dev.thing.protocol.ServerMessage.HelpLine;
import dev.thing.protocol.ServerMessage.LobbyLine;
import dev.thing.protocol.ServerMessage.Notify;
import dev.thing.protocol.ServerMessage.PauseEvent;
import dev.thing.protocol.ServerMessage.Ping;
import dev.thing.protocol.ServerMessage.PlayEvent;
import dev.thing.protocol.ServerMessage.SongLine;
import dev.thing.protocol.ServerMessage.Taken;
import dev.thing.protocol.ServerMessage.TimeReply;
import dev.thing.protocol.ServerMessage.Update;
import dev.thing.protocol.ServerMessage.UserLine;
import dev.thing.protocol.ServerMessage.WishLine;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Turns a typed message into its line (without the LF). {@link Chunk}s are framed by the encoder. */
public final class MessageWriter {
    private MessageWriter() {
    }

    public static String line(Message message) {
        if (message instanceof Chunk m) {
            return "CHUNK " + m.data().length;
        }
        if (message instanceof Join m) {
            return m.lobby() + " " + m.username() + (m.password() == null ? "" : " " + Tokens.quote(m.password()))
                    + (m.token() == null ? "" : " TOKEN " + m.token());
        }
        if (message instanceof ClientMessage.Say m) {
            return "SAY " + Names.oneLine(m.text());
        }
        // SEND, OKAY and ABORT travel both ways with the same syntax: their declarations write them.
        Optional<Command<?>> command = Commands.of(message.getClass());
        if (command.isPresent()) {
            return command.get().write(message);
        }
        if (message instanceof ServerMessage m) {
            return server(m);
        }
        throw new IllegalArgumentException("not a THING message: " + message);
    }

    private static String server(ServerMessage message) {
        if (message instanceof Notify m) {
            return "NOTIFY " + Names.oneLine(m.text());
        }
        if (message instanceof ServerMessage.Error m) {
            return "ERROR " + m.code().name() + " " + Names.oneLine(m.text());
        }
        if (message instanceof Taken m) {
            return m.username() + " TAKEN";
        }
        if (message instanceof Update m) {
            return Tokens.join(List.of("UPDATE", m.title(), m.artist(), m.tag1(), m.tag2()));
        }
        if (message instanceof Ping m) {
            return m.token() == null ? "PING" : "PING " + Tokens.quote(m.token());
        }
        if (message instanceof PlayEvent m) {
            return "PLAY " + Tokens.quote(m.title()) + " " + m.startUs() + " " + m.positionMs();
        }
        if (message instanceof PauseEvent m) {
            return "PAUSE " + Tokens.quote(m.title()) + " " + m.positionMs();
        }
        if (message instanceof ServerMessage.StopEvent) {
            return "STOP";
        }
        if (message instanceof TimeReply m) {
            return m.token() == null ? "TIME " + m.serverTimeUs()
                    : "TIME " + Tokens.quote(m.token()) + " " + m.serverTimeUs();
        }
        if (message instanceof HelpLine m) {
            return "HELP " + Names.oneLine(m.text());
        }
        if (message instanceof ServerMessage.BanLine m) {
            return "BAN " + m.username() + " " + Tokens.quote(m.scope()) + " " + m.bannedBy();
        }
        if (message instanceof LobbyLine m) {
            return "LOBBY " + m.name() + " " + m.members() + " " + m.pending();
        }
        if (message instanceof UserLine m) {
            String rtt = m.rttMs().isPresent() ? String.format(Locale.ROOT, "%.1f", m.rttMs().getAsDouble()) : "-";
            return "USER " + m.username() + " " + m.role().name() + " " + rtt + (m.away() ? " AWAY" : "");
        }
        if (message instanceof SongLine m) {
            return Tokens.join(List.of("SONG", Long.toString(m.id()), m.title(), m.artist(), m.tag1(), m.tag2(),
                    Long.toString(m.durationMs()), Long.toString(m.sizeBytes()), m.audioHash()));
        }
        if (message instanceof EntryLine m) {
            return Tokens.join(List.of("ENTRY", Integer.toString(m.position()), Long.toString(m.songId()),
                    m.title(), m.requestedBy()));
        }
        if (message instanceof WishLine m) {
            return Tokens.join(List.of("WISH", m.title(), m.artist(), m.requestedBy(), m.lobby()));
        }
        if (message instanceof ServerMessage.CapLine m) {
            return "CAP " + m.name() + " " + Names.oneLine(m.description());
        }
        if (message instanceof ServerMessage.Event m) {
            return "EVENT " + event(m);
        }
        if (message instanceof ServerMessage.VoteShareLine m) {
            return "VOTESHARE " + m.percent();
        }
        String board = dev.thing.protocol.board.BoardLines.write(message);
        if (board != null) {
            return board;
        }
        if (message instanceof AutoplayLine m) {
            return "AUTOPLAY " + (m.on() ? "ON" : "OFF");
        }
        throw new IllegalArgumentException("unknown server message " + message);
    }

    private static String event(ServerMessage.Event event) {
        if (event instanceof ServerMessage.MemberEvent e) {
            return "MEMBER " + e.username() + " " + e.role().name();
        }
        if (event instanceof ServerMessage.GoneEvent e) {
            return "GONE " + e.username() + " " + e.why().name();
        }
        if (event instanceof ServerMessage.WaitingEvent e) {
            return "WAITING " + e.username();
        }
        if (event instanceof ServerMessage.DecidedEvent e) {
            return "DECIDED " + e.username() + " " + e.decision().name();
        }
        if (event instanceof ServerMessage.ApprovalEvent e) {
            return "APPROVAL " + e.lobby() + " " + e.state().name();
        }
        if (event instanceof ServerMessage.SaidEvent e) {
            return Tokens.join(List.of("SAID", e.username(), e.text()));
        }
        if (event instanceof ServerMessage.VotesEvent e) {
            return "VOTES " + Tokens.quote(e.title()) + " " + e.votes() + " " + e.needed();
        }
        if (event instanceof ServerMessage.RenamedEvent e) {
            return Tokens.join(List.of("RENAMED", e.title(), e.newTitle()));
        }
        if (event instanceof ServerMessage.BoardEvent e) {
            return dev.thing.protocol.board.BoardLines.writeEvent(e);
        }
        if (event instanceof ServerMessage.AwayEvent e) {
            return "AWAY " + e.username() + " " + e.graceSeconds();
        }
        if (event instanceof ServerMessage.BackEvent e) {
            return "BACK " + e.username();
        }
        if (event instanceof ServerMessage.ByEvent e) {
            return "BY " + e.username() + " " + e.action();
        }
        if (event instanceof ServerMessage.TokenEvent e) {
            return "TOKEN " + e.lobby() + " " + e.token();
        }
        if (event instanceof ServerMessage.EntryEvent e) {
            return Tokens.join(List.of("ENTRY", Integer.toString(e.position()), Long.toString(e.songId()),
                    e.title(), e.requestedBy()));
        }
        if (event instanceof ServerMessage.QueueEvent e) {
            return "QUEUE " + e.length();
        }
        ServerMessage.DeletedEvent e = (ServerMessage.DeletedEvent) event;
        return "DELETED " + Tokens.quote(e.title());
    }
}
