package dev.thing.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The THING server under test, as its own JVM ({@code java <JVM_OPTIONS> -jar thing-server.jar}, the README's start
 * command), so that its memory can be read from outside: RSS from /proc, heap through jcmd.
 */
public final class ServerProcess implements AutoCloseable {
    /** The rate limit is lifted for benchmarks: one admin ACCEPTs hundreds of joiners in one go. */
    public static final List<String> BENCH_OPTIONS = List.of("--max-connections", "30000", "--max-pending", "20000",
            "--rate-burst", "1000000", "--rate-per-second", "1000000", "--log-level", "WARN");

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * The JVM options of the README's start command, with which the server is measured (an operator who starts it
     * as the README says gets the figures of the table). The serial collector with a fixed 24 MiB young generation
     * and a heap that grows only 20-40 % past what is live: an idle member holds about 3.5 KiB of live heap, and
     * with the JVM's defaults on a machine with plenty of RAM (G1, an initial heap of 1/64 of it) the heap's
     * headroom, touched as the young generation cycles through it, cost 15-30 KiB of RSS a member.
     */
    public static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmn24m",
            "-XX:MinHeapFreeRatio=20", "-XX:MaxHeapFreeRatio=40");

    /** Starts a server on a free loopback port with a fresh library in {@code dir}; extra options are appended. */
    public static ServerProcess start(Path jar, List<String> jvm, Path dir, List<String> extra)
            throws IOException, InterruptedException {
        int port = Net.freePort();
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin());
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", jar.toString(),
                "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--library", dir.resolve("library").toString()));
        if (!extra.contains("--http-port")) {
            cmd.addAll(List.of("--http-port", "0")); // no page unless a benchmark asks for one
        }
        cmd.addAll(BENCH_OPTIONS);
        cmd.addAll(extra);
        Path log = dir.resolve("server.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServerProcess s = new ServerProcess(p, port, log);
        try {
            Net.awaitListening(port, 30_000, p);
        } catch (IOException e) {
            s.close();
            throw new IOException("THING server did not start (" + e.getMessage() + "); see " + log, e);
        }
        return s;
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public InetSocketAddress address() {
        return Net.loopback(port);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Resident set size in KiB, from /proc/<pid>/status (VmRSS). */
    public OptionalLong rssKib() {
        return Proc.rssKib(pid());
    }

    /** The heap after a full GC (jcmd GC.run, then GC.heap_info). */
    public record Heap(long usedKib, String collector) {
    }

    /** Heap in use after a full collection, through jcmd; empty when jcmd is missing or fails. */
    public java.util.Optional<Heap> heapAfterGc() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return java.util.Optional.empty();
        }
        try {
            run(jcmd.toString(), Long.toString(pid()), "GC.run");
            String info = run(jcmd.toString(), Long.toString(pid()), "GC.heap_info");
            // e.g. " garbage-first heap   total 258048K, used 24411K [...]" or " def new generation total ..., used ..."
            long used = 0;
            Matcher m = Pattern.compile("(?m)^\\s*(\\S[^\\n]*?)\\s+total\\s+\\d+K, used (\\d+)K").matcher(info);
            String collector = null;
            boolean g1 = info.contains("garbage-first heap");
            while (m.find()) {
                if (collector == null) {
                    collector = m.group(1).trim();
                }
                used += Long.parseLong(m.group(2));
                if (g1) {
                    break; // G1 prints one line for the whole heap
                }
            }
            if (collector == null) {
                return java.util.Optional.empty();
            }
            String name = g1 ? "G1" : collector.toLowerCase(Locale.ROOT).contains("def new") ? "Serial"
                    : collector.toLowerCase(Locale.ROOT).contains("psyoung") ? "Parallel" : collector;
            return java.util.Optional.of(new Heap(used, name));
        } catch (IOException | InterruptedException e) {
            return java.util.Optional.empty();
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    public Path log() {
        return log;
    }

    /** SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
