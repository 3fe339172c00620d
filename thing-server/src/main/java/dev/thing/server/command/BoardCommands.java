package dev.thing.server.command;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.board.BoardRequest;
import dev.thing.server.lobby.Member;
import dev.thing.server.party.Board;

/**
 * {@code BOARD} and its subcommands: one handler per subcommand, each returning its reply. The board's rules
 * (seats, who may change what, bounds) live in {@link Board}; the lobby runs each change under its lock and
 * tells every member.
 */
final class BoardCommands {
    private BoardCommands() {
    }

    /** The one entry bound to the BOARD declaration: hands each subcommand to its handler. */
    static Reply board(ClientMessage.Board message, CommandContext ctx) {
        BoardRequest request = message.request();
        if (request instanceof BoardRequest.Show) {
            return show(ctx);
        }
        if (request instanceof BoardRequest.Join m) {
            return join(m, ctx);
        }
        if (request instanceof BoardRequest.Leave) {
            return leave(ctx);
        }
        if (request instanceof BoardRequest.Set m) {
            return set(m, ctx);
        }
        if (request instanceof BoardRequest.Clear m) {
            return clear(m, ctx);
        }
        if (request instanceof BoardRequest.Tempo m) {
            return tempo(m, ctx);
        }
        if (request instanceof BoardRequest.Size m) {
            return size(m, ctx);
        }
        if (request instanceof BoardRequest.SetInstrument m) {
            return instrument(m, ctx);
        }
        if (request instanceof BoardRequest.Start) {
            return start(ctx);
        }
        if (request instanceof BoardRequest.Stop) {
            return stop(ctx);
        }
        return mix((BoardRequest.SetMix) request, ctx);
    }

    static Reply show(CommandContext ctx) {
        return Reply.data(ctx.lobby().peekBoard(Board::lines));
    }

    static Reply join(BoardRequest.Join m, CommandContext ctx) {
        Board.Actor actor = actor(ctx);
        ctx.lobby().board((b, now, lead) -> b.join(actor, m.track()));
        return Reply.okay();
    }

    static Reply leave(CommandContext ctx) {
        Board.Actor actor = actor(ctx);
        ctx.lobby().board((b, now, lead) -> b.leave(actor));
        return Reply.okay();
    }

    static Reply set(BoardRequest.Set m, CommandContext ctx) {
        Board.Actor actor = actor(ctx);
        ctx.lobby().board((b, now, lead) -> b.set(actor, m.track(), m.row(), m.cells()));
        return Reply.okay();
    }

    static Reply clear(BoardRequest.Clear m, CommandContext ctx) {
        Board.Actor actor = actor(ctx);
        ctx.lobby().board((b, now, lead) -> b.clear(actor, m.track()));
        return Reply.okay();
    }

    static Reply tempo(BoardRequest.Tempo m, CommandContext ctx) {
        Board.Actor actor = actor(ctx);
        ctx.lobby().board((b, now, lead) -> b.tempo(actor, m.bpm(), now, lead));
        return Reply.okay();
    }

    static Reply size(BoardRequest.Size m, CommandContext ctx) {
        Board.Actor actor = actor(ctx);
        ctx.lobby().board((b, now, lead) -> b.size(actor, m.shape(), now, lead));
        return Reply.okay();
    }

    static Reply instrument(BoardRequest.SetInstrument m, CommandContext ctx) {
        Board.Actor actor = actor(ctx);
        ctx.lobby().board((b, now, lead) -> b.instrument(actor, m.track(), m.instrument()));
        return Reply.okay();
    }

    static Reply start(CommandContext ctx) {
        Board.Actor actor = actor(ctx);
        ctx.lobby().board((b, now, lead) -> b.start(actor, now, lead));
        return Reply.okay();
    }

    static Reply stop(CommandContext ctx) {
        Board.Actor actor = actor(ctx);
        ctx.lobby().board((b, now, lead) -> b.stop(actor));
        return Reply.okay();
    }

    static Reply mix(BoardRequest.SetMix m, CommandContext ctx) {
        Board.Actor actor = actor(ctx);
        ctx.lobby().board((b, now, lead) -> b.mix(actor, m.mix()));
        return Reply.okay();
    }

    private static Board.Actor actor(CommandContext ctx) {
        Member member = ctx.requireMember();
        return new Board.Actor(member.username(), member.actingRole().canModerate());
    }
}
