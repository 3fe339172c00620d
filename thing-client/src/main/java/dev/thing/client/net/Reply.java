package dev.thing.client.net;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Message;
import dev.thing.protocol.ServerMessage;
import java.util.List;
import java.util.Optional;

/**
 * The whole answer to one command: the data lines that belonged to it, then its final line ({@code OKAY [...]} or
 * {@code ERROR ...}). For a GET the final line is the transfer's closing OKAY.
 */
public record Reply(Message command, List<ServerMessage> data, ServerMessage finalLine) {
    public Reply {
        data = List.copyOf(data);
    }

    public boolean ok() {
        return finalLine instanceof Message.Okay;
    }

    public Optional<ServerMessage.Error> error() {
        return finalLine instanceof ServerMessage.Error e ? Optional.of(e) : Optional.empty();
    }

    /** The argument of the final OKAY (the new song's id after an upload), or null. */
    public String okayDetail() {
        return finalLine instanceof Message.Okay o ? o.detail() : null;
    }

    /** The data lines of one type. */
    public <T extends ServerMessage> List<T> data(Class<T> type) {
        return data.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** True for the reply to a command of that type. */
    public boolean isFor(Class<? extends ClientMessage> type) {
        return type.isInstance(command);
    }
}
