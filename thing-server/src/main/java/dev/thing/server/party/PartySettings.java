package dev.thing.server.party;

/**
 * A party's settings.
 *
 * @param queueLimit how many songs the queue holds at most (default 100)
 * @param autoplay   whether a random library song follows when the queue runs dry (default off)
 */
public record PartySettings(int queueLimit, boolean autoplay) {
    public static final int DEFAULT_QUEUE_LIMIT = 100;
    public static final boolean DEFAULT_AUTOPLAY = false;
    public static final PartySettings DEFAULTS = new PartySettings(DEFAULT_QUEUE_LIMIT, DEFAULT_AUTOPLAY);

    public PartySettings {
        if (queueLimit < 1) {
            throw new IllegalArgumentException("queueLimit < 1: " + queueLimit);
        }
    }
}
