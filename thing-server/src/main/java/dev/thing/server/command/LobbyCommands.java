package dev.thing.server.command;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.lobby.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Commands about people: USERS, ACCEPT, REJECT, PROMOTE, DEMOTE, KICK. */
final class LobbyCommands {
    private LobbyCommands() {
    }

    static Reply users(ClientMessage.Users message, CommandContext ctx) {
        List<ServerMessage> lines = new ArrayList<>();
        for (Member m : ctx.lobby().everyone()) {
            lines.add(line(m));
        }
        if (ctx.member().role().canModerate()) {
            for (Member m : ctx.lobby().pendingJoiners()) {
                lines.add(line(m));
            }
        }
        return Reply.data(lines);
    }

    private static ServerMessage line(Member m) {
        OptionalLong rtt = m.rtt().lastMicros();
        if (m.isAway()) {
            return new ServerMessage.UserLine(m.username(), m.role(), OptionalDouble.empty(), true);
        }
        return new ServerMessage.UserLine(m.username(), m.role(),
                rtt.isPresent() ? OptionalDouble.of(rtt.getAsLong() / 1000.0) : OptionalDouble.empty());
    }

    static Reply accept(ClientMessage.Accept message, CommandContext ctx) {
        ctx.services().lobbies().accept(ctx.member(), message.username());
        return Reply.okay();
    }

    static Reply reject(ClientMessage.Reject message, CommandContext ctx) {
        ctx.services().lobbies().reject(ctx.member(), message.username());
        return Reply.okay();
    }

    static Reply promote(ClientMessage.Promote message, CommandContext ctx) {
        ctx.services().lobbies().promote(ctx.member(), message.username());
        return Reply.okay();
    }

    static Reply demote(ClientMessage.Demote message, CommandContext ctx) {
        ctx.services().lobbies().demote(ctx.member(), message.username());
        return Reply.okay();
    }

    static Reply kick(ClientMessage.Kick message, CommandContext ctx) {
        ctx.services().lobbies().kick(ctx.member(), message.username());
        return Reply.okay();
    }

    static Reply claim(ClientMessage.Claim message, CommandContext ctx) {
        ctx.services().lobbies().claim(ctx.requireMember());
        return Reply.okay();
    }

    static Reply unclaim(ClientMessage.Unclaim message, CommandContext ctx) {
        ctx.services().lobbies().unclaim(ctx.requireMember());
        return Reply.okay();
    }

    static Reply ban(ClientMessage.Ban message, CommandContext ctx) {
        ctx.services().lobbies().ban(ctx.requireMember(), message.username());
        return Reply.okay();
    }

    static Reply unban(ClientMessage.Unban message, CommandContext ctx) {
        ctx.services().lobbies().unban(ctx.requireMember(), message.username());
        return Reply.okay();
    }

    /** The lobby's bans, oldest first; an empty list says so in a NOTIFY before the OKAY (for telnet). */
    static Reply bans(ClientMessage.ShowBans message, CommandContext ctx) {
        List<ServerMessage> lines = new ArrayList<>();
        for (dev.thing.server.lobby.Ban ban : ctx.lobby().bans()) {
            lines.add(new ServerMessage.BanLine(ban.username(), ban.scope(), ban.bannedBy()));
        }
        if (lines.isEmpty()) {
            ctx.member().send(new ServerMessage.Notify("no bans in " + ctx.lobby().name()));
        }
        return Reply.data(lines);
    }
}
