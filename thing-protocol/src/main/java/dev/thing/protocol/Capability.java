package dev.thing.protocol;

import java.util.Locale;
import java.util.Optional;

/**
 * What a connection may turn on with {@code CAP <name>...}. A connection that turned nothing on (a person in
 * telnet) gets text for people only: no event lines, no song pushed at it, a PING at most once a minute.
 */
public enum Capability {
    EVENTS("structured EVENT lines: members, joiners, your own approval, library deletions"),
    SONGS("be sent each song uploaded in your lobby as a transfer to cache"),
    PING("be PINGed every ping interval, for round-trip time and a tight start lead");

    private final String description;

    Capability(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The capability with this name, any case. */
    public static Optional<Capability> named(String name) {
        for (Capability c : values()) {
            if (c.name().equals(name.toUpperCase(Locale.ROOT))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
