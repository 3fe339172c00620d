package dev.thing.client.console;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.jline.reader.Candidate;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.completer.FileNameCompleter;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * The interactive console: JLine line editing, history (kept in the cache folder), tab completion of commands,
 * usernames and titles; server notifications printed above the prompt so typing is not garbled; the upload's
 * progress line redrawn in place.
 */
public final class JLineConsole implements ConsoleIO {
    private final Terminal terminal;
    private final LineReader reader;
    private final String prompt;
    private String progress;
    private Attributes savedAttributes;
    private volatile boolean hungUp;
    private volatile String hangUpMessage;
    private volatile Thread reading;

    public JLineConsole(String prompt, Path historyFile, CompletionData data) throws IOException {
        this(TerminalBuilder.builder().system(true).build(), prompt, historyFile, data);
    }

    /** On a given terminal (tests drive one over streams); {@code historyFile} may be null for no history. */
    public JLineConsole(Terminal terminal, String prompt, Path historyFile, CompletionData data) {
        this.terminal = terminal;
        DefaultParser parser = new QuotingParser();
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .appName("thing")
                .terminal(terminal)
                .parser(parser)
                .completer(new ThingCompleter(data))
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        if (historyFile != null) {
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        }
        this.reader = builder.build();
        this.prompt = prompt;
        // Outside readLine (which handles it itself) and outside a registered action, Ctrl-C would otherwise kill
        // the JVM: no QUIT, no history saved, the terminal left in whatever mode it was.
        terminal.handle(Terminal.Signal.INT, signal -> { });
    }

    @Override
    public String readLine() {
        while (true) {
            synchronized (this) {
                if (hungUp) {
                    showHangUp();
                    return null;
                }
                reading = Thread.currentThread();
            }
            try {
                return reader.readLine(prompt);
            } catch (UserInterruptException e) {
                // Ctrl-C at the prompt clears the line; 'quit' or Ctrl-D leaves. A hang-up interrupts us too.
            } catch (EndOfFileException e) {
                return null;
            } finally {
                synchronized (this) {
                    reading = null;
                    Thread.interrupted(); // a hang-up's interrupt must not outlive the read
                }
            }
        }
    }

    @Override
    public String readPassword(String passwordPrompt) {
        synchronized (this) {
            if (hungUp) {
                return null;
            }
            reading = Thread.currentThread();
        }
        try {
            // The mask character 0 echoes nothing, as a shell's password prompt does.
            return reader.readLine(passwordPrompt, (char) 0);
        } catch (UserInterruptException | EndOfFileException e) {
            return null;
        } finally {
            synchronized (this) {
                reading = null;
                Thread.interrupted();
            }
        }
    }

    @Override
    public boolean waitFor(CompletableFuture<?> done, String waitPrompt, String hint) {
        Thread me = Thread.currentThread();
        done.whenComplete((r, e) -> {
            synchronized (this) {
                if (reading == me) {
                    me.interrupt(); // JLine ends the read with a UserInterruptException
                }
            }
        });
        try {
            while (true) {
                synchronized (this) {
                    if (done.isDone()) {
                        return true;
                    }
                    reading = me;
                }
                String line;
                try {
                    line = reader.readLine(waitPrompt);
                } catch (UserInterruptException e) {
                    if (done.isDone()) {
                        eraseWaitingPrompt();
                        return true;
                    }
                    return false; // Ctrl-C gives up
                } catch (EndOfFileException e) {
                    return done.isDone();
                } finally {
                    synchronized (this) {
                        reading = null;
                        Thread.interrupted();
                    }
                }
                String word = line.strip().toLowerCase(Locale.ROOT);
                if (word.equals("quit") || word.equals("exit")) {
                    return done.isDone();
                }
                if (!word.isEmpty() && !done.isDone()) {
                    println(hint);
                }
            }
        } finally {
            Thread.interrupted();
        }
    }

    /**
     * The wait ended under the prompt: JLine has left it on its own line ({@code waiting> }) with the cursor below;
     * that line is wiped, so the screen does not go on saying we wait. A terminal without the capabilities keeps it.
     */
    private synchronized void eraseWaitingPrompt() {
        if (terminal.getStringCapability(org.jline.utils.InfoCmp.Capability.cursor_up) == null
                || terminal.getStringCapability(org.jline.utils.InfoCmp.Capability.clr_eol) == null) {
            return;
        }
        terminal.puts(org.jline.utils.InfoCmp.Capability.cursor_up);
        terminal.puts(org.jline.utils.InfoCmp.Capability.carriage_return);
        terminal.puts(org.jline.utils.InfoCmp.Capability.clr_eol);
        terminal.flush();
    }

