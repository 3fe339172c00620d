package dev.thing.bench;

import dev.thing.protocol.ClientMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cold start: time from a PLAY line's arrival to the first sample handed over, for a client that must first fetch
 * the 5 MiB song (GET; it starts while the download is under way), against a client of the same lobby that has it
 * cached. The cached client waits for the start instant the server chose (the lead it gives clients to prepare),
 * so its figure is that lead; the cold client starts late and catches up to the lobby's position.
 */
final class ColdStartBench {
    private static final String SONG = "cold-song";

    private final BenchContext ctx;
    private final int runs;

    ColdStartBench(BenchContext ctx) {
        this.ctx = ctx;
        this.runs = ctx.quick ? 2 : 5;
    }

    void run(Report report) throws Exception {
        byte[] song = Mp3Frames.repeat(BenchContext.fixture("long-sweep-180s.mp3"), 5 * 1024 * 1024);
        List<Double> cold = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        try (ServerProcess server = ctx.startServer("coldstart", List.of());
             LineClient admin = LineClient.join(server.address(), "cold", "admin")) {
            admin.acceptEveryJoiner();
            try (BenchClient cached = new BenchClient("127.0.0.1", server.port(), "cold", "cached", 0,
                    ctx.workDir.resolve("cold-cache-cached")).start()) {
                if (!cached.awaitJoined(30_000)) {
                    throw new IOException("the cached client did not join");
                }
                String reply = admin.upload(SONG, song, 60_000);
                if (!reply.startsWith("OKAY")) {
                    throw new IOException("upload failed: " + reply);
                }
                long deadline = System.currentTimeMillis() + 60_000;
                while (!cached.hasCached(SONG)) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IOException("the pushed song did not reach the cache within 60 s");
                    }
                    Thread.sleep(100);
                }
                ctx.log("coldstart: %.1f MiB song uploaded and cached by one client", song.length / 1048576.0);
                for (int r = 0; r < runs; r++) {
                    try (BenchClient fresh = new BenchClient("127.0.0.1", server.port(), "cold", "fresh" + r, 0,
                            ctx.workDir.resolve("cold-cache-" + r)).start()) {
                        if (!fresh.awaitJoined(30_000)) {
                            throw new IOException("the cold client did not join");
                        }
                        Thread.sleep(1500); // clock sync burst
                        int cs = cached.startCount();
                        int fs = fresh.startCount();
                        List<String> res = admin.command(new ClientMessage.Play(SONG, null), l -> false, 10_000);
                        if (!res.get(res.size() - 1).startsWith("OKAY")) {
                            throw new IOException("PLAY refused: " + res);
                        }
                        BenchClient.Start w = cached.awaitStart(cs, 10_000);
                        BenchClient.Start c = fresh.awaitStart(fs, 30_000);
                        if (w == null || c == null) {
                            throw new IOException("a client did not start the song");
                        }
                        double cm = (c.firstSampleNanos() - c.playReceivedNanos()) / 1e6;
                        double wm = (w.firstSampleNanos() - w.playReceivedNanos()) / 1e6;
                        cold.add(cm);
                        warm.add(wm);
                        ctx.log("coldstart run %d: PLAY to first sample %.1f ms cold (fetching), %.1f ms cached",
                                r + 1, cm, wm);
                        admin.command(new ClientMessage.Stop(), l -> false, 10_000);
                        Thread.sleep(300);
                    }
                }
            }
        }
        double c = Stats.of(cold).median();
        double w = Stats.of(warm).median();
        report.add("cold start, " + Report.num(song.length / 1048576.0) + " MiB song",
                "PLAY to first sample, median of " + runs, Report.num(c) + " ms (must fetch)",
                Report.num(w) + " ms (cached)", Report.ratio(c, w));
        report.note("Cold start: a client without the song gets PLAY, GETs it and starts while it downloads"
                + " (late, at the lobby's position); peer: a client of the same lobby with the song cached, which"
                + " waits for the start instant the server scheduled ahead (its figure is that lead).");
    }
}
