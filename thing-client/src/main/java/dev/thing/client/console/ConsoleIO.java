package dev.thing.client.console;

/** Where the user types and reads. Output methods may be called from any thread. */
public interface ConsoleIO extends AutoCloseable {
    /** The next command line; null at the end of input. */
    String readLine();

    /** Ordinary output (a reply, a confirmation). */
    void println(String text);

    /** Something the server said unasked (NOTIFY, a song starting). */
    void notice(String text);

    /** Something needing attention now (a joiner asking to get in). */
    void alert(String text);

    void error(String text);

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
