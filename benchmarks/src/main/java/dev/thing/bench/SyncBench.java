package dev.thing.bench;

import dev.thing.protocol.ClientMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Sync: 20 real client stacks in one lobby, each with its wall clock off by seconds (client i: (i - 10) x 1.7 s)
 * and behind its own proxy that delays each direction unevenly and with jitter. An admin (a plain connection,
 * not measured) issues PLAYs of a cached song; per PLAY, the spread (max - min) of the instants at which the 20
 * clients actually start it. All clients run in this process on one monotonic clock, so their instants compare
 * directly. Also: each client's clock-offset estimate against the offset injected.
 */
final class SyncBench {
    static final double BOUND_MS = 20;
    static final double SYMMETRIC_TARGET_MS = 1;
    private static final int CLIENTS = 20;
    private static final String SONG = "sync-song";

    private final BenchContext ctx;
    private final int plays;
    private final Path chart;
    private final boolean symmetric;

    /**
     * {@code symmetric}: every client's link delays both directions alike, like a LAN (its own base, 1-3 ms, the
     * same up and down, plus 0-2 ms of jitter per packet each way): no asymmetry for the clock filter to miss, so
     * the figure measures the player and the clock filter. Otherwise each direction has its own base (5-15 ms) and
     * 0-25 ms of jitter.
     */
    SyncBench(BenchContext ctx, Path chart, boolean symmetric) {
        this.ctx = ctx;
        this.plays = ctx.quick ? 5 : 20;
        this.chart = chart;
        this.symmetric = symmetric;
    }

