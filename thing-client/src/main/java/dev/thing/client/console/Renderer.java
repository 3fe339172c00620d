package dev.thing.client.console;

import dev.thing.client.net.Reply;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Positions;
import dev.thing.protocol.ServerMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns a reply into lines for people. */
public final class Renderer {
    private Renderer() {
    }

    public static List<String> render(Reply reply) {
        List<String> out = new ArrayList<>();
        for (ServerMessage m : reply.data()) {
            out.add(line(m));
        }
        if (reply.finalLine() instanceof ServerMessage.Error e) {
            out.add("error: " + e.code() + " " + e.text());
        } else if (reply.data().isEmpty() || reply.okayDetail() != null) {
            out.add(okay(reply));
        }
        return out;
    }

    private static String okay(Reply reply) {
        String detail = reply.okayDetail();
        if (reply.command() instanceof ClientMessage.Get g) {
            return "ok: " + g.song() + " is in the cache";
        }
        if (reply.command() instanceof ClientMessage.Users || reply.command() instanceof ClientMessage.ListSongs
                || reply.command() instanceof ClientMessage.ShowQueue
                || reply.command() instanceof ClientMessage.ShowWanted
                || reply.command() instanceof ClientMessage.Lobbies) {
            return "(none)";
        }
        return detail == null ? "ok" : "ok " + detail;
    }

    public static String line(ServerMessage m) {
        if (m instanceof ServerMessage.LobbyLine l) {
            return String.format(Locale.ROOT, "  %-32s %3d members, %d pending", l.name(), l.members(), l.pending());
        }
        if (m instanceof ServerMessage.UserLine u) {
            String rtt = u.rttMs().isPresent() ? String.format(Locale.ROOT, "%.1f ms", u.rttMs().getAsDouble()) : "-";
            return String.format(Locale.ROOT, "  %-32s %-9s %s", u.username(), u.role(), rtt);
        }
        if (m instanceof ServerMessage.SongLine s) {
            return String.format(Locale.ROOT, "  #%-4d %s - %s%s  %s", s.id(), s.title(), s.artist().isEmpty() ? "?" : s.artist(),
                    tags(s.tag1(), s.tag2()), Positions.format(s.durationMs()));
        }
        if (m instanceof ServerMessage.EntryLine e) {
            return String.format(Locale.ROOT, "  %d. %s (#%d), asked by %s", e.position(), e.title(), e.songId(),
                    e.requestedBy());
        }
        if (m instanceof ServerMessage.WishLine w) {
            return String.format(Locale.ROOT, "  %s - %s, asked by %s in %s", w.title(),
                    w.artist().isEmpty() ? "?" : w.artist(), w.requestedBy(), w.lobby());
        }
        if (m instanceof ServerMessage.TimeReply t) {
            long us = t.serverTimeUs();
            return "server time: " + Instant.ofEpochSecond(us / 1_000_000, (us % 1_000_000) * 1000) + " (" + us + " us)";
        }
        if (m instanceof ServerMessage.AutoplayLine a) {
            return "autoplay: " + (a.on() ? "on" : "off");
        }
        if (m instanceof ServerMessage.HelpLine h) {
            return "  " + h.text();
        }
        return "  " + dev.thing.protocol.MessageWriter.line(m);
    }

    private static String tags(String tag1, String tag2) {
        if (tag1.isEmpty() && tag2.isEmpty()) {
            return "";
        }
        if (tag2.isEmpty()) {
            return " [" + tag1 + "]";
        }
        return " [" + tag1 + ", " + tag2 + "]";
    }
}
