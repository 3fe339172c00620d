package dev.thing.server.command;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.lobby.Lobby;
import java.util.ArrayList;
import java.util.List;

/** Commands about the connection itself: HELP, QUIT, LOBBIES, TIME. */
final class SessionCommands {
    private SessionCommands() {
    }

    static Reply help(ClientMessage.Help message, CommandContext ctx, Commands commands) {
        List<ServerMessage> lines = new ArrayList<>();
        if (ctx.member() == null) {
            lines.add(new ServerMessage.HelpLine("<lobby> <username> - join a lobby, or create it and be its admin"));
        }
        for (CommandSpec<?> spec : commands.openTo(ctx.member())) {
            if (message.topic() == null || spec.verb().equals(message.topic())) {
                lines.add(new ServerMessage.HelpLine(spec.usage() + " - " + spec.summary()));
            }
        }
        if (ctx.member() != null && ctx.member().role() == dev.thing.protocol.Role.ADMIN
                && (message.topic() == null || message.topic().equals("SEND"))) {
            lines.add(new ServerMessage.HelpLine(Commands.SEND_USAGE));
        }
        if (lines.isEmpty()) {
            lines.add(new ServerMessage.HelpLine("no command " + message.topic() + " is open to you"));
        }
        return Reply.data(lines);
    }

    static Reply quit(ClientMessage.Quit message, CommandContext ctx) {
        return Reply.okayThenClose();
    }

    static Reply lobbies(ClientMessage.Lobbies message, CommandContext ctx) {
        List<ServerMessage> lines = new ArrayList<>();
        for (Lobby lobby : ctx.services().lobbies().lobbies()) {
            lines.add(new ServerMessage.LobbyLine(lobby.name(), lobby.memberCount(), lobby.pendingCount()));
        }
        return Reply.data(lines);
    }

    static Reply time(ClientMessage.Time message, CommandContext ctx) {
        return Reply.data(List.of(new ServerMessage.TimeReply(message.token(), ctx.services().time().epochMicros())));
    }
}
