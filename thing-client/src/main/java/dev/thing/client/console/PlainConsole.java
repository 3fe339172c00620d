package dev.thing.client.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * The console for scripts: commands line by line from a stream, plain output lines, no prompt, no colours, no
 * progress redraws (one line when a progress ends). The stream is read on a daemon thread, one line ahead at most,
 * so that a hang-up (the connection lost) ends {@link #readLine} even while the input has nothing to give.
 */
public final class PlainConsole implements ConsoleIO {
    private static final Object END = new Object();

    private final BufferedReader in;
    private final PrintStream out;
    private final PrintStream err;
    private int lineNumber;
    private final SynchronousQueue<Object> lines = new SynchronousQueue<>();
    private Thread pump;
    private volatile boolean ended;
    private String lastProgress;

    /** Errors and warnings go to {@code out} too. */
    public PlainConsole(InputStream in, PrintStream out) {
        this(in, out, out);
    }

    /**
     * Errors and warnings go to {@code err}; an error while a command line runs names its line number
     * ({@code line 3: error: ...}).
     */
    public PlainConsole(InputStream in, PrintStream out, PrintStream err) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.err = err;
    }

    @Override
    public String readLine() {
        if (ended) {
            return null;
        }
        synchronized (this) {
            if (pump == null) {
                pump = new Thread(this::pumpLines, "thing-client-input");
                pump.setDaemon(true);
                pump.start();
            }
        }
        try {
            while (true) {
                Object line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line == END) {
                    ended = true;
                    return null;
                }
                if (line != null) {
                    synchronized (this) {
                        lineNumber++;
                    }
                    return (String) line;
                }
                if (ended) {
                    return null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void pumpLines() {
        try {
            String line;
            while (!ended && (line = readQuietly()) != null) {
                lines.put(line);
            }
            lines.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String readQuietly() {
        try {
            return in.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void hangUp(String why) {
        if (ended) {
            return;
        }
        ended = true;
        printErr("error: " + why);
    }

    @Override
    public synchronized void println(String text) {
        out.println(text);
        out.flush();
    }

    @Override
    public void notice(String text) {
        println("* " + text);
    }

    @Override
    public void alert(String text) {
        println("! " + text);
    }

    @Override
    public void error(String text) {
        int n;
        synchronized (this) {
            n = lineNumber;
        }
        printErr((n > 0 ? "line " + n + ": " : "") + "error: " + text);
    }

    @Override
    public void warn(String text) {
        printErr("warning: " + text);
    }

    private synchronized void printErr(String text) {
        out.flush();
        err.println(text);
        err.flush();
    }

    @Override
    public synchronized void progress(String text) {
        lastProgress = text;
    }

    @Override
    public synchronized void endProgress() {
        if (lastProgress != null) {
            println(lastProgress);
            lastProgress = null;
        }
    }

    @Override
    public boolean interactive() {
        return false;
    }

    @Override
    public Handle onInterrupt(Runnable action) {
        return () -> { };
    }

    @Override
    public void close() {
        ended = true;
        out.flush();
    }
}
