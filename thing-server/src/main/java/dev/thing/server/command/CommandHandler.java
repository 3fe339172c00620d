package dev.thing.server.command;

import dev.thing.protocol.ClientMessage;

/** One command: takes its typed message and a context, returns its reply. No sockets here. */
@FunctionalInterface
public interface CommandHandler<M extends ClientMessage> {
    Reply handle(M message, CommandContext context) throws Exception;
}
