package dev.thing.client.console;

import dev.thing.client.net.Reply;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Positions;
import dev.thing.protocol.ServerMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jline.utils.WCWidth;

/** Turns a reply into lines for people: listings as aligned tables with a header, errors as their text. */
public final class Renderer {
    private Renderer() {
    }

    public static List<String> render(Reply reply) {
        return render(reply, 0);
    }

    /**
     * The reply's lines; a song table is fitted to {@code width} columns (0: any width) by shortening the title,
     * artist and tags columns with an ellipsis, so that no row wraps.
     */
    public static List<String> render(Reply reply, int width) {
        List<String> out = new ArrayList<>();
        List<ServerMessage> data = reply.data();
        if (!data.isEmpty() && data.stream().allMatch(m -> m instanceof ServerMessage.SongLine)) {
            out.addAll(songs(data.stream().map(ServerMessage.SongLine.class::cast).toList(), width));
        } else if (!data.isEmpty() && data.stream().allMatch(m -> m instanceof ServerMessage.UserLine)) {
            out.addAll(users(data.stream().map(ServerMessage.UserLine.class::cast).toList()));
        } else if (!data.isEmpty() && data.stream().allMatch(m -> m instanceof ServerMessage.LobbyLine)) {
            out.addAll(lobbies(data.stream().map(ServerMessage.LobbyLine.class::cast).toList()));
        } else if (!data.isEmpty() && data.stream().allMatch(m -> m instanceof ServerMessage.EntryLine)) {
            out.addAll(queue(data.stream().map(ServerMessage.EntryLine.class::cast).toList()));
        } else if (!data.isEmpty() && data.stream().allMatch(m -> m instanceof ServerMessage.BanLine)) {
            out.addAll(bans(data.stream().map(ServerMessage.BanLine.class::cast).toList()));
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
        return songs(songs, 0);
    }

    static List<String> songs(List<ServerMessage.SongLine> songs, int width) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "title", "artist", "tags", "length"});
        for (ServerMessage.SongLine s : songs) {
            rows.add(new String[] {"#" + s.id(), s.title(), s.artist().isEmpty() ? "-" : s.artist(),
                    tags(s.tag1(), s.tag2()), Positions.format(s.durationMs())});
        }
        return fitted(rows, width, new int[] {1, 2, 3}, 4);
    }

    static List<String> users(List<ServerMessage.UserLine> users) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"user", "role", "rtt"});
        for (ServerMessage.UserLine u : users) {
            rows.add(new String[] {u.username(), u.role().name().toLowerCase(Locale.ROOT),
                    u.away() ? "away (place kept)"
                            : u.rttMs().isPresent() ? String.format(Locale.ROOT, "%.1f ms", u.rttMs().getAsDouble())
                            : "-"});
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

    static List<String> bans(List<ServerMessage.BanLine> bans) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"banned", "barred", "by"});
        for (ServerMessage.BanLine b : bans) {
            rows.add(new String[] {b.username(), b.scope().equals("account") ? "account" : "from " + b.scope(),
                    b.bannedBy()});
        }
        return table(rows);
    }

    /** Lays rows out in columns two spaces apart, indented by two; the listed columns are right-aligned. */
    static List<String> table(List<String[]> rows, int... rightAligned) {
        return fitted(rows, 0, new int[0], rightAligned);
    }

    /**
     * As {@link #table}, in at most {@code maxWidth} terminal columns (0: no limit): the {@code shrinkable} columns
     * give up width, the widest first, down to their header's width, and cells too long for theirs end in "…".
     * Widths are display widths (a CJK character or an emoji takes two columns).
     */
    static List<String> fitted(List<String[]> rows, int maxWidth, int[] shrinkable, int... rightAligned) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], displayWidth(r[c]));
            }
        }
        if (maxWidth > 0) {
            int total = 2 + 2 * (columns - 1);
            for (int w : width) {
                total += w;
            }
            while (total > maxWidth) {
                int widest = -1;
                for (int c : shrinkable) {
                    int min = Math.max(3, displayWidth(rows.get(0)[c]));
                    if (width[c] > min && (widest < 0 || width[c] > width[widest])) {
                        widest = c;
                    }
                }
                if (widest < 0) {
                    break; // nothing left to shorten
                }
                width[widest]--;
                total--;
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] row : rows) {
            String[] r = row.clone();
            for (int c = 0; c < columns; c++) {
                r[c] = truncate(r[c], width[c]);
            }
            StringBuilder line = new StringBuilder(" ");
            for (int c = 0; c < columns; c++) {
                int pad = width[c] - displayWidth(r[c]);
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

    /** How many terminal columns a text takes (JLine's wcwidth: wide CJK and emoji 2, combining marks 0). */
    public static int displayWidth(String text) {
        int w = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            w += Math.max(0, WCWidth.wcwidth(cp));
            i += Character.charCount(cp);
        }
        return w;
    }

    /** The text cut to {@code width} columns, ending in "…" when it had to be cut. */
    public static String truncate(String text, int width) {
        if (displayWidth(text) <= width) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int w = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int cw = Math.max(0, WCWidth.wcwidth(cp));
            if (w + cw > width - 1) {
                break;
            }
            out.appendCodePoint(cp);
            w += cw;
            i += Character.charCount(cp);
        }
        return out.append('…').toString();
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
        if (m instanceof ServerMessage.BanLine b) {
            return bans(List.of(b)).get(1);
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
