package dev.thing.server.lobby;

/** What came of a {@code <lobby> <username>} line. */
public sealed interface JoinResult {
    /** The lobby was new: the joiner created it and is its ADMIN. */
    record Created(Member member) implements JoinResult {
    }

    /** The lobby exists: the joiner waits for an ADMIN or MODERATOR. */
    record Pending(Member member) implements JoinResult {
    }

    /** The lobby exists and the joiner needed no approval (its owner, a moderator by account, an operator). */
    record Entered(Member member) implements JoinResult {
    }

    /**
     * A member came back to its kept place (RFC 3.15) as {@code member}; {@code kept} is who held it until now (its
     * old connection). The lobby has sent the OKAY.
     */
    record Returned(Member member, Member kept) implements JoinResult {
    }

    /**
     * The name is in use in that lobby; {@code awayUntilUs} is when the grace of its away holder runs out, or 0
     * when its holder is here (or waiting for approval).
     */
    record Taken(long awayUntilUs) implements JoinResult {
        public Taken() {
            this(0);
        }
    }
}
