package dev.thing.server.command;

import dev.thing.protocol.Capability;
import dev.thing.server.library.Upload;
import java.util.Collection;
import java.util.Set;

/**
 * What a handler may ask of the connection it serves; the session core carries it out, so every change of
 * state still happens in the core.
 */
public interface SessionControl {
    Set<Capability> capabilities();

    /** Turns capabilities on for this connection. */
    void enable(Collection<Capability> names);

    /** An OKAY that answers a PING. */
    void pingAnswered(String token);

    /** An upload was accepted: the connection now receives its chunks. */
    void receive(Upload upload);

    /** The client said QUIT: its departure is announced as one. */
    void quitting();
}