    @Override
    public int width() {
        int w = terminal.getWidth();
        return w <= 0 ? 80 : w;
    }

    @Override
    public synchronized void clear() {
        terminal.puts(org.jline.utils.InfoCmp.Capability.clear_screen);
        terminal.flush();
    }

    @Override
    public void hangUp(String why) {
        synchronized (this) {
            if (hungUp) {
                return;
            }
            hungUp = true;
            hangUpMessage = why;
            if (progress != null) {
                // An upload cut off by the close: its bar would otherwise be redrawn under the message.
                terminal.writer().print("\r\033[K");
                terminal.flush();
                progress = null;
            }
            if (reading != null) {
                // JLine turns the interrupt into a UserInterruptException; readLine then shows the message below
                // the abandoned prompt.
                reading.interrupt();
                return;
            }
        }
        showHangUp();
    }

    private synchronized void showHangUp() {
        String why = hangUpMessage;
        hangUpMessage = null;
        if (why != null) {
            error(why);
        }
    }

    @Override
    public void println(String text) {
        print(new AttributedString(text));
    }

    @Override
    public void printHighlighted(String text, int from, int to) {
        org.jline.utils.AttributedStringBuilder b = new org.jline.utils.AttributedStringBuilder();
        b.append(text.substring(0, from));
        b.style(AttributedStyle.INVERSE).append(text.substring(from, to)).style(AttributedStyle.DEFAULT);
        b.append(text.substring(to));
        print(b.toAttributedString());
    }