    void run(Report report) throws Exception {
        List<JitterProxy> proxies = new ArrayList<>();
        List<BenchClient> clients = new ArrayList<>();
        List<double[]> rounds = new ArrayList<>(); // per PLAY: each client's start minus the round's median, ms
        List<Double> spreads = new ArrayList<>();
        List<Double> offsetErrors = new ArrayList<>();
        Random random = new Random(20);
        String name = symmetric ? "sync-symmetric" : "sync";
        try (ServerProcess server = ctx.startServer(name, List.of());
             LineClient admin = LineClient.join(server.address(), "sync", "admin")) {
            admin.acceptEveryJoiner();
            for (int i = 0; i < CLIENTS; i++) {
                double up = symmetric ? 1 + random.nextDouble() * 2 : 5 + random.nextDouble() * 10;
                double down = symmetric ? up : 5 + random.nextDouble() * 10;
                JitterProxy p = new JitterProxy(server.address(), 1000 + i, up, down, symmetric ? 2 : 25);
                proxies.add(p);
                long offset = (long) ((i - 10) * 1.7e6);
                clients.add(new BenchClient("127.0.0.1", p.port(), "sync", "c" + i, offset,
                        ctx.workDir.resolve(name + "-cache-" + i)).start());
            }
            for (BenchClient c : clients) {
                if (!c.awaitJoined(30_000)) {
                    throw new IOException(c.name + " did not join within 30 s");
                }
            }
            ctx.log("%s: %d clients joined through jittery proxies (%s)", name, CLIENTS,
                    symmetric ? "LAN-like: 1-3 ms, the same both ways, + 0-2 ms jitter each way"
                            : "each leg its own 5-15 ms + 0-25 ms jitter");
            String reply = admin.upload(SONG, BenchContext.fixture("sine-440-3s.mp3"), 30_000);
            if (!reply.startsWith("OKAY")) {
                throw new IOException("upload failed: " + reply);
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (!clients.stream().allMatch(c -> c.hasCached(SONG))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("the song did not reach every client's cache within 30 s");
                }
                Thread.sleep(100);
            }
            Thread.sleep(1000); // clock sampling (a burst at join, then every 5 s) has settled
            // PLAY 0 warms up (the first decode in this JVM is slow; a client not ready at the instant starts late
            // at the position the time implies, which this measure would count as a late start): not counted.
            for (int r = -1; r < plays; r++) {
                int[] before = clients.stream().mapToInt(BenchClient::startCount).toArray();
                long sent = System.nanoTime();
                List<String> res = admin.command(new ClientMessage.Play(SONG, null), l -> false, 10_000);
                if (!res.get(res.size() - 1).startsWith("OKAY")) {
                    throw new IOException("PLAY refused: " + res);
                }
                double[] at = new double[CLIENTS];
                for (int i = 0; i < CLIENTS; i++) {
                    BenchClient.Start s = clients.get(i).awaitStart(before[i], 10_000);
                    if (s == null) {
                        throw new IOException(clients.get(i).name + " did not start PLAY " + (r + 1));
                    }
                    at[i] = (s.alignedNanos() - sent) / 1e6;
                }
                double[] sorted = at.clone();
                java.util.Arrays.sort(sorted);
                double median = sorted[CLIENTS / 2];
                double[] rel = new double[CLIENTS];
                for (int i = 0; i < CLIENTS; i++) {
                    rel[i] = at[i] - median;
                }
                Thread.sleep(Math.max(0, 2500 - (System.nanoTime() - sent) / 1_000_000));
                if (r < 0) {
                    ctx.log("%s: warm-up PLAY: spread %.2f ms (not counted)", name, sorted[CLIENTS - 1] - sorted[0]);
                    continue;
                }
                rounds.add(rel);
                spreads.add(sorted[CLIENTS - 1] - sorted[0]);
                ctx.log("%s: PLAY %d: spread %.2f ms (start %.0f ms after the PLAY was sent)", name, r + 1,
                        sorted[CLIENTS - 1] - sorted[0], median);
            }
            admin.command(new ClientMessage.Stop(), l -> false, 10_000);
            for (BenchClient c : clients) {
                // estimate = server - client wall clock; the truth is minus the injected offset
                c.estimatedOffsetMicros().ifPresent(est -> offsetErrors.add(Math.abs(est + c.offsetMicros) / 1000.0));
            }
        } finally {
            for (BenchClient c : clients) {
                c.close();
            }
            for (JitterProxy p : proxies) {
                p.close();
            }
        }
        Stats s = Stats.of(spreads);
        Stats e = Stats.of(offsetErrors);
        String bench = (symmetric ? "sync, symmetric links: " : "sync, asymmetric links: ") + CLIENTS + " clients, "
                + plays + " PLAYs";
        double ref = symmetric ? SYMMETRIC_TARGET_MS : BOUND_MS;
        String bound = symmetric ? Report.num(ref) + " ms (target for p99)" : Report.num(ref) + " ms (design bound)";
        report.add(bench, "start spread p50", Report.num(s.median()) + " ms", bound, Report.ratio(s.median(), ref));
        report.add(bench, "start spread p99", Report.num(s.p(99)) + " ms", bound, Report.ratio(s.p(99), ref));
        report.add(bench, "start spread max", Report.num(s.max()) + " ms", bound, Report.ratio(s.max(), ref));
        report.add(bench, "clock-offset error p50 (abs(estimate - injected))", Report.num(e.median()) + " ms", "-", "-");
        report.add(bench, "clock-offset error max", Report.num(e.max()) + " ms", "-", "-");
        if (symmetric) {
            report.note("Sync, symmetric links: as the asymmetric one, but LAN-like: each client's proxy delays both directions by"
                    + " the same base (1-3 ms) plus 0-2 ms of jitter per packet each way: no asymmetry hides from the"
                    + " clock filter, so the spread is the clock filter's and the player's own. Target p99 <= 1 ms."
                    + " Picture: sync-spread-symmetric.png.");
            SyncChart.write(chart, rounds, spreads, 1);
            ctx.log("%s: wrote %s", name, chart);
            return;
        }
        report.note("Sync: " + CLIENTS + " real client stacks (ThingClient: ClockSync, PlaybackCoordinator, Player on a"
                + " recording sink) with wall clocks off by (i - 10) x 1.7 s, each behind a proxy delaying each direction"
                + " by its own 5-15 ms plus 0-25 ms of jitter per packet; spread = max - min of the instants the clients"
                + " start each PLAY (hand-over of the first sample, less any frames dropped to stay aligned), after one"
                + " warm-up PLAY. No peer:"
                + " compared with the 20 ms design bound (ratio = figure / 20 ms). Picture: sync-spread.png.");
        SyncChart.write(chart, rounds, spreads, BOUND_MS);
        ctx.log("%s: wrote %s", name, chart);
    }
}
