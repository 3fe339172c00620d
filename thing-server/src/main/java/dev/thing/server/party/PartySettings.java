package dev.thing.server.party;

/**
 * A party's settings.
 *
 * @param queueLimit          how many songs the queue holds at most (default 100)
 * @param autoplay            whether a random library song follows when the queue runs dry (default off)
 * @param perRequesterLimit   how many songs one person may have in the queue at once (default 10)
 * @param voteShare           skip votes must be more than this percentage of the members present (0-99, default 50)
 */
public record PartySettings(int queueLimit, boolean autoplay, int perRequesterLimit, int voteShare) {
    public static final int DEFAULT_QUEUE_LIMIT = 100;
    public static final boolean DEFAULT_AUTOPLAY = false;
    public static final int DEFAULT_PER_REQUESTER_LIMIT = 10;
    public static final int DEFAULT_VOTE_SHARE = 50;
    public static final PartySettings DEFAULTS = new PartySettings(DEFAULT_QUEUE_LIMIT, DEFAULT_AUTOPLAY);

    public PartySettings {
        if (queueLimit < 1) {
            throw new IllegalArgumentException("queueLimit < 1: " + queueLimit);
        }
        if (perRequesterLimit < 1) {
            throw new IllegalArgumentException("perRequesterLimit < 1: " + perRequesterLimit);
        }
        if (voteShare < 0 || voteShare > 99) {
            throw new IllegalArgumentException("voteShare outside 0-99: " + voteShare);
        }
    }

    /** A queue limit and autoplay, with the default per-person cap and vote share. */
    public PartySettings(int queueLimit, boolean autoplay) {
        this(queueLimit, autoplay, Math.min(queueLimit, DEFAULT_PER_REQUESTER_LIMIT), DEFAULT_VOTE_SHARE);
    }
}
