package dev.thing.server.command;

import dev.thing.protocol.ClientMessage;

/** A command as HELP shows it, who may use it, and its handler. */
public record CommandSpec<M extends ClientMessage>(String verb, Class<M> type, String usage, String summary,
                                                   Access access, CommandHandler<M> handler) {

    @SuppressWarnings("unchecked")
    public Reply run(ClientMessage message, CommandContext context) throws Exception {
        return handler.handle((M) message, context);
    }
}
