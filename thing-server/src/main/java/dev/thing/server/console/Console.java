package dev.thing.server.console;

import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.Tokens;
import dev.thing.server.Jukebox;
import dev.thing.server.Services;
import dev.thing.server.dispatch.ErrorReplies;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The server's console: operator commands read line by line from an input stream (standard input, with
 * {@code --console}) on a daemon thread of its own, never an I/O thread, and answered in text for people on a
 * print stream. A line is cut into tokens by the protocol's rules ({@link Tokens}: quotes for titles and text with
 * spaces); what each command does is in {@link ConsoleCommands}. An answer is one or more lines; a refusal or
 * failure is one line starting {@code error:}, from the same place as the protocol's ERROR lines
 * ({@link ErrorReplies}), never a stack trace. The end of the input stops the console only: the server runs on.
 */
public final class Console {
    private static final Logger LOG = LogManager.getLogger(Console.class);
    /** The longest line the console takes (a typing accident or a pasted file, not a command). */
    static final int MAX_LINE_CHARS = 8192;

    private final ConsoleCommands commands;
    private final PrintStream out;

    /**
     * A console over the live server's rooms; {@code quit} is what the {@code quit} command runs (the same clean
     * shutdown as SIGTERM, in {@link dev.thing.server.Main}).
     */
    public Console(Services services, Jukebox jukebox, PrintStream out, Runnable quit) {
        this.commands = new ConsoleCommands(services, jukebox, quit);
        this.out = out;
    }

    /** Starts reading {@code in} on the daemon thread "thing-console"; returns that thread. */
    public Thread start(InputStream in) {
        Thread t = new Thread(() -> readAll(in), "thing-console");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Runs every line of {@code in}, answering each, until its end. */
    void readAll(InputStream in) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                String answer = run(line);
                if (!answer.isEmpty()) {
                    out.println(answer);
                    out.flush();
                }
            }
            out.println("console: end of input; the console stops reading, the server keeps running (stop it "
                    + "with SIGTERM or Ctrl-C)");
            out.flush();
            LOG.info("the console's input ended; the server keeps running");
        } catch (IOException e) {
            LOG.warn("the console cannot read its input any more ({}); the server keeps running", e.toString());
        }
    }

    /** The answer to one line, for people; empty for a blank line. Never throws. */
    public String run(String line) {
        if (line.length() > MAX_LINE_CHARS) {
            return "error: the line is " + line.length() + " characters long; the console takes at most "
                    + MAX_LINE_CHARS;
        }
        try {
            List<String> tokens = Tokens.split(line);
            if (tokens.isEmpty()) {
                return "";
            }
            String verb = tokens.get(0).toLowerCase(Locale.ROOT);
            ConsoleCommands.Command command = commands.byVerb(verb);
            if (command == null) {
                return "error: no console command " + Tokens.quote(tokens.get(0)) + "; help lists them";
            }
            String answer = command.handler().run(new ConsoleCommands.Line(tokens.subList(1, tokens.size()), line,
                    command));
            if (command.staffAction()) {
                ConsoleCommands.logAction(line.strip());
            }
            return answer;
        } catch (Exception e) {
            ServerMessage.Error error = ErrorReplies.of(e);
            return "error: " + error.text();
        }
    }
}
