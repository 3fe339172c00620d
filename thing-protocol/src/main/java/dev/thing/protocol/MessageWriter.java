package dev.thing.protocol;

import dev.thing.protocol.ClientMessage.Accept;
import dev.thing.protocol.ClientMessage.Autoplay;
import dev.thing.protocol.ClientMessage.Delete;
import dev.thing.protocol.ClientMessage.Demote;
import dev.thing.protocol.ClientMessage.Get;
import dev.thing.protocol.ClientMessage.Help;
import dev.thing.protocol.ClientMessage.Join;
import dev.thing.protocol.ClientMessage.Kick;
import dev.thing.protocol.ClientMessage.Play;
import dev.thing.protocol.ClientMessage.Promote;
import dev.thing.protocol.ClientMessage.Reject;
import dev.thing.protocol.ClientMessage.Request;
import dev.thing.protocol.ClientMessage.Seek;
import dev.thing.protocol.ClientMessage.SongSet;
import dev.thing.protocol.ClientMessage.Time;
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
import dev.thing.protocol.ServerMessage.Taken;
import dev.thing.protocol.ServerMessage.TimeReply;
import dev.thing.protocol.ServerMessage.Update;
import dev.thing.protocol.ServerMessage.UserLine;
import dev.thing.protocol.ServerMessage.WishLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns a typed message into its line (without the LF). {@link Chunk}s are framed by the encoder. */
public final class MessageWriter {
    private MessageWriter() {
    }

    public static String line(Message message) {
        if (message instanceof Send m) {
            List<String> t = new ArrayList<>(List.of("SEND", m.title()));
            addOptional(t, m.artist(), m.tag1(), m.tag2());
            return Tokens.join(t);
        }
        if (message instanceof Okay m) {
            return m.detail() == null ? "OKAY" : "OKAY " + Tokens.quote(m.detail());
        }
        if (message instanceof Message.Abort) {
            return "ABORT";
        }
        if (message instanceof Chunk m) {
            return "CHUNK " + m.data().length;
        }
        if (message instanceof ClientMessage m) {
            return client(m);
        }
        if (message instanceof ServerMessage m) {
            return server(m);
        }
        throw new IllegalArgumentException("not a THING message: " + message);
    }

    private static String client(ClientMessage message) {
        if (message instanceof Join m) {
            return m.lobby() + " " + m.username();
        }
        if (message instanceof Help m) {
            return m.topic() == null ? "HELP" : "HELP " + Tokens.quote(m.topic());
        }
        if (message instanceof ClientMessage.Quit) {
            return "QUIT";
        }
        if (message instanceof ClientMessage.Lobbies) {
            return "LOBBIES";
        }
        if (message instanceof ClientMessage.Users) {
            return "USERS";
        }
        if (message instanceof ClientMessage.ListSongs) {
            return "LIST";
        }
        if (message instanceof Get m) {
            return "GET " + Tokens.quote(m.song());
        }
        if (message instanceof Time m) {
            return m.token() == null ? "TIME" : "TIME " + Tokens.quote(m.token());
        }
        if (message instanceof Request m) {
            return m.artist() == null ? Tokens.join(List.of("REQUEST", m.song()))
                    : Tokens.join(List.of("REQUEST", m.song(), m.artist()));
        }
        if (message instanceof ClientMessage.ShowQueue) {
            return "QUEUE";
        }
        if (message instanceof ClientMessage.ShowWanted) {
            return "WANTED";
        }
        if (message instanceof Play m) {
            return m.positionMs() == null ? "PLAY " + Tokens.quote(m.song())
                    : "PLAY " + Tokens.quote(m.song()) + " " + m.positionMs();
        }
        if (message instanceof ClientMessage.Pause) {
            return "PAUSE";
        }
        if (message instanceof ClientMessage.Resume) {
            return "RESUME";
        }
        if (message instanceof Seek m) {
            return "SEEK " + m.positionMs();
        }
        if (message instanceof ClientMessage.Skip) {
            return "SKIP";
        }
        if (message instanceof ClientMessage.Stop) {
            return "STOP";
        }
        if (message instanceof Accept m) {
            return "ACCEPT " + m.username();
        }
        if (message instanceof Reject m) {
            return "REJECT " + m.username();
        }
        if (message instanceof Promote m) {
            return "PROMOTE " + m.username();
        }
        if (message instanceof Demote m) {
            return "DEMOTE " + m.username();
        }
        if (message instanceof Kick m) {
            return "KICK " + m.username();
        }
        if (message instanceof Delete m) {
            return "DELETE " + Tokens.quote(m.song());
        }
        if (message instanceof SongSet m) {
            return Tokens.join(List.of("SONG", m.song(), "SET", m.field().name(), m.value()));
        }
        if (message instanceof Autoplay m) {
            return m.on() == null ? "AUTOPLAY" : "AUTOPLAY " + (m.on() ? "ON" : "OFF");
        }
        throw new IllegalArgumentException("unknown client message " + message);
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
        if (message instanceof LobbyLine m) {
            return "LOBBY " + m.name() + " " + m.members() + " " + m.pending();
        }
        if (message instanceof UserLine m) {
            String rtt = m.rttMs().isPresent() ? String.format(Locale.ROOT, "%.1f", m.rttMs().getAsDouble()) : "-";
            return "USER " + m.username() + " " + m.role().name() + " " + rtt;
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
        if (message instanceof AutoplayLine m) {
            return "AUTOPLAY " + (m.on() ? "ON" : "OFF");
        }
        throw new IllegalArgumentException("unknown server message " + message);
    }

    /** Appends optional trailing fields; an absent field before a present one is written as "". */
    private static void addOptional(List<String> tokens, String... optional) {
        int last = -1;
        for (int i = 0; i < optional.length; i++) {
            if (optional[i] != null) {
                last = i;
            }
        }
        for (int i = 0; i <= last; i++) {
            tokens.add(optional[i] == null ? "" : optional[i]);
        }
    }
}
