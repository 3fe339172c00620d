package dev.thing.server.command;

import dev.thing.protocol.Role;

/** Who may use a command. The dispatcher checks this before the handler runs, in one place. */
public enum Access {
    /** Anyone, before joining too. */
    ANYONE,
    /** Pending joiners too (HELP, QUIT). */
    PENDING,
    /** Accepted members of a lobby. */
    MEMBER,
    /** The ADMIN and MODERATORs. */
    MODERATOR,
    /** The ADMIN only. */
    ADMIN;

    public boolean allows(Role role) {
        return switch (this) {
            case ANYONE, PENDING -> true;
            case MEMBER -> role != Role.PENDING;
            case MODERATOR -> role.canModerate();
            case ADMIN -> role == Role.ADMIN;
        };
    }

    public String describe() {
        return switch (this) {
            case ANYONE, PENDING, MEMBER -> "members";
            case MODERATOR -> "the admin and moderators";
            case ADMIN -> "the admin";
        };
    }
}
