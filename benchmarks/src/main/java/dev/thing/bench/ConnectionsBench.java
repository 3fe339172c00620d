package dev.thing.bench;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.MessageParser;
import dev.thing.protocol.ProtocolException;
import dev.thing.protocol.ServerMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Connections: many idle members (lobbies of 100: a creator and 99 accepted joiners) while the server PINGs each one
 * every second. After they settle: the server's RSS (and heap after a full GC, through jcmd), and the PING round
 * trips as the server measured them (every member's last RTT from each admin's USERS). Peer: ngircd holding the
 * same number of idle clients in channels of 100 (RSS only; it does not report round trips).
 */
final class ConnectionsBench {
    private static final int LOBBY = 100;

    private final BenchContext ctx;
    private final int total;
    private final int settleSeconds;
    private final int ircTotal = 1000;

    ConnectionsBench(BenchContext ctx) {
        this.ctx = ctx;
        this.total = ctx.connections > 0 ? ctx.connections : ctx.quick ? 1000 : 10_000;
        this.settleSeconds = ctx.quick ? 5 : 10;
    }

    void run(Report report) throws Exception {
        int lobbies = total / LOBBY;
        String bench = Report.num(total) + " idle connections";
        long idleRss;
        long loadedRss;
        Optional<ServerProcess.Heap> heap;
        List<Double> rtts = Collections.synchronizedList(new ArrayList<>());
        int unknown;
        try (ServerProcess server = ctx.startServer("connections", List.of("--ping-interval", "1"));
             LoadGenerator gen = new LoadGenerator(LoadGenerator.Dialect.THING)) {
            Thread.sleep(1000);
            idleRss = server.rssKib().orElse(-1);
            ThingCrowd crowd = new ThingCrowd(gen, server.address(), 100);
            long t = System.nanoTime();
            List<List<ThingCrowd.Member>> all = crowd.join("c", lobbies, LOBBY, 240_000,
                    (done, of) -> ctx.log("connections: %d of %d joined", done, of));
            ctx.log("connections: %d THING members in %d lobbies joined in %.1f s", total, lobbies,
                    (System.nanoTime() - t) / 1e9);
            Thread.sleep(settleSeconds * 1000L);
            CountDownLatch answered = new CountDownLatch(lobbies);
            int[] unknownCount = new int[1];
            crowd.listen((m, line, nanos) -> {
                if (m.index != 0) {
                    return;
                }
                if (line.startsWith("USER ")) {
                    try {
                        ServerMessage msg = MessageParser.parseServer(line);
                        if (msg instanceof ServerMessage.UserLine u) {
                            if (u.rttMs().isPresent()) {
                                rtts.add(u.rttMs().getAsDouble());
                            } else {
                                unknownCount[0]++;
                            }
                        }
                    } catch (ProtocolException e) {
                        // not ours
                    }
                } else if (line.equals("OKAY")) {
                    answered.countDown();
                }
            });
            for (List<ThingCrowd.Member> lobby : all) {
                lobby.get(0).send(new ClientMessage.Users());
            }
            if (!answered.await(60, TimeUnit.SECONDS)) {
                throw new IOException("USERS not answered by every lobby within 60 s");
            }
            unknown = unknownCount[0];
            loadedRss = server.rssKib().orElse(-1);
            heap = server.heapAfterGc();
            if (gen.closedCount() > 0) {
                throw new IOException(gen.closedCount() + " connections were closed during the run");
            }
        }
        Stats r = Stats.of(rtts);
        ctx.log("connections: THING RSS %d KiB idle, %d KiB with %d members; heap %s; RTT p50 %.1f ms p99 %.1f ms"
                        + " (%d samples, %d unknown)", idleRss, loadedRss, total,
                heap.map(h -> h.usedKib() + " KiB (" + h.collector() + ")").orElse("n/a"), r.median(), r.p(99),
                r.count(), unknown);

        OptionalLong ircRss = OptionalLong.empty();
        OptionalLong ircIdle = OptionalLong.empty();
        String ircNote = null;
        if (ctx.ngircd.isEmpty()) {
            ircNote = ctx.peerSkipped();
        } else {
            try (IrcServer irc = IrcServer.start(ctx.ngircd.get(), ctx.workDir.resolve("ngircd-conn"));
                 LoadGenerator gen = new LoadGenerator(LoadGenerator.Dialect.IRC)) {
                ircIdle = irc.rssKib();
                IrcCrowd crowd = new IrcCrowd(gen, irc.address(), "#c", ircTotal / LOBBY, 20);
                long t = System.nanoTime();
                crowd.join(ircTotal, 120_000);
                ctx.log("connections: %d IRC clients in %d channels joined in %.1f s", ircTotal, ircTotal / LOBBY,
                        (System.nanoTime() - t) / 1e9);
                Thread.sleep(settleSeconds * 1000L);
                ircRss = irc.rssKib();
            } catch (IOException e) {
                ircNote = "ngircd run failed: " + e.getMessage();
                ctx.log("connections: %s", ircNote);
            }
        }
        double thingMib = loadedRss / 1024.0;
        report.add(bench, "server RSS", Report.num(thingMib) + " MiB", "-", "-");
        double thingPer = (loadedRss - idleRss) / (double) total;
        if (ircRss.isPresent()) {
            double ircPer = (ircRss.getAsLong() - ircIdle.orElse(0)) / (double) ircTotal;
            report.addRatio(bench, "RSS per connection (over the idle server)", thingPer, ircPer, "KiB");
        } else {
            report.add(bench, "RSS per connection (over the idle server)", Report.num(thingPer) + " KiB", "skipped",
                    "-");
        }
        report.add(bench, "server heap after full GC", heap.map(h -> Report.num(h.usedKib() / 1024.0) + " MiB ("
                + h.collector() + ")").orElse("n/a (no jcmd)"), "-", "-");
        report.add(bench, "PING RTT seen by the server, p50", Report.num(r.median()) + " ms", "-", "-");
        report.add(bench, "PING RTT seen by the server, p99", Report.num(r.p(99)) + " ms", "-", "-");
        report.note("Connections: " + total + " members in " + lobbies + " lobbies of " + LOBBY + ", --ping-interval 1,"
                + " measured " + settleSeconds + " s after the last was accepted; RTT = each member's last PING round"
                + " trip from USERS (" + r.count() + " values" + (unknown > 0 ? ", " + unknown + " unknown" : "")
                + "). Heap: jcmd GC.run then GC.heap_info on the server JVM (" + String.join(" ", ctx.serverJvm) + ")."
                + " Peer: ngircd with " + ircTotal + " idle clients in channels of " + LOBBY + " (RSS per connection"
                + " only: it registers clients slowly, so it gets " + ircTotal + " clients, not " + total + ")"
                + (ircNote != null ? " - " + ircNote : "") + ".");
    }
}
