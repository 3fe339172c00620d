package dev.thing.bench;

import dev.thing.protocol.ClientMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In sync at the speaker: N (8) real client processes (the shipped thing-client.jar with {@code --audio pulse}: libpulse
 * through JNA; or, for comparison, {@code --audio javasound}: Java Sound through ALSA's pulse plugin) play through a
 * private PulseAudio daemon, each routed to its own channel of one N-channel null sink (module-remap-sink per client,
 * PULSE_SINK; ALSA pointed at PulseAudio by a HOME-local .asoundrc, for the clients only). The sink's monitor is recorded (parec with an explicit channel map and no remixing) and the onsets of a
 * click track found per channel, so what is compared is what each client really played, on one sample clock.
 *
 * <p>Measured: the start spread of each PLAY (max - min of the first click's onset over the channels; the first
 * PLAY after the clients start included), then the spread of every click along one 3-minute song, and the
 * corrections each client made (from its log: single samples dropped/repeated, jumps).
 */
final class AudioBench {
    static final int CLIENTS = 8;
    static final int RATE = 44_100;
    static final String SONG = "click-180";
    static final String PACKAGES = "pulseaudio pulseaudio-utils libasound2-plugins";
    /** The first click sounds this long after the song's start (a sound server may cut a stream's first ms). */
    static final double FIRST_CLICK_S = 0.5;
    static final double START_TARGET_P50_MS = 1;
    static final double START_TARGET_MAX_MS = 5;
    static final double SONG_TARGET_P99_MS = 2;

    private static final Pattern ENDED = Pattern.compile(Pattern.quote(SONG)
            + ": ended; drift ([-+0-9.]+) ms; rate corrections (\\d+) samples dropped, (\\d+) repeated; jumps (\\d+)"
            + " \\(largest ([-+0-9.]+) ms\\)");
    private static final Pattern JUMP = Pattern.compile(": ([-+0-9.]+) ms (behind, jumping ahead|ahead, inserting"
            + " silence)");
    private static final Pattern REMEASURED = Pattern.compile("start " + Pattern.quote(SONG)
            + " re-measured: \\S+ us server time \\(([-+0-9.]+) ms off\\)");

    private final BenchContext ctx;
    private final Path chart;
    private final int plays;
    private final int longSeconds;
    private final Path clientJar;
    /** The clients' --audio: pulse (the default) or javasound (the path measured before the PulseAudio sink). */
    private final String output;

    AudioBench(BenchContext ctx, Path chart, Path clientJar, String output) {
        if (!output.equals("pulse") && !output.equals("javasound")) {
            throw new IllegalArgumentException("--client-audio takes pulse or javasound, not " + output);
        }
        this.output = output;
        this.ctx = ctx;
        this.chart = chart;
        this.plays = ctx.quick ? 6 : 24;
        this.longSeconds = ctx.quick ? 40 : 180;
        this.clientJar = clientJar;
    }

    void run(Report report) throws Exception {
        String bench = "audio: " + CLIENTS + " client processes, " + (output.equals("pulse")
                ? "--audio pulse (libpulse)" : "--audio javasound (ALSA pulse plugin)");
        List<String> missing = missingTools();
        if (!missing.isEmpty() && isRoot()) {
            ctx.log("audio: installing %s (missing: %s)", PACKAGES, String.join(", ", missing));
            install();
            missing = missingTools();
        }
        if (!missing.isEmpty()) {
            String line = "audio: skipped: missing " + String.join(", ", missing) + " (apt-get install " + PACKAGES
                    + ")";
            ctx.log("%s", line);
            report.add(bench, "skipped", line, "-", "-");
            return;
        }
        if (!Files.isRegularFile(clientJar)) {
            throw new IOException("no client jar at " + clientJar + " (build with mvn -DskipTests package)");
        }
        Path dir = ctx.workDir.resolve("audio");
        Files.createDirectories(dir);
        List<Process> clients = new ArrayList<>();
        Process pulse = null;
        Process parec = null;
        Recorder rec = null;
        List<Long> sent = new ArrayList<>();
        long longSent;
        try {
            pulse = startPulse(dir);
            // Record from before the clients connect: a recording stream started later changes the null sink's
            // latency under every client's stream (a step each client must first follow), which no listener has.
            parec = startRecording(dir);
            rec = new Recorder(parec, dir.resolve("monitor.raw"));
            rec.awaitFirstBytes(10_000);
            try (ServerProcess server = ctx.startServer("audio-server", List.of());
                 LineClient admin = LineClient.join(server.address(), "audio", "admin")) {
                admin.acceptEveryJoiner();
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(startClient(dir, i, server.port()));
                }
                ctx.log("audio: %d clients started (thing-client.jar --audio %s -> remap sink c0..c%d)", CLIENTS,
                        output, CLIENTS - 1);
                waitForJoins(admin, 60_000);
                String reply = admin.upload(SONG, BenchContext.fixture("click-track-180s.mp3"), 60_000);
                if (!reply.startsWith("OKAY")) {
                    throw new IOException("upload failed: " + reply);
                }
                long deadline = System.currentTimeMillis() + 60_000;
                for (int i = 0; i < CLIENTS; i++) {
                    while (!cached(dir, i)) {
                        if (System.currentTimeMillis() > deadline) {
                            throw new IOException("c" + i + " did not cache the song within 60 s; see " + dir);
                        }
                        Thread.sleep(100);
                    }
                }
                Thread.sleep(2_000);
                ctx.log("audio: every client has the song; the sink's monitor recorded since the start (%d channels);"
                        + " %d PLAYs", CLIENTS, plays);
                for (int j = 0; j < plays; j++) {
                    long t = System.nanoTime();
                    sent.add(t);
                    List<String> res = admin.command(new ClientMessage.Play(SONG, null), l -> false, 10_000);
                    if (!res.get(res.size() - 1).startsWith("OKAY")) {
                        throw new IOException("PLAY refused: " + res);
                    }
                    sleepUntil(t + 3_000_000_000L);
                }
                ctx.log("audio: now %d s of the song without interruption", longSeconds);
                longSent = System.nanoTime();
                admin.command(new ClientMessage.Play(SONG, null), l -> false, 10_000);
                sleepUntil(longSent + (longSeconds + 2) * 1_000_000_000L);
                admin.command(new ClientMessage.Stop(), l -> false, 10_000);
                Thread.sleep(1_000);
            } finally {
                for (Process c : clients) {
                    try {
                        c.getOutputStream().close(); // end of its script: the client leaves
                    } catch (IOException e) {
                        // gone already
                    }
                }
                for (Process c : clients) {
                    if (!c.waitFor(10, TimeUnit.SECONDS)) {
                        c.destroyForcibly();
                    }
                }
            }
        } finally {
            if (parec != null) {
                parec.destroy();
                parec.waitFor(5, TimeUnit.SECONDS);
            }
            if (rec != null) {
                rec.join();
            }
            if (pulse != null) {
                pulse.destroy();
                if (!pulse.waitFor(10, TimeUnit.SECONDS)) {
                    pulse.destroyForcibly();
                }
            }
        }

        // --- analysis: onsets per channel on the recording's own sample clock
        long[][] onsets = Onsets.find(dir.resolve("monitor.raw"), CLIENTS, 4000, RATE / 5);
        for (int c = 0; c < CLIENTS; c++) {
            ctx.log("audio: channel %d: %d click onsets", c, onsets[c].length);
        }
        List<double[]> rounds = new ArrayList<>();
        List<Double> startSpreads = new ArrayList<>();
        int missed = 0;
        for (int j = 0; j <= plays; j++) {
            long t = j < plays ? sent.get(j) : longSent;
            long lo = rec.frameAt(t + 350_000_000L);
            long hi = lo + 2 * RATE;
            double[] at = new double[CLIENTS];
            boolean all = true;
            for (int c = 0; c < CLIENTS; c++) {
                long o = first(onsets[c], lo, hi);
                if (o < 0) {
                    all = false;
                    break;
                }
                at[c] = o * 1000.0 / RATE;
            }
            if (!all) {
                missed++;
                ctx.log("audio: PLAY %d: some channel has no click; not counted", j + 1);
                continue;
            }
            double[] sorted = at.clone();
            Arrays.sort(sorted);
            double median = (sorted[CLIENTS / 2 - 1] + sorted[CLIENTS / 2]) / 2;
            double[] rel = new double[CLIENTS];
            for (int c = 0; c < CLIENTS; c++) {
                rel[c] = at[c] - median;
            }
            rounds.add(rel);
            startSpreads.add(sorted[CLIENTS - 1] - sorted[0]);
            ctx.log("audio: PLAY %d%s: start spread %.3f ms  %s", j + 1, j == plays ? " (the long song)" : "",
                    sorted[CLIENTS - 1] - sorted[0], fmt(rel));
        }
        // along the long song: every click
        List<Double> songSpreads = new ArrayList<>();
        long from = rec.frameAt(longSent + 350_000_000L);
        long to = rec.frameAt(longSent + longSeconds * 1_000_000_000L);
        int songMissed = 0;
        for (long x0 : onsets[0]) {
            if (x0 < from || x0 > to) {
                continue;
            }
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            boolean all = true;
            for (int c = 0; c < CLIENTS; c++) {
                long o = nearest(onsets[c], x0, RATE / 10);
                if (o < 0) {
                    all = false;
                    break;
                }
                min = Math.min(min, o);
                max = Math.max(max, o);
            }
            if (all) {
                songSpreads.add((max - min) * 1000.0 / RATE);
            } else {
                songMissed++;
            }
        }
        // corrections, from the clients' logs
        long rateSamples = 0;
        List<Long> perClient = new ArrayList<>();
        int jumps = 0;
        int bigJumps = 0;
        double largestJump = 0;
        List<Double> ownStartErrors = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            String log = readLog(dir, i);
            Matcher m = ENDED.matcher(log);
            long last = -1;
            while (m.find()) {
                last = Long.parseLong(m.group(2)) + Long.parseLong(m.group(3));
            }
            if (last >= 0) {
                perClient.add(last);
                rateSamples += last;
            }
            Matcher jm = JUMP.matcher(log);
            while (jm.find()) {
                double ms = Math.abs(Double.parseDouble(jm.group(1)));
                jumps++;
                largestJump = Math.max(largestJump, ms);
                if (ms > 1) {
                    bigJumps++;
                }
            }
            Matcher rm = REMEASURED.matcher(log);
            while (rm.find()) {
                ownStartErrors.add(Math.abs(Double.parseDouble(rm.group(1))));
            }
        }

        Stats s = Stats.of(startSpreads);
        Stats l = Stats.of(songSpreads);
        ctx.log("audio: start spread over %d PLAYs p50 %.3f p99 %.3f max %.3f ms; along the song (%d clicks) p50 %.3f"
                        + " p99 %.3f max %.3f ms; jumps %d (largest %.1f ms), single-sample corrections %d", s.count(),
                s.median(), s.p(99), s.max(), l.count(), l.median(), l.p(99), l.max(), jumps, largestJump,
                rateSamples);
        String startTarget = "target p50 <= " + Report.num(START_TARGET_P50_MS) + ", max <= "
                + Report.num(START_TARGET_MAX_MS) + " ms";
        report.add(bench, "start spread per PLAY, p50 / p99 / max (" + s.count() + " PLAYs, the first included)",
                Report.num(s.median()) + " / " + Report.num(s.p(99)) + " / " + Report.num(s.max()) + " ms",
                startTarget, Report.ratio(s.median(), START_TARGET_P50_MS) + " / "
                        + Report.ratio(s.max(), START_TARGET_MAX_MS));
        report.add(bench, "start spread of the first PLAY after the clients start",
                startSpreads.isEmpty() ? "n/a" : Report.num(startSpreads.get(0)) + " ms", "-", "-");
        report.add(bench, "spread along a " + longSeconds + " s song, p50 / p99 / max (" + l.count() + " clicks)",
                Report.num(l.median()) + " / " + Report.num(l.p(99)) + " / " + Report.num(l.max()) + " ms",
                "target p99 <= " + Report.num(SONG_TARGET_P99_MS) + " ms", Report.ratio(l.p(99), SONG_TARGET_P99_MS));
        report.add(bench, "corrections over the whole run: jumps (> 1 ms) / single samples along the song",
                jumps + " (" + bigJumps + " > 1 ms, largest " + Report.num(largestJump) + " ms) / "
                        + (perClient.isEmpty() ? "n/a" : Report.num(Stats.of(perClient).median())
                        + " per client (median; max " + Report.num(Stats.of(perClient).max()) + ")"),
                "target 0 > 1 ms", "-");
        if (!ownStartErrors.isEmpty()) {
            Stats o = Stats.of(ownStartErrors);
            report.add(bench, "start error each client measured itself (line position), |p50| / max",
                    Report.num(o.median()) + " / " + Report.num(o.max()) + " ms", "-", "-");
        }
        report.note("Audio: " + CLIENTS + " separate thing-client.jar processes, each through "
                + (output.equals("pulse") ? "--audio pulse (libpulse's playback stream, position from the server's timing reports)"
                : "--audio javasound (JavaSound -> ALSA's pulse plugin, HOME-local .asoundrc)")
                + " -> its own module-remap-sink -> one channel of a " + CLIENTS
                + "-channel null sink of a private PulseAudio daemon; the monitor recorded with parec --channel-map"
                + " --no-remix (from before the clients connect); click onsets found per channel (|sample| > 4000"
                + " after 200 ms of quiet). Start spread:"
                + " the first click (0.5 s into the song) of each of " + plays + " PLAYs 3 s apart plus the long one;"
                + " along the song: every click. Corrections: the clients' own logs." + (missed + songMissed > 0
                ? " Clicks missing on some channel (not counted): " + missed + " starts, " + songMissed + " along."
                : "") + " Picture: audio-spread.png.");
        SyncChart.write(chart, rounds, startSpreads, START_TARGET_MAX_MS);
        ctx.log("audio: wrote %s", chart);
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (double x : v) {
            b.append(String.format(Locale.ROOT, " %+.2f", x));
        }
        return b.append(" ]").toString();
    }

    /** The first onset in [lo, hi), or -1. */
    static long first(long[] onsets, long lo, long hi) {
        for (long o : onsets) {
            if (o >= lo && o < hi) {
                return o;
            }
        }
        return -1;
    }

    /** The onset nearest to {@code x} within {@code within} frames, or -1. */
    static long nearest(long[] onsets, long x, long within) {
        long best = -1;
        for (long o : onsets) {
            if (Math.abs(o - x) <= within && (best < 0 || Math.abs(o - x) < Math.abs(best - x))) {
                best = o;
            }
        }
        return best;
    }

    static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    // --- tools

    static List<String> missingTools() {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("pulseaudio", "parec", "pactl")) {
            if (onPath(tool) == null) {
                missing.add(tool);
            }
        }
        if (alsaPulsePlugin() == null) {
            missing.add("the ALSA pulse plugin (libasound_module_pcm_pulse.so)");
        }
        return missing;
    }

    static Path onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static Path alsaPulsePlugin() {
        for (String d : List.of("/usr/lib/x86_64-linux-gnu/alsa-lib", "/usr/lib/aarch64-linux-gnu/alsa-lib",
                "/usr/lib/alsa-lib", "/usr/lib64/alsa-lib", "/usr/lib/i386-linux-gnu/alsa-lib")) {
            Path p = Path.of(d, "libasound_module_pcm_pulse.so");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    static boolean isRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 && out.equals("0");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private void install() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "-q"));
        cmd.addAll(Arrays.asList(PACKAGES.split(" ")));
        if (runQuietly(cmd) != 0) {
            runQuietly(List.of("apt-get", "update", "-q"));
            runQuietly(cmd);
        }
    }

    private int runQuietly(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ctx.workDir.resolve("apt.log").toFile());
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    // --- PulseAudio, clients, recording

    static String channelMap() {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < CLIENTS; i++) {
            names.add("aux" + i);
        }
        return String.join(",", names);
    }

    Process startPulse(Path dir) throws IOException, InterruptedException {
        Path home = dir.resolve("pulse-home");
        Path runtime = dir.resolve("pulse-run");
        Files.createDirectories(home);
        Files.createDirectories(runtime);
        Path socket = dir.resolve("native");
        StringBuilder pa = new StringBuilder();
        pa.append("load-module module-native-protocol-unix socket=").append(socket).append(" auth-anonymous=1\n");
        pa.append("load-module module-null-sink sink_name=bench channels=").append(CLIENTS).append(" channel_map=")
                .append(channelMap()).append(" rate=").append(RATE).append(" format=s16le\n");
        for (int i = 0; i < CLIENTS; i++) {
            pa.append("load-module module-remap-sink sink_name=c").append(i).append(" master=bench channels=1")
                    .append(" master_channel_map=aux").append(i).append(" channel_map=mono remix=no\n");
        }
        Path script = dir.resolve("default.pa");
        Files.writeString(script, pa.toString());
        ProcessBuilder pb = new ProcessBuilder(onPath("pulseaudio").toString(), "-n", "-F", script.toString(),
                "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no", "--disable-shm=yes")
                .redirectErrorStream(true).redirectOutput(dir.resolve("pulseaudio.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("PULSE_RUNTIME_PATH", runtime.toString());
        env.put("PULSE_STATE_PATH", home.resolve("state").toString());
        Process p = pb.start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            if (!p.isAlive()) {
                throw new IOException("pulseaudio exited (" + p.exitValue() + "); see " + dir.resolve("pulseaudio.log"));
            }
            ProcessBuilder info = new ProcessBuilder(onPath("pactl").toString(), "--server=unix:" + socket, "info")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            if (info.start().waitFor() == 0) {
                break;
            }
            if (System.currentTimeMillis() > deadline) {
                p.destroyForcibly();
                throw new IOException("pulseaudio did not answer within 20 s; see " + dir.resolve("pulseaudio.log"));
            }
            Thread.sleep(200);
        }
        ctx.log("audio: private PulseAudio daemon pid %d, socket %s: %d-channel null sink, remap sinks c0..c%d",
                p.pid(), socket, CLIENTS, CLIENTS - 1);
        return p;
    }

    Process startClient(Path dir, int i, int port) throws IOException {
        Path home = dir.resolve("home-" + i);
        Files.createDirectories(home);
        // ALSA's default device is PulseAudio, for this client only (its own HOME).
        Files.writeString(home.resolve(".asoundrc"), "pcm.!default { type pulse }\nctl.!default { type pulse }\n");
        Path cache = dir.resolve("cache-" + i);
        ProcessBuilder pb = new ProcessBuilder(ServerProcess.javaBin(), "-Xmx256m", "-Djava.awt.headless=true",
                "-jar", clientJar.toAbsolutePath().toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--cache", cache.toString(), "--audio", output, "--script", "audio", "c" + i)
                .redirectErrorStream(true).redirectOutput(dir.resolve("client-" + i + ".out").toFile());
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("PULSE_SERVER", "unix:" + dir.resolve("native"));
        env.put("PULSE_SINK", "c" + i);
        env.remove("DISPLAY");
        return pb.start(); // its standard input stays open: the client stays until we close it
    }

    private static void waitForJoins(LineClient admin, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            List<String> users = admin.command(new ClientMessage.Users(), l -> l.startsWith("USER "), 10_000);
            long joined = users.stream().filter(l -> l.matches("USER c\\d+ .*")).count();
            if (joined >= CLIENTS) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("only " + joined + " of " + CLIENTS + " clients joined: " + users);
            }
            Thread.sleep(500);
        }
    }

    static boolean cached(Path dir, int i) {
        try {
            Path index = dir.resolve("cache-" + i).resolve("index.txt");
            return Files.isRegularFile(index) && Files.readString(index).contains("\t" + SONG + "\t");
        } catch (IOException e) {
            return false;
        }
    }

    private static String readLog(Path dir, int i) {
        try {
            return Files.readString(dir.resolve("cache-" + i).resolve("thing-client.log"));
        } catch (IOException e) {
            return "";
        }
    }

    Process startRecording(Path dir) throws IOException {
        return new ProcessBuilder(onPath("parec").toString(), "--server=unix:" + dir.resolve("native"),
                "-d", "bench.monitor", "--channels=" + CLIENTS, "--channel-map=" + channelMap(), "--no-remix",
                "--format=s16le", "--rate=" + RATE, "--raw", "--latency-msec=20")
                .redirectError(dir.resolve("parec.log").toFile()).start();
    }

    /** Copies parec's output to a file and remembers when the first bytes came, to map local time to frames. */
    static final class Recorder {
        private final Thread thread;
        private volatile long firstNanos = -1;
        private volatile long firstFrames;

        Recorder(Process parec, Path file) {
            thread = new Thread(() -> {
                try (InputStream in = parec.getInputStream();
                     OutputStream out = Files.newOutputStream(file)) {
                    byte[] buf = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        if (firstNanos < 0) {
                            firstNanos = System.nanoTime();
                            firstFrames = n / (2L * CLIENTS);
                        }
                        out.write(buf, 0, n);
                    }
                } catch (IOException e) {
                    // parec ended
                }
            }, "audio-recorder");
            thread.setDaemon(true);
            thread.start();
        }

        void awaitFirstBytes(long timeoutMs) throws IOException, InterruptedException {
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (firstNanos < 0) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("parec recorded nothing within " + timeoutMs + " ms");
                }
                Thread.sleep(10);
            }
        }

        /** The recording's frame at local instant {@code nanos} (to within the recorder's latency). */
        long frameAt(long nanos) {
            return firstFrames + (nanos - firstNanos) * RATE / 1_000_000_000L;
        }

        void join() throws InterruptedException {
            thread.join(10_000);
        }
    }

    /** Click onsets per channel in interleaved s16le PCM. */
    static final class Onsets {
        private Onsets() {
        }

        /** Frames at which |sample| first exceeds {@code threshold} after at least {@code quiet} frames below. */
        static long[][] find(Path raw, int channels, int threshold, int quiet) throws IOException {
            List<List<Long>> found = new ArrayList<>();
            long[] lastLoud = new long[channels];
            for (int c = 0; c < channels; c++) {
                found.add(new ArrayList<>());
                lastLoud[c] = Long.MIN_VALUE / 2;
            }
            int frameBytes = 2 * channels;
            try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(frameBytes * 65536).order(ByteOrder.LITTLE_ENDIAN);
                long frame = 0;
                while (ch.read(buf) > 0 || buf.position() > 0) {
                    buf.flip();
                    if (buf.remaining() < frameBytes) {
                        break;
                    }
                    while (buf.remaining() >= frameBytes) {
                        for (int c = 0; c < channels; c++) {
                            int v = buf.getShort();
                            if (Math.abs(v) > threshold) {
                                if (frame - lastLoud[c] > quiet) {
                                    found.get(c).add(frame);
                                }
                                lastLoud[c] = frame;
                            }
                        }
                        frame++;
                    }
                    buf.compact();
                }
            }
            long[][] out = new long[channels][];
            for (int c = 0; c < channels; c++) {
                out[c] = found.get(c).stream().mapToLong(Long::longValue).toArray();
            }
            return out;
        }
    }
}
