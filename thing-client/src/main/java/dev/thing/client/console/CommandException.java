package dev.thing.client.console;

/** A typed line that is not a valid command; the message says how to write it. */
public final class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    public CommandException(String message) {
        super(message);
    }
}
