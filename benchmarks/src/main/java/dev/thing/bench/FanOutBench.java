package dev.thing.bench;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.MetadataField;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Fan-out: one lobby-wide line to N members; per round, the time from the sender's write until the last of the
 * other N-1 members has read it. THING: an UPDATE (the admin's {@code SONG #1 SET TAG2 ...}, which also rewrites
 * the ID3 tag on disk) and a NOTIFY (the admin's PROMOTE of a member, in memory only). IRC (ngircd): one PRIVMSG to a
 * channel of N. The same load generator drives both.
 */
final class FanOutBench {
    private static final int WARMUP = 5;

    /** One round: which lines count, who has seen it, when the last one did. Touched on the selector thread only. */
    private static final class Round {
        final Predicate<String> matches;
        final int sender;
        final boolean[] seen;
        int remaining;
        long last;
        final CountDownLatch done = new CountDownLatch(1);

        Round(Predicate<String> matches, int sender, int members) {
            this.matches = matches;
            this.sender = sender;
            this.seen = new boolean[members];
            this.remaining = members - 1;
        }

        void offer(int member, String line, long nanos) {
            if (member == sender || seen[member] || !matches.test(line)) {
                return;
            }
            seen[member] = true;
            last = Math.max(last, nanos);
            if (--remaining == 0) {
                done.countDown();
            }
        }
    }

    private final BenchContext ctx;
    private final int members;
    private final int rounds;
    private volatile Round round;

    FanOutBench(BenchContext ctx) {
        this(ctx, ctx.quick ? 200 : 1000);
    }

    FanOutBench(BenchContext ctx, int members) {
        if (members < 2) {
            throw new IllegalArgumentException("a fan-out needs at least 2 members, not " + members);
        }
        this.ctx = ctx;
        this.members = members;
        this.rounds = ctx.quick ? 10 : 30;
    }

    void run(Report report) throws Exception {
        String what = "fan-out to " + members;
        List<Double> update;
        List<Double> notify;
        try (ServerProcess server = ctx.startServer("fanout-" + members, List.of("--trusted-admins"));
             LoadGenerator gen = new LoadGenerator(LoadGenerator.Dialect.THING)) {
            try (LineClient setup = LineClient.join(server.address(), "setup", "uploader")) {
                String r = setup.upload("fan-song", BenchContext.fixture("sine-440-3s.mp3"), 30_000);
                if (!r.startsWith("OKAY")) {
                    throw new IOException("upload for the fan-out failed: " + r);
                }
            }
            ThingCrowd crowd = new ThingCrowd(gen, server.address(), 200);
            long t = System.nanoTime();
            List<ThingCrowd.Member> lobby = crowd.join("fan", 1, members, 120_000, null).get(0);
            ctx.log("fan-out: %d THING members joined in %.1f s", members, (System.nanoTime() - t) / 1e9);
            crowd.listen((m, line, nanos) -> {
                Round r = round;
                if (r != null) {
                    r.offer(m.index, line, nanos);
                }
            });
            Thread.sleep(1500); // the PING burst at accept is over
            ThingCrowd.Member admin = lobby.get(0);
            update = measure("THING UPDATE", i -> {
                String value = "fan" + i + "z";
                return new Round(l -> l.startsWith("UPDATE ") && l.endsWith(" " + value), 0, members);
            }, i -> admin.send(new ClientMessage.SongSet("fan-song", MetadataField.TAG2, "fan" + i + "z")));
            notify = measure("THING NOTIFY", i -> {
                String prefix = "NOTIFY m" + (i + 1) + " is now a moderator";
                return new Round(l -> l.startsWith(prefix), 0, members);
            }, i -> admin.send(new ClientMessage.Promote("m" + (i + 1))));
        }
        List<Double> irc = null;
        String skipped = null;
        if (ctx.ngircd.isEmpty()) {
            skipped = ctx.peerSkipped();
            ctx.log("%s", skipped);
        } else {
            // ngircd lets a crowd join at about 16 clients a second (its flood penalty): the wait grows with the size.
            long joinMs = Math.max(120_000, members * 100L);
            try (IrcServer irc0 = IrcServer.start(ctx.ngircd.get(), ctx.workDir.resolve("ngircd-" + members));
                 LoadGenerator gen = new LoadGenerator(LoadGenerator.Dialect.IRC)) {
                IrcCrowd crowd = new IrcCrowd(gen, irc0.address(), "#bench", 20);
                long t = System.nanoTime();
                List<IrcCrowd.Member> chan = crowd.join(members, joinMs);
                ctx.log("fan-out: %d IRC clients joined #bench in %.1f s", members, (System.nanoTime() - t) / 1e9);
                crowd.listen((m, line, nanos) -> {
                    Round r = round;
                    if (r != null) {
                        r.offer(m.index, line, nanos);
                    }
                });
                Thread.sleep(500);
                // A different sender each round: ngircd delays a client's commands past a short burst (flood
                // penalty), which would measure its rate limit and not its fan-out.
                irc = measure("IRC PRIVMSG", i -> {
                    String text = "PRIVMSG #bench :fan" + i + "z";
                    return new Round(l -> l.endsWith(text), i % members, members);
                }, i -> chan.get(i % members).send("PRIVMSG #bench :fan" + i + "z"));
            } catch (IOException e) {
                // The THING figures stand on their own; the peer's failure is said where its figure would be.
                skipped = "ngircd at " + members + " failed: " + e.getMessage();
                ctx.log("%s", skipped);
            }
        }
        Stats u = Stats.of(update);
        Stats n = Stats.of(notify);
        Stats i = irc == null ? null : Stats.of(irc);
        row(report, what, "UPDATE (SONG SET, tag written to disk), p50", u.median(), i == null ? null : i.median());
        row(report, what, "UPDATE (SONG SET, tag written to disk), p99", u.p(99), i == null ? null : i.p(99));
        row(report, what, "NOTIFY (PROMOTE), p50", n.median(), i == null ? null : i.median());
        row(report, what, "NOTIFY (PROMOTE), p99", n.p(99), i == null ? null : i.p(99));
        report.note("Fan-out: " + members + " members in one lobby / one IRC channel; time from the sender's write until"
                + " the last of the other " + (members - 1) + " has read the line; " + rounds + " rounds after "
                + WARMUP + " warm-up rounds. Peer: ngircd (one PRIVMSG to the channel)"
                + (skipped != null ? " - " + skipped : "") + ".");
    }

    private static void row(Report report, String bench, String metric, double thing, Double peer) {
        if (peer == null) {
            report.add(bench, metric, Report.num(thing) + " ms", "skipped", "-");
        } else {
            report.addRatio(bench, metric, thing, peer, "ms");
        }
    }

    private List<Double> measure(String label, java.util.function.IntFunction<Round> roundFor, Consumer<Integer> send)
            throws InterruptedException, IOException {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < WARMUP + rounds; i++) {
            Round r = roundFor.apply(i);
            round = r;
            long t0 = System.nanoTime();
            send.accept(i);
            if (!r.done.await(20, TimeUnit.SECONDS)) {
                round = null;
                throw new IOException(label + ": round " + i + " timed out (" + r.remaining + " members still waiting)");
            }
            round = null;
            if (i >= WARMUP) {
                ms.add((r.last - t0) / 1e6);
            }
            Thread.sleep(50);
        }
        Stats s = Stats.of(ms);
        ctx.log("fan-out %s: p50 %.2f ms, p99 %.2f ms", label, s.median(), s.p(99));
        return ms;
    }
}
