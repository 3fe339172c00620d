package dev.thing.it.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server as a separate JVM ({@code dev.thing.server.Main} on this test's class path), so that it can be killed
 * with SIGKILL. Main does not print the port it got for --port 0, so a free port is picked here (bind, close) and
 * passed; a start that loses the race for it is retried on another.
 */
final class ServerProcess implements AutoCloseable {
    final Path library;
    final Path log;
    final int port;
    private final Process process;

    private ServerProcess(Path library, Path log, int port, Process process) {
        this.library = library;
        this.log = log;
        this.port = port;
        this.process = process;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    static ServerProcess start(Path library, Path log, String... extraOptions) throws Exception {
        return startWithHeap(library, log, "256m", extraOptions);
    }

    /** The same with another maximum heap ({@code -Xmx<heap>}). */
    static ServerProcess startWithHeap(Path library, Path log, String heap, String... extraOptions)
            throws Exception {
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-XX:TieredStopAtLevel=1");
            cmd.add("-XX:+UseSerialGC");
            cmd.add("-Xmx" + heap);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add("dev.thing.server.Main");
            cmd.add("--bind");
            cmd.add("127.0.0.1");
            cmd.add("--port");
            cmd.add(Integer.toString(port));
            cmd.add("--library");
            cmd.add(library.toString());
            // No web page: a fixed HTTP port would collide between tests.
            cmd.add("--http-port");
            cmd.add("0");
            cmd.addAll(List.of(extraOptions));
            Files.writeString(log, "---- " + String.join(" ", cmd.subList(cmd.indexOf("dev.thing.server.Main"),
                    cmd.size())) + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            ServerProcess server = new ServerProcess(library, log, port, p);
            try {
                server.awaitReady();
                return server;
            } catch (AssertionError e) {
                server.kill();
                last = e;
            }
        }
        throw last;
    }

    /** Waits until the port greets (generously: JVM start-up on a busy machine). */
    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + ":\n" + logText());
            }
            try (Socket s = new Socket()) {
                s.connect(address(), 2_000);
                s.setSoTimeout(30_000);
                InputStream in = s.getInputStream();
                StringBuilder line = new StringBuilder();
                int b;
                while ((b = in.read()) != -1 && b != '\n') {
                    line.append((char) b);
                }
                if (line.toString().startsWith("NOTIFY THING/1.0")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server did not greet within 90 s:\n" + logText());
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Types a line at the server's console: its standard input (the server must run with --console). */
    void console(String line) throws IOException {
        java.io.OutputStream stdin = process.getOutputStream();
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** Ends the console's input, as Ctrl-D at a terminal does. */
    void closeConsole() throws IOException {
        process.getOutputStream().close();
    }

    /**
     * Waits (generously) until the output, where the log and the console's answers go, holds {@code text} after
     * {@code from} characters; returns where it ends, for the next wait.
     */
    int awaitOutput(int from, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String out = logText();
            int at = out.indexOf(text, Math.min(from, out.length()));
            if (at >= 0) {
                return at + text.length();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server's output did not show '" + text + "' within 60 s:\n"
                + logText().substring(Math.min(from, logText().length())));
    }

    /** Waits (generously) for the process to end by itself; returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("server process did not exit within 60 s:\n" + logText());
        }
        return process.exitValue();
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("server process did not die");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
