package dev.thing.client.console;

import java.util.Collection;

/** What tab completion offers besides command names. */
public interface CompletionData {
    /** Members and pending joiners seen in USERS and NOTIFYs. */
    Collection<String> usernames();

    /** Song titles from the last LIST. */
    Collection<String> titles();
}
