package dev.thing.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What every benchmark needs: sizes (full or quick), where things are, progress output. */
public final class BenchContext {
    final boolean quick;
    final Path serverJar;
    final Path workDir;
    final Optional<Path> ngircd;
    /** Idle members in the connections benchmark; 0: its default. */
    final int connections;
    /** The THING server's JVM options. */
    final List<String> serverJvm;
    /** True when the peers were skipped on purpose (--no-peer), not for want of ngircd. */
    boolean noPeer;
    /** Member counts for the fan-out benchmark, one run each (empty: its default). */
    List<Integer> fanoutMembers = List.of();
    /** Concurrent uploads for the upload benchmark's curve, beside its single upload (empty: the single one). */
    List<Integer> uploadConcurrency = List.of();
    private final long startNanos = System.nanoTime();

    /** Why the IRC comparison is missing. */
    String peerSkipped() {
        return noPeer ? "--no-peer: IRC comparison skipped"
                : "ngircd not installed (apt-get install ngircd): IRC comparison skipped";
    }

    BenchContext(boolean quick, Path serverJar, Path workDir, Optional<Path> ngircd, int connections,
                 List<String> serverJvm) {
        this.quick = quick;
        this.serverJar = serverJar;
        this.workDir = workDir;
        this.ngircd = ngircd;
        this.connections = connections;
        this.serverJvm = serverJvm;
    }

    /** A progress line on stderr, with the time since the start. */
    void log(String format, Object... args) {
        double s = (System.nanoTime() - startNanos) / 1e9;
        System.err.printf(Locale.ROOT, "[%6.1fs] %s%n", s, String.format(Locale.ROOT, format, args));
        System.err.flush();
    }

    ServerProcess startServer(String name, List<String> extra) throws IOException, InterruptedException {
        ServerProcess s = ServerProcess.start(serverJar, serverJvm, workDir.resolve(name), extra);
        log("%s: THING server pid %d on 127.0.0.1:%d", name, s.pid(), s.port());
        return s;
    }

    /** A fixture MP3 shipped in the jar (fixtures/NAME). */
    static byte[] fixture(String name) throws IOException {
        try (InputStream in = BenchContext.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IOException("fixture " + name + " missing from the jar");
            }
            return in.readAllBytes();
        }
    }
}
