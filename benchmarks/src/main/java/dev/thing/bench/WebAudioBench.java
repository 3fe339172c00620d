package dev.thing.bench;

import dev.thing.protocol.ClientMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The browser's start against the terminal clients' (#15 item 5), through the real-audio set-up of {@link AudioBench}:
 * {@value #TERMINALS} thing-client.jar processes ({@code --audio pulse}) and {@value #PAGES} headless Chromium pages
 * (Debian's chromium, driven by selenium through chromedriver, sound allowed without a gesture) are members of one
 * lobby. Every one plays into the same private PulseAudio daemon, each through its own module-remap-sink onto its own
 * channel of one 8-channel null sink (Chromium through libpulse, {@code PULSE_SERVER} and {@code PULSE_SINK} in its
 * environment). The monitor is recorded and the click onsets per channel compared: per PLAY the spread of the
 * terminals, the spread of everyone, and each page's start minus the terminals' median; then every click along a song.
 */
final class WebAudioBench {
    static final int TERMINALS = 4;
    static final int PAGES = 2;
    static final int RATE = AudioBench.RATE;
    static final String SONG = AudioBench.SONG;
    static final double TARGET_MS = AudioBench.START_TARGET_MAX_MS;
    static final Path CHROMIUM = Path.of(System.getProperty("thing.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("thing.chromedriver", "/usr/bin/chromedriver"));

    private final BenchContext ctx;
    private final AudioBench audio;
    private final int plays;
    private final int longSeconds;

    WebAudioBench(BenchContext ctx, Path clientJar) {
        this.ctx = ctx;
        this.audio = new AudioBench(ctx, ctx.workDir.resolve("unused.png"), clientJar, "pulse");
        this.plays = ctx.quick ? 6 : 24;
        this.longSeconds = ctx.quick ? 30 : 60;
    }

    void run(Report report) throws Exception {
        String bench = "web-audio: " + TERMINALS + " terminal clients + " + PAGES + " Chromium pages, one lobby";
        List<String> missing = AudioBench.missingTools();
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                missing.add(p + " (apt-get install chromium chromium-driver)");
            }
        }
        if (!missing.isEmpty()) {
            String line = "web-audio: skipped: missing " + String.join(", ", missing);
            ctx.log("%s", line);
            report.add(bench, "skipped", line, "-", "-");
            return;
        }
        Path dir = ctx.workDir.resolve("web-audio");
        Files.createDirectories(dir);
        List<Process> clients = new ArrayList<>();
        List<ChromeDriver> pages = new ArrayList<>();
        Process pulse = null;
        Process parec = null;
        AudioBench.Recorder rec = null;
        List<Long> sent = new ArrayList<>();
        List<String> pageOwn = new ArrayList<>(); // per PLAY: what each page says of its clock and output latency
        long longSent;
        try {
            pulse = audio.startPulse(dir);
            parec = audio.startRecording(dir);
            rec = new AudioBench.Recorder(parec, dir.resolve("monitor.raw"));
            rec.awaitFirstBytes(10_000);
            int httpPort = Net.freePort();
            try (ServerProcess server = ctx.startServer("web-audio-server",
                    List.of("--http-port", Integer.toString(httpPort)));
                 LineClient admin = LineClient.join(server.address(), "audio", "admin")) {
                admin.acceptEveryJoiner();
                for (int i = 0; i < TERMINALS; i++) {
                    clients.add(audio.startClient(dir, i, server.port()));
                }
                for (int k = 0; k < PAGES; k++) {
                    pages.add(startPage(dir, k, httpPort));
                }
                ctx.log("web-audio: %d terminal clients (c0..c%d) and %d pages (w0..w%d, sinks c%d..c%d) joining",
                        TERMINALS, TERMINALS - 1, PAGES, PAGES - 1, TERMINALS, TERMINALS + PAGES - 1);
                waitForMembers(admin, 60_000);
                for (ChromeDriver d : pages) {
                    waitJs(d, "window.thing.view === 'lobby' && window.thing.clock.ready", 30_000);
                }
                String reply = admin.upload(SONG, BenchContext.fixture("click-track-180s.mp3"), 60_000);
                if (!reply.startsWith("OKAY")) {
                    throw new IOException("upload failed: " + reply);
                }
                long deadline = System.currentTimeMillis() + 60_000;
                for (int i = 0; i < TERMINALS; i++) {
                    while (!AudioBench.cached(dir, i)) {
                        if (System.currentTimeMillis() > deadline) {
                            throw new IOException("c" + i + " did not cache the song within 60 s; see " + dir);
                        }
                        Thread.sleep(100);
                    }
                }
                for (ChromeDriver d : pages) {
                    long until = System.currentTimeMillis() + 60_000;
                    while (((Number) ((JavascriptExecutor) d).executeAsyncScript("const done = arguments[arguments"
                            + ".length - 1]; window.thing.cache().then(s => done(s.songs));")).intValue() < 1) {
                        if (System.currentTimeMillis() > until) {
                            throw new IOException("a page did not cache the song within 60 s");
                        }
                        Thread.sleep(200);
                    }
                }
                Thread.sleep(2_000);
                ctx.log("web-audio: everyone has the song; %d PLAYs", plays);
                for (int j = 0; j < plays; j++) {
                    long t = System.nanoTime();
                    sent.add(t);
                    List<String> res = admin.command(new ClientMessage.Play(SONG, null), l -> false, 10_000);
                    if (!res.get(res.size() - 1).startsWith("OKAY")) {
                        throw new IOException("PLAY refused: " + res);
                    }
                    AudioBench.sleepUntil(t + 2_000_000_000L);
                    StringBuilder own = new StringBuilder();
                    for (int k = 0; k < PAGES; k++) {
                        own.append(" w").append(k).append(' ').append(((JavascriptExecutor) pages.get(k)).executeScript(
                                "const p = window.thing.playback, c = window.thing.clock, s = p.scheduled || {};"
                                + "return JSON.stringify({offsetMs: c.offsetMs, rttMs: c.bestRttMs, via: s.via,"
                                + " late: s.late, outputLatency: p.outputLatency, baseLatency: p.baseLatency});"));
                    }
                    pageOwn.add(own.toString());
                    AudioBench.sleepUntil(t + 3_000_000_000L);
                }
                ctx.log("web-audio: now %d s of the song without interruption", longSeconds);
                longSent = System.nanoTime();
                admin.command(new ClientMessage.Play(SONG, null), l -> false, 10_000);
                AudioBench.sleepUntil(longSent + (longSeconds + 2) * 1_000_000_000L);
                admin.command(new ClientMessage.Stop(), l -> false, 10_000);
                Thread.sleep(1_000);
            } finally {
                for (ChromeDriver d : pages) {
                    try {
                        d.quit();
                    } catch (RuntimeException e) {
                        // gone already
                    }
                }
                for (Process c : clients) {
                    try {
                        c.getOutputStream().close();
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

        int channels = TERMINALS + PAGES;
        long[][] onsets = AudioBench.Onsets.find(dir.resolve("monitor.raw"), AudioBench.CLIENTS, 4000, RATE / 5);
        for (int c = 0; c < channels; c++) {
            ctx.log("web-audio: channel %d (%s): %d click onsets", c, c < TERMINALS ? "c" + c : "page w" + (c - TERMINALS),
                    onsets[c].length);
        }
        List<Double> termSpread = new ArrayList<>();
        List<Double> allSpread = new ArrayList<>();
        List<Double> pageOffset = new ArrayList<>();
        List<Double> pageOffsetAbs = new ArrayList<>();
        int missed = 0;
        for (int j = 0; j <= plays; j++) {
            long t = j < plays ? sent.get(j) : longSent;
            long lo = rec.frameAt(t + 350_000_000L);
            long hi = lo + 2 * RATE;
            double[] at = new double[channels];
            boolean all = true;
            for (int c = 0; c < channels; c++) {
                long o = AudioBench.first(onsets[c], lo, hi);
                if (o < 0) {
                    all = false;
                    break;
                }
                at[c] = o * 1000.0 / RATE;
            }
            if (!all) {
                missed++;
                ctx.log("web-audio: PLAY %d: some channel has no click; not counted", j + 1);
                continue;
            }
            double[] term = Arrays.copyOf(at, TERMINALS);
            Arrays.sort(term);
            double median = (term[TERMINALS / 2 - 1] + term[TERMINALS / 2]) / 2;
            double[] every = at.clone();
            Arrays.sort(every);
            termSpread.add(term[TERMINALS - 1] - term[0]);
            allSpread.add(every[channels - 1] - every[0]);
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < PAGES; k++) {
                double off = at[TERMINALS + k] - median;
                pageOffset.add(off);
                pageOffsetAbs.add(Math.abs(off));
                b.append(String.format(java.util.Locale.ROOT, " w%d %+.2f", k, off));
            }
            String own = "";
            if (j < plays) {
                own = "; pages say:" + pageOwn.get(j);
            }
            ctx.log("web-audio: PLAY %d%s: terminals' spread %.3f ms, everyone's %.3f ms; page - terminals' median:%s ms%s",
                    j + 1, j == plays ? " (the long song)" : "", term[TERMINALS - 1] - term[0],
                    every[channels - 1] - every[0], b, own);
        }
        // along the long song: every click of c0, everyone's spread and the pages' offset
        List<Double> songAll = new ArrayList<>();
        List<Double> songTerm = new ArrayList<>();
        List<Double> songPage = new ArrayList<>();
        long from = rec.frameAt(longSent + 350_000_000L);
        long to = rec.frameAt(longSent + longSeconds * 1_000_000_000L);
        int songMissed = 0;
        for (long x0 : onsets[0]) {
            if (x0 < from || x0 > to) {
                continue;
            }
            long[] o = new long[channels];
            boolean all = true;
            for (int c = 0; c < channels; c++) {
                o[c] = AudioBench.nearest(onsets[c], x0, RATE / 10);
                if (o[c] < 0) {
                    all = false;
                    break;
                }
            }
            if (!all) {
                songMissed++;
                continue;
            }
            long[] term = Arrays.copyOf(o, TERMINALS);
            Arrays.sort(term);
            double median = (term[TERMINALS / 2 - 1] + term[TERMINALS / 2]) / 2.0;
            long[] every = o.clone();
            Arrays.sort(every);
            songTerm.add((term[TERMINALS - 1] - term[0]) * 1000.0 / RATE);
            songAll.add((every[channels - 1] - every[0]) * 1000.0 / RATE);
            for (int k = 0; k < PAGES; k++) {
                songPage.add(Math.abs(o[TERMINALS + k] - median) * 1000.0 / RATE);
            }
        }
        Stats ts = Stats.of(termSpread);
        Stats as = Stats.of(allSpread);
        Stats po = Stats.of(pageOffset);
        Stats pa = Stats.of(pageOffsetAbs);
        Stats lt = Stats.of(songTerm);
        Stats la = Stats.of(songAll);
        Stats lp = Stats.of(songPage);
        String target = "target max <= " + Report.num(TARGET_MS) + " ms (#11)";
        report.add(bench, "start spread of the " + TERMINALS + " terminal clients per PLAY, p50 / p99 / max ("
                + ts.count() + " PLAYs)", three(ts), target, Report.ratio(ts.max(), TARGET_MS));
        report.add(bench, "start spread of everyone (terminals + pages) per PLAY, p50 / p99 / max",
                three(as), target, Report.ratio(as.max(), TARGET_MS));
        report.add(bench, "page start minus the terminals' median, p50 / min / max (" + po.count() + " page starts)",
                Report.num(po.median()) + " / " + Report.num(po.min()) + " / " + Report.num(po.max()) + " ms", "-",
                "-");
        report.add(bench, "abs(page - terminals' median) per start, p50 / p99 / max", three(pa), target,
                Report.ratio(pa.max(), TARGET_MS));
        report.add(bench, "along a " + longSeconds + " s song (" + lt.count() + " clicks): terminals' spread / everyone's"
                        + " spread / abs(page - terminals), p99",
                Report.num(lt.p(99)) + " / " + Report.num(la.p(99)) + " / " + Report.num(lp.p(99)) + " ms (max "
                        + Report.num(lt.max()) + " / " + Report.num(la.max()) + " / " + Report.num(lp.max()) + ")",
                "-", "-");
        report.note("Web audio: " + TERMINALS + " thing-client.jar --audio pulse processes and " + PAGES
                + " headless Debian Chromium pages (selenium + chromedriver, --autoplay-policy=no-user-gesture-required,"
                + " Chromium's own PulseAudio output with PULSE_SERVER/PULSE_SINK) in one lobby, each on its own"
                + " channel of the same private PulseAudio null sink as the audio benchmark; the first click of each of "
                + plays + " PLAYs 3 s apart plus a " + longSeconds + " s song compared on the monitor's sample clock."
                + (missed + songMissed > 0 ? " Clicks missing on some channel (not counted): " + missed + " starts, "
                + songMissed + " along." : ""));
    }

    private static String three(Stats s) {
        return Report.num(s.median()) + " / " + Report.num(s.p(99)) + " / " + Report.num(s.max()) + " ms";
    }

    private ChromeDriver startPage(Path dir, int k, int httpPort) throws IOException, InterruptedException {
        Path profile = dir.resolve("chromium-profile-" + k);
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--no-default-browser-check", "--window-size=1280,900",
                "--autoplay-policy=no-user-gesture-required", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withEnvironment(Map.of("PULSE_SERVER", "unix:" + dir.resolve("native"),
                        "PULSE_SINK", "c" + (TERMINALS + k)))
                .withLogFile(dir.resolve("chromedriver-" + k + ".log").toFile())
                .build();
        ChromeDriver d = new ChromeDriver(service, options);
        d.manage().timeouts().scriptTimeout(java.time.Duration.ofSeconds(30));
        d.get("http://127.0.0.1:" + httpPort + "/");
        waitJs(d, "window.thing != null && window.thing.view === 'home'", 30_000);
        d.findElement(By.id("join-lobby")).sendKeys("audio");
        d.findElement(By.id("join-user")).sendKeys("w" + k);
        d.findElement(By.id("join-button")).click();
        return d;
    }

    private static void waitJs(ChromeDriver d, String expr, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript("return !!(" + expr + ")"))) {
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("a page never reached " + expr);
            }
            Thread.sleep(100);
        }
    }

    private static void waitForMembers(LineClient admin, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            List<String> users = admin.command(new ClientMessage.Users(), l -> l.startsWith("USER "), 10_000);
            long joined = users.stream().filter(l -> l.matches("USER [cw]\\d+ .*")).count();
            if (joined >= TERMINALS + PAGES) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("only " + joined + " of " + (TERMINALS + PAGES) + " joined: " + users);
            }
            Thread.sleep(500);
        }
    }
}
