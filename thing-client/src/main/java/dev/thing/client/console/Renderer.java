package dev.thing.client.console;

import dev.thing.client.net.Reply;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Positions;
import dev.thing.protocol.ServerMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns a reply into lines for people: listings as aligned tables with a header, errors as their text. */
public final class Renderer {
    private Renderer() {
    }

    public static List<String> render(Reply reply) {
        List<String> out = new ArrayList<>();
        List<ServerMessage> data = reply.data();
        if (!data.isEmpty() && data.stream().allMatch(m -> m instanceof ServerMessage.SongLine)) {
            out.addAll(songs(data.stream().map(ServerMessage.SongLine.class::cast).toList()));
        } else if (!data.isEmpty() && data.stream().allMatch(m -> m instanceof ServerMessage.UserLine)) {
            out.addAll(users(data.stream().map(ServerMessage.UserLine.class::cast).toList()));
        } else if (!data.isEmpty() && data.stream().allMatch(m -> m instanceof ServerMessage.LobbyLine)) {
            out.addAll(lobbies(data.stream().map(ServerMessage.LobbyLine.class::cast).toList()));
        } else if (!data.isEmpty() && data.stream().allMatch(m -> m instanceof ServerMessage.EntryLine)) {
            out.addAll(queue(data.stream().map(ServerMessage.EntryLine.class::cast).toList()));
        } else if (!data.isEmpty() && data.stream().allMatch(m -> m instanceof ServerMessage.WishLine)) {
            out.addAll(wishes(data.stream().map(ServerMessage.WishLine.class::cast).toList()));
        } else {
            for (ServerMessage m : data) {
                out.add(line(m));
            }
        }
        if (reply.finalLine() instanceof ServerMessage.Error e) {
            out.add("error: " + errorText(e));
        } else if (data.isEmpty() || reply.okayDetail() != null) {
            out.add(okay(reply));
        }
        return out;
    }

    /**
     * An ERROR for people: its text (which the protocol requires to be for people and never empty), without the
     * machine code, except when the text is only the code's echo.
     */
    public static String errorText(ServerMessage.Error e) {
        String text = e.text() == null ? "" : e.text().strip();
        if (text.isEmpty()) {
            return e.code().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
        return text;
    }

    private static String okay(Reply reply) {
        String detail = reply.okayDetail();
        if (reply.command() instanceof ClientMessage.Get g) {
            return "ok: " + g.song() + " is in the cache";
        }
        if (reply.command() instanceof ClientMessage.Users) {
            return "(no members)";
        }
        if (reply.command() instanceof ClientMessage.ListSongs) {
            return "(the library is empty)";
        }
        if (reply.command() instanceof ClientMessage.ShowQueue) {
            return "(the queue is empty)";
        }
        if (reply.command() instanceof ClientMessage.ShowWanted) {
            return "(no songs are wanted)";
        }
        if (reply.command() instanceof ClientMessage.Lobbies) {
            return "(no lobbies)";
        }
        return detail == null ? "ok" : "ok " + detail;
    }

    static List<String> songs(List<ServerMessage.SongLine> songs) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "title", "artist", "tags", "length"});
        for (ServerMessage.SongLine s : songs) {
            rows.add(new String[] {"#" + s.id(), s.title(), s.artist().isEmpty() ? "-" : s.artist(),
                    tags(s.tag1(), s.tag2()), Positions.format(s.durationMs())});
        }
        return table(rows, 4);
    }

    static List<String> users(List<ServerMessage.UserLine> users) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"user", "role", "rtt"});
        for (ServerMessage.UserLine u : users) {
            rows.add(new String[] {u.username(), u.role().name().toLowerCase(Locale.ROOT),
                    u.rttMs().isPresent() ? String.format(Locale.ROOT, "%.1f ms", u.rttMs().getAsDouble()) : "-"});
        }
        return table(rows, 2);
    }

    static List<String> lobbies(List<ServerMessage.LobbyLine> lobbies) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"lobby", "members", "pending"});
        for (ServerMessage.LobbyLine l : lobbies) {
            rows.add(new String[] {l.name(), Integer.toString(l.members()), Integer.toString(l.pending())});
        }
        return table(rows, 1, 2);
    }

    static List<String> queue(List<ServerMessage.EntryLine> entries) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", "title", "#", "asked by"});
        for (ServerMessage.EntryLine e : entries) {
            rows.add(new String[] {e.position() + ".", e.title(), "#" + e.songId(), e.requestedBy()});
        }
        return table(rows, 0);
    }

    static List<String> wishes(List<ServerMessage.WishLine> wishes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"title", "artist", "asked by", "lobby"});
        for (ServerMessage.WishLine w : wishes) {
            rows.add(new String[] {w.title(), w.artist().isEmpty() ? "-" : w.artist(), w.requestedBy(), w.lobby()});
        }
        return table(rows);
    }

    /** Lays rows out in columns two spaces apart, indented by two; the listed columns are right-aligned. */
    static List<String> table(List<String[]> rows, int... rightAligned) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], r[c].codePointCount(0, r[c].length()));
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int c = 0; c < columns; c++) {
                int pad = width[c] - r[c].codePointCount(0, r[c].length());
                line.append(' ');
                boolean right = false;
                for (int a : rightAligned) {
                    right |= a == c;
                }
                if (right) {
                    line.append(" ".repeat(pad)).append(r[c]);
                } else {
                    line.append(r[c]);
                    if (c < columns - 1) {
                        line.append(" ".repeat(pad));
                    }
                }
                if (c < columns - 1) {
                    line.append(' ');
                }
            }
            out.add(line.toString().stripTrailing());
        }
        return out;
    }

    public static String line(ServerMessage m) {
        if (m instanceof ServerMessage.LobbyLine l) {
            return lobbies(List.of(l)).get(1);
        }
        if (m instanceof ServerMessage.UserLine u) {
            return users(List.of(u)).get(1);
        }
        if (m instanceof ServerMessage.SongLine s) {
            return songs(List.of(s)).get(1);
        }
        if (m instanceof ServerMessage.EntryLine e) {
            return queue(List.of(e)).get(1);
        }
        if (m instanceof ServerMessage.WishLine w) {
            return wishes(List.of(w)).get(1);
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

    /** A song's tags for people: "rock, 70s", "rock", or "-" when it has none. */
    public static String tags(String tag1, String tag2) {
        boolean one = tag1 != null && !tag1.isEmpty();
        boolean two = tag2 != null && !tag2.isEmpty();
        if (one && two) {
            return tag1 + ", " + tag2;
        }
        return one ? tag1 : two ? tag2 : "-";
    }
}
