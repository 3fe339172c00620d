package dev.thing.server.command;

import dev.thing.protocol.Capability;
import dev.thing.protocol.Command;
import dev.thing.protocol.Commands;
import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;
import dev.thing.server.ThingException;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.lobby.Lobby;
import java.util.ArrayList;
import java.util.List;

/** Commands about the connection itself: HELP, CAP, QUIT, LOBBIES, TIME, a PING's OKAY, a stray ABORT. */
final class SessionCommands {
    private SessionCommands() {
    }

    static Reply help(ClientMessage.Help message, CommandContext ctx, CommandTable commands) {
        List<ServerMessage> lines = new ArrayList<>();
        if (ctx.member() == null && message.topic() == null) {
            lines.add(new ServerMessage.HelpLine("<lobby> <username> - join a lobby, or create it and be its admin"));
        }
        for (Command<?> command : commands.openTo(ctx.member())) {
            if (message.topic() == null || command.verb().equals(message.topic())) {
                lines.add(new ServerMessage.HelpLine(command.helpLine()));
            }
        }
        if (lines.isEmpty()) {
            // Say what the command is and why it is closed, rather than only that it is.
            lines.add(new ServerMessage.HelpLine(Commands.byVerb(message.topic()).filter(Command::listed)
                    .map(c -> c.helpLine() + " (" + closedBecause(c, ctx) + ")")
                    .orElse("no command " + message.topic() + "; HELP lists the commands open to you")));
        }
        return Reply.data(lines);
    }

    private static String closedBecause(Command<?> command, CommandContext ctx) {
        if (ctx.member() == null) {
            return "join a lobby first";
        }
        if (ctx.member().role() == dev.thing.protocol.Role.PENDING) {
            return "once you are accepted";
        }
        if (!command.standings().contains(ctx.member().standing())) {
            return standingRefusal(command);
        }
        return "for " + command.access().describe() + " only";
    }

    /** Why a command is closed to the caller's standing: "for registered users only", "for guests only". */
    static String standingRefusal(Command<?> command) {
        return command.standings().contains(dev.thing.protocol.Standing.GUEST)
                ? "for guests only: your name is registered already"
                : "for registered users only: REGISTER <password> first";
    }

    static Reply quit(ClientMessage.Quit message, CommandContext ctx) {
        ctx.session().quitting();
        return Reply.okayThenClose();
    }

    /** {@code CAP}: what the server offers; {@code CAP <name>...}: turn those on (the parser refused unknown ones). */
    static Reply cap(ClientMessage.Cap message, CommandContext ctx) {
        if (message.names().isEmpty()) {
            List<ServerMessage> lines = new ArrayList<>();
            for (Capability c : Capability.values()) {
                lines.add(new ServerMessage.CapLine(c.name(), c.description()));
            }
            return Reply.data(lines);
        }
        ctx.session().enable(message.names());
        return Reply.okay();
    }

    /** An OKAY outside a transfer answers a PING; it gets no reply. */
    static Reply okay(Message.Okay message, CommandContext ctx) {
        ctx.session().pingAnswered(message.detail());
        return Reply.none();
    }

    static Reply abort(Message.Abort message, CommandContext ctx) {
        throw new ThingException(ErrorCode.NOT_ALLOWED, "ABORT outside a transfer: nothing to cancel");
    }

    static Reply lobbies(ClientMessage.Lobbies message, CommandContext ctx) {
        List<ServerMessage> lines = new ArrayList<>();
        for (Lobby lobby : ctx.services().lobbies().lobbies()) {
            lines.add(new ServerMessage.LobbyLine(lobby.name(), lobby.memberCount(), lobby.pendingCount()));
        }
        return Reply.list(lines, "there are no lobbies yet");
    }

    static Reply time(ClientMessage.Time message, CommandContext ctx) {
        return Reply.data(List.of(new ServerMessage.TimeReply(message.token(), ctx.services().time().epochMicros())));
    }
}