    @Override
    public void notice(String text) {
        print(new AttributedString("* " + text, AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN)));
    }

    @Override
    public void alert(String text) {
        print(new AttributedString(">>> " + text + " <<<",
                AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW).inverse()));
        terminal.puts(org.jline.utils.InfoCmp.Capability.bell);
        terminal.flush();
    }

    @Override
    public void warn(String text) {
        print(new AttributedString("warning: " + text, AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)));
    }

    @Override
    public void error(String text) {
        print(new AttributedString("error: " + text, AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)));
    }

    private synchronized void print(AttributedString text) {
        if (progress != null) {
            terminal.writer().print("\r\033[K");
            terminal.writer().println(text.toAnsi(terminal));
            terminal.writer().print(progress);
            terminal.flush();
        } else {
            reader.printAbove(text);
        }
    }

    @Override
    public synchronized void progress(String text) {
        if (progress == null && savedAttributes == null) {
            // Keys typed (and the ^C that aborts) would be echoed into the line being redrawn.
            savedAttributes = terminal.getAttributes();
            Attributes quiet = new Attributes(savedAttributes);
            quiet.setLocalFlag(Attributes.LocalFlag.ECHO, false);
            quiet.setLocalFlag(Attributes.LocalFlag.ECHOCTL, false);
            terminal.setAttributes(quiet);
        }
        int width = Math.max(20, terminal.getWidth() - 1);
        progress = text.length() > width ? text.substring(0, width) : text;
        terminal.writer().print("\r\033[K" + progress);
        terminal.flush();
    }

    @Override
    public synchronized void endProgress() {
        if (progress != null) {
            terminal.writer().println();
            terminal.flush();
            progress = null;
        }
        if (savedAttributes != null) {
            terminal.setAttributes(savedAttributes);
            savedAttributes = null;
        }
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public Handle onInterrupt(Runnable action) {
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> action.run());
        return () -> terminal.handle(Terminal.Signal.INT, previous);
    }

    @Override
    public void close() {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            // history is a convenience
        }
        drainInput();
        try {
            terminal.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Reads away keys typed but not read (during a wait, or as the client ends), so the shell does not get them. */
    private void drainInput() {
        try {
            Attributes before = terminal.enterRawMode();
            try {
                while (terminal.reader().peek(20) >= 0) {
                    terminal.reader().read();
                }
            } finally {
                terminal.setAttributes(before);
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    /**
     * JLine's parser, except that a completed title with spaces is inserted in double quotes ({@code "Café del
     * Mar"}), as help writes titles, instead of with backslashes; a word already opened with a quote is left to
     * JLine, which closes the quote.
     */
    static final class QuotingParser extends DefaultParser {
        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            ParsedLine parsed = super.parse(line, cursor, context);
            if (context == ParseContext.COMPLETE && parsed instanceof CompletingParsedLine c
                    && !insideQuotes(line, cursor)) {
                return new QuotedCompletion(c);
            }
            return parsed;
        }

        static boolean insideQuotes(String line, int cursor) {
            boolean in = false;
            for (int i = 0; i < Math.min(cursor, line.length()); i++) {
                char ch = line.charAt(i);
                if (ch == '\\') {
                    i++;
                } else if (ch == '"') {
                    in = !in;
                }
            }
            return in;
        }
    }

    /** A parsed line whose completions are quoted when they need it. */
    record QuotedCompletion(CompletingParsedLine d) implements CompletingParsedLine {
        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            String c = candidate.toString();
            if (c.chars().noneMatch(ch -> ch == ' ' || ch == '\t' || ch == '"' || ch == '\\')) {
                return d.escape(candidate, complete);
            }
            String body = c.replace("\\", "\\\\").replace("\"", "\\\"");
            return "\"" + body + (complete ? "\"" : "");
        }

        @Override
        public int rawWordCursor() {
            return d.rawWordCursor();
        }

        @Override
        public int rawWordLength() {
            return d.rawWordLength();
        }

        @Override
        public String word() {
            return d.word();
        }

        @Override
        public int wordCursor() {
            return d.wordCursor();
        }

        @Override
        public int wordIndex() {
            return d.wordIndex();
        }

        @Override
        public List<String> words() {
            return d.words();
        }

        @Override
        public String line() {
            return d.line();
        }

        @Override
        public int cursor() {
            return d.cursor();
        }
    }

    /** Completes command names, then usernames, titles, files or on/off depending on the command. */
    static final class ThingCompleter implements Completer {
        private final CompletionData data;
        private final FileNameCompleter files = new FileNameCompleter();

        ThingCompleter(CompletionData data) {
            this.data = data;
        }

        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            if (line.wordIndex() == 0) {
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (CommandSpec s : CommandSpec.ALL) {
                    if (seen.add(s.name())) {
                        candidates.add(new Candidate(s.name(), s.name(), null, s.description(), null, null, true));
                    }
                }
                return;
            }
            CommandSpec spec = CommandSpec.find(line.words().get(0).toLowerCase(Locale.ROOT)).orElse(null);
            if (spec == null) {
                return;
            }
            switch (spec.arg()) {
                case USER -> {
                    if (line.wordIndex() == 1) {
                        data.usernamesFor(spec.name()).forEach(u -> candidates.add(new Candidate(u)));
                    }
                }
                case SONG -> {
                    // A title completes to one (escaped) word, so it is the first argument; then tag takes a
                    // field and request its --artist option.
                    if (line.wordIndex() == 1) {
                        data.titles().forEach(t -> candidates.add(new Candidate(t, t, null, null, null, null, true)));
                    } else if (line.wordIndex() == 2 && spec.name().equals("tag")) {
                        for (String f : List.of("artist", "tag1", "tag2")) {
                            candidates.add(new Candidate(f));
                        }
                    } else if (line.wordIndex() == 2 && spec.name().equals("request")) {
                        candidates.add(new Candidate("--artist"));
                    }
                }
                case FILE -> {
                    if (line.wordIndex() == 1) {
                        files.complete(reader, line, candidates);
                    } else {
                        for (String o : List.of("--title", "--artist", "--tag1", "--tag2")) {
                            candidates.add(new Candidate(o));
                        }
                    }
                }
                case ON_OFF -> {
                    candidates.add(new Candidate("on"));
                    candidates.add(new Candidate("off"));
                }
                case TOPIC -> {
                    candidates.add(new Candidate("server"));
                    CommandSpec.ALL.stream().map(CommandSpec::name).distinct()
                            .forEach(n -> candidates.add(new Candidate(n)));
                }
                case BOARD -> {
                    if (line.wordIndex() == 1) {
                        CommandSpec.BOARD_WORDS.forEach(w -> candidates.add(new Candidate(w)));
                    } else if (line.wordIndex() == 2 && line.words().get(1).equalsIgnoreCase("mix")) {
                        candidates.add(new Candidate("over"));
                        candidates.add(new Candidate("instead"));
                    } else if (line.wordIndex() == 3 && line.words().get(1).equalsIgnoreCase("instrument")) {
                        dev.thing.protocol.board.Instrument.NAMED.keySet().forEach(n -> candidates.add(new Candidate(n)));
                        candidates.add(new Candidate("drums"));
                    }
                }
                default -> {
                }
            }
        }
    }
}
