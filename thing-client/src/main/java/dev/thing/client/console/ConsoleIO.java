package dev.thing.client.console;

/** Where the user types and reads. Output methods may be called from any thread. */
public interface ConsoleIO extends AutoCloseable {
    /** The next command line; null at the end of input. */
    String readLine();

    /** Ordinary output (a reply, a confirmation). */
    void println(String text);

    /**
     * Ordinary output with {@code text[from, to)} highlighted (inverse video) where the terminal can show it; a
     * script or a dumb terminal gets the text alone.
     */
    default void printHighlighted(String text, int from, int to) {
        println(text);
    }

    /** Something the server said unasked (NOTIFY, a song starting). */
    void notice(String text);

    /** Something needing attention now (a joiner asking to get in). */
    void alert(String text);

    void error(String text);

    /** Something worth knowing that is not a failure (no sound card: playing silently). */
    default void warn(String text) {
        notice("warning: " + text);
    }

    /** Columns available for a line (a table is fitted to them); 0 when lines may be of any length (a script). */
    default int width() {
        return 0;
    }

    /** Clears the screen (a terminal); does nothing elsewhere. */
    default void clear() {
    }

    /**
     * Waits for {@code done} while the user may give up: at a terminal, {@code prompt} is shown and Ctrl-C, Ctrl-D
     * or {@code quit} stop the wait (other lines get {@code hint}); what is typed meanwhile is read, so it does not
     * land in the shell afterwards. Returns true when {@code done} completed, false when the user gave up. Without
     * a terminal it just waits.
     */
    default boolean waitFor(java.util.concurrent.CompletableFuture<?> done, String prompt, String hint) {
        try {
            done.join();
        } catch (RuntimeException e) {
            // completed exceptionally: done all the same
        }
        return true;
    }

    /**
     * Asks a person for a secret without echoing it; null when nobody can be asked (a script), or when the person
     * gave up (Ctrl-C, Ctrl-D).
     */
    default String readPassword(String prompt) {
        return null;
    }

    /** Draws a progress line in place (replacing the previous one). */
    void progress(String text);

    /** The progress line is finished. */
    void endProgress();

    /**
     * The session is over (the connection is gone): shows {@code why} as an error, and makes a {@link #readLine}
     * under way, or the next one, return null. May be called from any thread.
     */
    void hangUp(String why);

    /** True for a person at a terminal, false for a script. */
    boolean interactive();

    /**
     * While the returned handle is open, Ctrl-C runs {@code action} instead of its usual effect.
     * Closing the handle restores the previous behaviour.
     */
    Handle onInterrupt(Runnable action);

    @Override
    void close();

    /** An interrupt registration. */
    interface Handle extends AutoCloseable {
        @Override
        void close();
    }
}
