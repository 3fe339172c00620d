package dev.thing.protocol;

/**
 * Who may use a command: in which connection states (before the join line, while waiting for approval, as a
 * member) and, for members, from which role up. Part of each command's one declaration in {@link Commands}; the
 * server checks it before any handler runs, and HELP lists from it.
 */
public enum Access {
    /** Before joining, while waiting for approval, and as a member of any role (HELP, QUIT, CAP, a PING's OKAY). */
    ALWAYS(true, true, Role.USER),
    /** Before joining and as a member, but not while waiting for approval (LOBBIES). */
    NOT_PENDING(true, false, Role.USER),
    /** Accepted members of a lobby. */
    MEMBER(false, false, Role.USER),
    /** The ADMIN and MODERATORs. */
    MODERATOR(false, false, Role.MODERATOR),
    /** The ADMIN only. */
    ADMIN(false, false, Role.ADMIN);

    private final boolean beforeJoin;
    private final boolean whilePending;
    private final Role least;

    Access(boolean beforeJoin, boolean whilePending, Role least) {
        this.beforeJoin = beforeJoin;
        this.whilePending = whilePending;
        this.least = least;
    }

    /** May a connection that has not sent its join line yet use it? */
    public boolean beforeJoin() {
        return beforeJoin;
    }

    /** May a joiner still waiting for approval use it? */
    public boolean whilePending() {
        return whilePending;
    }

    /** May an accepted member with this role use it? */
    public boolean allows(Role role) {
        if (role == Role.PENDING) {
            return whilePending;
        }
        return switch (least) {
            case ADMIN -> role == Role.ADMIN;
            case MODERATOR -> role.canModerate();
            default -> true;
        };
    }

    /** Who may use it, for refusals: "is for the admin and moderators". */
    public String describe() {
        return switch (this) {
            case ALWAYS, NOT_PENDING, MEMBER -> "members";
            case MODERATOR -> "the admin and moderators";
            case ADMIN -> "the admin";
        };
    }
}
