package dev.thing.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Runs the THING benchmarks side by side with their peers and prints one table (also written to
 * bench/results.md, with the sync charts in bench/sync-spread.png and bench/sync-spread-symmetric.png, the real-audio
 * one in bench/audio-spread.png). Not tests: nothing passes or fails.
 *
 * <pre>java -jar benchmarks/target/thing-bench.jar [--quick] [--only fanout,upload,library,connections,sync,coldstart,audio]
 *     [--server-jar PATH] [--out DIR] [--client-audio pulse|javasound]</pre>
 */
public final class Benchmarks {
    static final List<String> ALL = List.of("fanout", "upload", "library", "connections", "sync", "coldstart",
            "audio", "web-audio");

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Configurator.setRootLevel(Level.ERROR);
        boolean quick = false;
        Set<String> only = new LinkedHashSet<>(ALL);
        Path serverJar = Path.of("thing-server/target/thing-server.jar");
        Path out = Path.of("bench");
        String clientAudio = "pulse";
        int connections = 0;
        boolean noPeer = false;
        List<Integer> fanoutMembers = List.of();
        List<Integer> uploadConcurrency = List.of();
        List<String> serverJvm = ServerProcess.JVM_OPTIONS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                case "--server-jar" -> serverJar = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--client-audio" -> clientAudio = args[++i];
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--no-peer" -> noPeer = true;
                case "--upload-concurrency" -> uploadConcurrency = Arrays.stream(args[++i].split(","))
                        .map(String::trim).map(Integer::parseInt).toList();
                case "--fanout-members" -> fanoutMembers = Arrays.stream(args[++i].split(","))
                        .map(String::trim).map(Integer::parseInt).toList();
                case "--server-jvm" -> serverJvm = List.of(args[++i].trim().split("\\s+"));
                case "-h", "--help" -> {
                    System.out.println("usage: bench/run [--quick] [--only " + String.join(",", ALL)
                            + "] [--server-jar PATH] [--out DIR] [--client-audio pulse|javasound] [--connections N]"
                            + " [--no-peer] [--server-jvm \"OPTIONS\"] [--fanout-members N,N,...]"
                            + " [--upload-concurrency N,N,...]");
                    System.out.println("  --client-audio: the audio benchmark's clients play with --audio pulse"
                            + " (default) or javasound (the Java Sound path, for comparison)");
                    System.out.println("  --connections N: idle members in the connections benchmark (default 10000,"
                            + " --quick 1000); past about 19,000 raise the open-files limit first (ulimit -n)");
                    System.out.println("  --fanout-members N,N,...: one fan-out run per lobby size (default 1000,"
                            + " --quick 200), for the curve; ngircd gets the same sizes");
                    System.out.println("  --upload-concurrency N,N,...: also N uploads at once (each admin in"
                            + " a lobby of its own) against N raw copies at once, for each N > 1");
                    System.out.println("  --no-peer: skip ngircd (the THING figures alone, for trying changes)");
                    System.out.println("  --server-jvm: the THING server's JVM options instead of the README's ("
                            + String.join(" ", ServerProcess.JVM_OPTIONS) + ")");
                    return;
                }
                default -> {
                    System.err.println("unknown option " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        for (String b : only) {
            if (!ALL.contains(b)) {
                System.err.println("unknown benchmark " + b + "; choose from " + ALL);
                System.exit(2);
            }
        }
        if (!Files.isRegularFile(serverJar)) {
            System.err.println("no server jar at " + serverJar + " (build with mvn -DskipTests package)");
            System.exit(2);
        }
        Path outDir = out;
        Path work = Files.createTempDirectory("thing-bench-");
        BenchContext ctx = new BenchContext(quick, serverJar, work, noPeer ? Optional.empty() : IrcServer.find(),
                connections, serverJvm);
        ctx.noPeer = noPeer;
        ctx.fanoutMembers = fanoutMembers;
        ctx.uploadConcurrency = uploadConcurrency;
        Report report = new Report();
        long start = System.nanoTime();
        ctx.log("THING benchmarks%s; scratch in %s; %s", quick ? " (quick)" : "", work, Report.machine());
        ctx.log("THING servers run as separate JVMs (" + String.join(" ", serverJvm)
                + ") with the per-client rate limit lifted"
                + " (--rate-burst 1000000 --rate-per-second 1000000) and --max-pending 20000");
        if (ctx.ngircd.isEmpty()) {
            ctx.log("%s", ctx.peerSkipped());
        }
        List<String> failures = new ArrayList<>();
        for (String b : only) {
            ctx.log("--- %s ---", b);
            try {
                switch (b) {
                    case "fanout" -> {
                        if (ctx.fanoutMembers.isEmpty()) {
                            new FanOutBench(ctx).run(report);
                        } else {
                            for (int members : ctx.fanoutMembers) {
                                new FanOutBench(ctx, members).run(report);
                            }
                        }
                    }
                    case "upload" -> new UploadBench(ctx).run(report);
                    case "library" -> new LibraryIndexBench(ctx).run(report);
                    case "connections" -> new ConnectionsBench(ctx).run(report);
                    case "sync" -> {
                        new SyncBench(ctx, outDir.resolve("sync-spread.png"), false).run(report);
                        new SyncBench(ctx, outDir.resolve("sync-spread-symmetric.png"), true).run(report);
                    }
                    case "audio" -> new AudioBench(ctx, outDir.resolve("audio-spread.png"),
                            Path.of("thing-client/target/thing-client.jar"), clientAudio).run(report);
                    case "web-audio" -> new WebAudioBench(ctx, Path.of("thing-client/target/thing-client.jar"))
                            .run(report);
                    case "coldstart" -> new ColdStartBench(ctx).run(report);
                    default -> throw new IllegalStateException("not yet");
                }
            } catch (Exception e) {
                ctx.log("%s FAILED: %s", b, e);
                failures.add(b);
                report.add(b, "failed", e.getMessage() == null ? e.toString() : e.getMessage(), "-", "-");
            }
        }
        String elapsed = String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - start) / 1e9);
        String command = "bench/run" + (quick ? " --quick" : "") + (connections > 0 ? " --connections " + connections : "")
                + (noPeer ? " --no-peer" : "")
                + (uploadConcurrency.isEmpty() ? "" : " --upload-concurrency " + uploadConcurrency.stream()
                        .map(String::valueOf).collect(java.util.stream.Collectors.joining(",")))
                + (fanoutMembers.isEmpty() ? "" : " --fanout-members " + fanoutMembers.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(",")))
                + (serverJvm.equals(ServerProcess.JVM_OPTIONS) ? "" : " --server-jvm \"" + String.join(" ", serverJvm) + "\"")
                + (only.equals(new LinkedHashSet<>(ALL)) ? "" : " --only " + String.join(",", only))
                + (clientAudio.equals("pulse") ? "" : " --client-audio " + clientAudio);
        String table = report.markdown(command, elapsed);
        System.out.println();
        System.out.println(table);
        Path results = out.resolve("results.md");
        report.write(results, command, elapsed);
        ctx.log("wrote %s", results);
        if (failures.isEmpty() && System.getenv("THING_BENCH_KEEP") == null) {
            deleteQuietly(work);
        } else {
            ctx.log("scratch (logs) kept in %s", work);
        }
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a scratch folder in /tmp
        }
    }
}
