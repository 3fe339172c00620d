package dev.thing.bench;

import dev.thing.client.ClockSyncPort;
import dev.thing.client.ThingClient;
import dev.thing.client.audio.AudioSink;
import dev.thing.client.audio.PlaybackControl;
import dev.thing.client.audio.Player;
import dev.thing.client.audio.RecordingSink;
import dev.thing.client.console.ConsoleIO;
import dev.thing.client.sync.ClockSync;
import dev.thing.client.sync.LocalClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A real THING client stack (ThingClient with its ClockSync, PlaybackCoordinator, SongCache and Player), run in
 * this process with a clock whose wall time is off by a fixed amount and a {@link RecordingSink} instead of a sound
 * card. It records, for every song started, when the PLAY line arrived and when the first sample was handed over.
 */
final class BenchClient implements AutoCloseable {
    /** One song start. {@code alignedNanos} is the hand-over instant minus the frames dropped to stay aligned. */
    record Start(String title, long playReceivedNanos, long firstSampleNanos, long droppedFrames, int rate) {
        long alignedNanos() {
            return firstSampleNanos - droppedFrames * 1_000_000_000L / Math.max(1, rate);
        }
    }

    /** System time, but the wall clock (what TIME samples are stamped with) is off by {@code offsetMicros}. */
    record OffsetClock(long offsetMicros) implements LocalClock {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochMicros() {
            return LocalClock.SYSTEM.epochMicros() + offsetMicros;
        }

        @Override
        public void sleepUntil(long deadlineNanos) throws InterruptedException {
            LocalClock.SYSTEM.sleepUntil(deadlineNanos);
        }
    }

    private static final String END = "\u0000end";

    final String name;
    final long offsetMicros;
    final Path cacheDir;
    private final BlockingQueue<String> input = new LinkedBlockingQueue<>();
    private final CountDownLatch joined = new CountDownLatch(1);
    private final List<Start> starts = new ArrayList<>();
    private final Thread thread;
    private volatile ClockSync sync;
    private volatile long lastPlayNanos;
    private volatile String lastPlayTitle;
    private volatile int exitCode = -1;

    BenchClient(String host, int port, String lobby, String name, long offsetMicros, Path cacheDir) {
        this.name = name;
        this.offsetMicros = offsetMicros;
        this.cacheDir = cacheDir;
        OffsetClock clock = new OffsetClock(offsetMicros);
        ThingClient.Config config = new ThingClient.Config(host, port, cacheDir, 1L << 30, 0, true, lobby, name);
        ThingClient client = new ThingClient(config, components(), clock);
        thread = new Thread(() -> exitCode = client.run(state -> console()), "bench-client-" + name);
        thread.setDaemon(true);
    }

    BenchClient start() {
        thread.start();
        return this;
    }

    private ThingClient.Components components() {
        return new ThingClient.Components() {
            @Override
            public ClockSyncPort clockSync(LocalClock clock) {
                ClockSync cs = new ClockSync(clock);
                sync = cs;
                return ClockSyncPort.of(cs::addSample, cs, cs::offsetMicros, cs::bestRttMicros, cs::ready);
            }

            @Override
            public PlaybackControl playback(ThingClient.Config config, LocalClock clock, Consumer<String> warn) {
                Player[] player = new Player[1];
                Supplier<AudioSink> sinks = () -> {
                    long playAt = lastPlayNanos;
                    String title = lastPlayTitle;
                    RecordingSink sink = new RecordingSink(clock);
                    AtomicBoolean first = new AtomicBoolean(true);
                    sink.onWrite(w -> {
                        if (first.getAndSet(false)) {
                            int rate = Math.round(sink.format().getSampleRate());
                            synchronized (starts) {
                                starts.add(new Start(title, playAt, w.nanos(), player[0].droppedFrames(), rate));
                                starts.notifyAll();
                            }
                        }
                    });
                    return sink;
                };
                player[0] = new Player(sinks, clock, 0);
                return player[0];
            }
        };
    }

    private ConsoleIO console() {
        return new ConsoleIO() {
            @Override
            public String readLine() {
                try {
                    String l = input.take();
                    return l.equals(END) ? null : l;
                } catch (InterruptedException e) {
                    return null;
                }
            }

            @Override
            public void println(String text) {
            }

            @Override
            public void hangUp(String why) {
                // The connection is gone: end the command loop as a closed input would.
                input.offer(END);
            }

            @Override
            public void notice(String text) {
                // ThingClient says "now playing <title> from ..." right before handing the PLAY to playback.
                if (text.startsWith("now playing ")) {
                    lastPlayNanos = System.nanoTime();
                    String rest = text.substring("now playing ".length());
                    int from = rest.lastIndexOf(" from ");
                    lastPlayTitle = from < 0 ? rest : rest.substring(0, from);
                } else if (text.startsWith("joined ")) {
                    joined.countDown();
                }
            }

            @Override
            public void alert(String text) {
            }

            @Override
            public void error(String text) {
                System.err.println("           client " + name + ": " + text);
            }

            @Override
            public void progress(String text) {
            }

            @Override
            public void endProgress() {
            }

            @Override
            public boolean interactive() {
                return false;
            }

            @Override
            public Handle onInterrupt(Runnable action) {
                return () -> { };
            }

            @Override
            public void close() {
            }
        };
    }

    boolean awaitJoined(long timeoutMs) throws InterruptedException {
        return joined.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    int startCount() {
        synchronized (starts) {
            return starts.size();
        }
    }

    /** Waits until more than {@code count} starts are recorded; returns start number {@code count}, or null. */
    Start awaitStart(int count, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (starts) {
            while (starts.size() <= count) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return null;
                }
                starts.wait(left);
            }
            return starts.get(count);
        }
    }

    /** The clock offset ClockSync estimates (server minus this client's wall clock), in microseconds. */
    OptionalLong estimatedOffsetMicros() {
        ClockSync cs = sync;
        return cs == null ? OptionalLong.empty() : cs.offsetMicros();
    }

    /** True when the song is in this client's cache index. */
    boolean hasCached(String title) {
        try {
            Path index = cacheDir.resolve("index.txt");
            return Files.isRegularFile(index) && Files.readString(index).contains("\t" + title + "\t");
        } catch (IOException e) {
            return false;
        }
    }

    List<Start> starts() {
        synchronized (starts) {
            return new ArrayList<>(starts);
        }
    }

    @Override
    public void close() {
        input.add(END);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
