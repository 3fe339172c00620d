package dev.thing.client.console;

import dev.thing.protocol.ClientMessage;
import java.nio.file.Path;

/** What one line typed by the user asks for. */
public sealed interface Command {
    /** A protocol command, sent as is; its reply is shown. */
    record Send(ClientMessage message) implements Command {
    }

    /** {@code upload <file> [--title T] [--artist A] [--tag1 X] [--tag2 Y]}; null fields come from the ID3 tags. */
    record Upload(Path file, String title, String artist, String tag1, String tag2) implements Command {
    }

    /** The client's own help; topic null for the list of commands. */
    record Help(String topic) implements Command {
    }

    /** Song, position, clock offset, RTT, drift. */
    record Status() implements Command {
    }

    /** Clears the screen. */
    record Clear() implements Command {
    }

    /** {@code seek +0:10} / {@code seek -0:10}: a jump relative to where the lobby's song is now. */
    record SeekBy(long deltaMs) implements Command {
    }

    /** {@code board}: draws the lobby's board as the client knows it (from the server's board events). */
    record ShowBoard() implements Command {
    }

    /** QUIT, then exit. */
    record Quit() implements Command {
    }
}
