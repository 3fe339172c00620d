package dev.thing.client;

import dev.thing.client.net.Reply;
import dev.thing.protocol.ClientMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Sends the TIME exchanges that feed clock sync: a burst on joining, then one every period. The samples are taken
 * by the protocol (t0 when the line is written, t1 when the reply arrives) and fed to the clock sync.
 */
final class ClockSampler implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ClockSampler.class);
    private final Function<ClientMessage, CompletableFuture<Reply>> sender;
    private final int burst;
    private final long burstGapMs;
    private final long periodMs;
    private final AtomicLong counter = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "thing-client-clock");
        t.setDaemon(true);
        return t;
    });

    ClockSampler(Function<ClientMessage, CompletableFuture<Reply>> sender, int burst, long burstGapMs, long periodMs) {
        this.sender = sender;
        this.burst = burst;
        this.burstGapMs = burstGapMs;
        this.periodMs = periodMs;
    }

    void start() {
        for (int i = 0; i < burst; i++) {
            timer.schedule(this::sample, i * burstGapMs, TimeUnit.MILLISECONDS);
        }
        timer.scheduleAtFixedRate(this::sample, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        sender.apply(new ClientMessage.Time("c" + counter.incrementAndGet())).whenComplete((r, e) -> {
            if (e != null) {
                LOG.debug("TIME failed", e);
            } else if (!r.ok()) {
                LOG.warn("TIME answered {}", r.finalLine());
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
