package dev.thing.client.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The console for scripts: commands line by line from a stream, plain output lines, no prompt, no colours, no
 * progress redraws (one line when a progress ends).
 */
public final class PlainConsole implements ConsoleIO {
    private final BufferedReader in;
    private final PrintStream out;
    private String lastProgress;

    public PlainConsole(InputStream in, PrintStream out) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
    }

    @Override
    public String readLine() {
        try {
            return in.readLine();
        } catch (IOException e) {
            return null;
        }
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
        println("error: " + text);
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
        out.flush();
    }
}
