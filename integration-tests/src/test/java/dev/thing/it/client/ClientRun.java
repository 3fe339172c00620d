package dev.thing.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.ThingClient;
import dev.thing.client.console.CompletionData;
import dev.thing.client.console.ConsoleIO;
import dev.thing.client.console.JLineConsole;
import dev.thing.client.console.PlainConsole;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.function.Function;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import dev.thing.client.sync.LocalClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One in-process run of the real client ({@link ThingClient#run} with a {@link PlainConsole}, as {@code --script}
 * does over standard input) on its own thread. Standard input is either a fixed script or a stream the test types
 * into line by line ({@link #type}) and ends with {@link #endInput}; standard output is captured.
 */
final class ClientRun implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    private final String name;
    private final Path cacheDir;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final TypedInput typed;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Thread thread;

    private ClientRun(String name, Path cacheDir, ThingClient client, InputStream in, TypedInput typed) {
        this(name, cacheDir, client, typed, out -> data -> new PlainConsole(in, out));
    }

    private ClientRun(String name, Path cacheDir, ThingClient client, TypedInput typed,
                      Function<PrintStream, Function<CompletionData, ConsoleIO>> consoles) {
        this.name = name;
        this.cacheDir = cacheDir;
        this.typed = typed;
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        Function<CompletionData, ConsoleIO> console = consoles.apply(out);
        thread = new Thread(() -> {
            try {
                exit.complete(client.run(console));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, "client-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    static ThingClient.Config config(int port, Path cacheDir, String lobby, String user) {
        return new ThingClient.Config("127.0.0.1", port, cacheDir, 1L << 30, 0, true, lobby, user);
    }

    /** Runs the client over a fixed script: end of input after its last line. */
    static ClientRun script(ThingClient.Config config, ThingClient.Components components, String script) {
        InputStream in = new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8));
        return new ClientRun(config.username(), config.cacheDir(),
                new ThingClient(config, components, LocalClock.SYSTEM), in, null);
    }

    /** Runs the client on an input that stays open until {@link #endInput}. */
    static ClientRun interactive(ThingClient.Config config, ThingClient.Components components) {
        TypedInput in = new TypedInput();
        return new ClientRun(config.username(), config.cacheDir(),
                new ThingClient(config, components, LocalClock.SYSTEM), in, in);
    }

    /**
     * Runs the client with its interactive console (JLine) on a terminal of 80 columns whose keyboard is
     * {@code keys}: what a person at a terminal gets, Ctrl-C and Ctrl-D included.
     */
    static ClientRun terminal(ThingClient.Config config, ThingClient.Components components, PipedOutputStream keys) {
        PipedInputStream keyboard;
        try {
            keyboard = new PipedInputStream(keys, 4096);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new ClientRun(config.username(), config.cacheDir(),
                new ThingClient(config, components, LocalClock.SYSTEM), null, out -> data -> {
                    try {
                        Terminal t = TerminalBuilder.builder().system(false).streams(keyboard, out)
                                .type("xterm").size(new Size(80, 24)).build();
                        // As a tty's line discipline: Ctrl-C is a signal (SIGINT), not a character.
                        org.jline.terminal.Attributes tty = t.getAttributes();
                        tty.setLocalFlag(org.jline.terminal.Attributes.LocalFlag.ISIG, true);
                        tty.setControlChar(org.jline.terminal.Attributes.ControlChar.VINTR, 3);
                        t.setAttributes(tty);
                        return new JLineConsole(t, config.lobby() + "> ", null, data);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
    }

    String name() {
        return name;
    }

    Path cacheDir() {
        return cacheDir;
    }

    /** Types one command line. */
    ClientRun type(String line) {
        typed.add((line + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Ends standard input (the client then sends QUIT and exits). */
    void endInput() {
        typed.end();
    }

    String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    /** Waits until the output holds {@code text}; returns the whole output. */
    String awaitOutput(String text) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!output().contains(text)) {
            if (exit.isDone() && !output().contains(text)) {
                throw new AssertionError(name + " exited (" + exit.getNow(null) + ") without printing '" + text
                        + "'; output:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": no '" + text + "' within " + WAIT + "; output:\n" + output());
            }
            sleep(10);
        }
        return output();
    }

    /** Waits for the exit code. */
    int exitCode() {
        try {
            return exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(name + " did not exit within " + WAIT + "; output:\n" + output());
        } catch (ExecutionException e) {
            throw new AssertionError(name + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Ends input and expects exit code 0. */
    void finishOk() {
        endInput();
        assertThat(exitCode()).as(name + " exit code; output:\n" + output()).isZero();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (typed != null) {
            typed.end();
        }
        try {
            exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            thread.interrupt();
        }
    }

    /** An input stream fed by the test: reads block until a line is typed or the input is ended. */
    static final class TypedInput extends InputStream {
        private static final byte[] END = new byte[0];
        private final LinkedBlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
        private byte[] current;
        private int pos;
        private boolean ended;

        void add(byte[] line) {
            lines.add(line);
        }

        void end() {
            lines.add(END);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (ended) {
                return -1;
            }
            if (current == null || pos == current.length) {
                try {
                    current = lines.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException();
                }
                pos = 0;
                if (current == END) {
                    ended = true;
                    return -1;
                }
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return current == null ? 0 : current.length - pos;
        }
    }
}
