package dev.thing.client.console;

import java.util.Collection;

/** What tab completion offers besides command names. */
public interface CompletionData {
    /** Members and pending joiners seen in USERS and NOTIFYs. */
    Collection<String> usernames();

    /**
     * The names worth offering after {@code command} (accept: who is waiting; kick: members one may kick, never
     * yourself or the admin). All {@link #usernames} unless a source knows better.
     */
    default Collection<String> usernamesFor(String command) {
        return usernames();
    }

    /** Song titles from the last LIST. */
    Collection<String> titles();
}
