package dev.thing.bench;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.MessageWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * THING members on the load generator: lobbies of a given size, each made of a creator (ADMIN) and joiners that
 * the ADMIN accepts as soon as the server says they wait. At most {@code window} handshakes are under way at once,
 * so the server's accept backlog is never flooded.
 */
public final class ThingCrowd {

    /** What a joined member does with the lines it gets after joining (selector thread). */
    public interface Listener {
        void onLine(Member m, String line, long nanos);
    }

    /** One connection of the crowd. */
    public static final class Member implements LoadGenerator.Handler {
        public final String lobby;
        public final String name;
        public final int index;
        final Member admin;
        private final ThingCrowd crowd;
        volatile LoadGenerator.Conn conn;
        volatile boolean joined;
        private int attempts;

        Member(ThingCrowd crowd, String lobby, String name, int index, Member admin) {
            this.crowd = crowd;
            this.lobby = lobby;
            this.name = name;
            this.index = index;
            this.admin = admin;
        }

        public void send(ClientMessage m) {
            conn.send(MessageWriter.line(m));
        }

        public LoadGenerator.Conn conn() {
            return conn;
        }

        @Override
        public void onConnected(LoadGenerator.Conn c) {
            conn = c;
        }

        @Override
        public void onLine(LoadGenerator.Conn c, String line, long nanos) {
            if (joined) {
                Listener l = crowd.listener;
                if (l != null) {
                    l.onLine(this, line, nanos);
                }
                return;
            }
            if (line.startsWith("NOTIFY THING/")) {
                send(new ClientMessage.Join(lobby, name));
            } else if (LineClient.isOkay(line)) {
                joined = true;
                crowd.joinedCount.incrementAndGet();
                crowd.handshakes.release();
                crowd.latch.countDown();
            } else if (line.startsWith("NOTIFY waiting for approval")) {
                admin.send(new ClientMessage.Accept(name));
            } else if (line.startsWith("ERROR") || line.endsWith(" TAKEN")) {
                crowd.fail(name + ": " + line);
                crowd.handshakes.release();
                crowd.latch.countDown();
            }
        }

        @Override
        public void onClosed(LoadGenerator.Conn c) {
            if (joined) {
                return;
            }
            if (c.closeReason().contains("Connection reset") && ++attempts < 5
                    && crowd.gen.reconnect(crowd.server, this)) {
                return;
            }
            crowd.fail(name + ": closed before joining: " + c.closeReason());
            crowd.handshakes.release();
            crowd.latch.countDown();
        }
    }

    private final LoadGenerator gen;
    private final InetSocketAddress server;
    private final Semaphore handshakes;
    private final AtomicInteger joinedCount = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<List<Member>> lobbies = new ArrayList<>();
    private volatile CountDownLatch latch = new CountDownLatch(0);
    private volatile Listener listener;
    private volatile String failure;

    public ThingCrowd(LoadGenerator gen, InetSocketAddress server, int window) {
        this.gen = gen;
        this.server = server;
        this.handshakes = new Semaphore(window);
    }

    private void fail(String why) {
        if (failed.getAndIncrement() == 0) {
            failure = why;
        }
    }

    public void listen(Listener l) {
        this.listener = l;
    }

    /**
     * Creates {@code lobbyCount} lobbies of {@code size} members each (names {@code <prefix><n>}, members
     * {@code m0..}; m0 is the ADMIN) and waits until all are in, or throws after {@code timeoutMs}.
     */
    public List<List<Member>> join(String prefix, int lobbyCount, int size, long timeoutMs, Progress progress)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        List<Member> admins = new ArrayList<>();
        latch = new CountDownLatch(lobbyCount);
        for (int l = 0; l < lobbyCount; l++) {
            Member a = new Member(this, prefix + l, "m0", 0, null);
            admins.add(a);
            List<Member> lobby = new ArrayList<>();
            lobby.add(a);
            lobbies.add(lobby);
            acquire(deadline);
            gen.connect(server, a);
        }
        await(latch, deadline, "lobby creators");
        latch = new CountDownLatch(lobbyCount * (size - 1));
        int total = lobbyCount * size;
        int reported = 0;
        // Round-robin over the lobbies, so that every admin accepts a few at a time.
        for (int i = 1; i < size; i++) {
            for (int l = 0; l < lobbyCount; l++) {
                Member m = new Member(this, prefix + l, "m" + i, i, admins.get(l));
                lobbies.get(l).add(m);
                acquire(deadline);
                gen.connect(server, m);
                int done = joinedCount.get();
                if (progress != null && done / 1000 > reported / 1000) {
                    reported = done;
                    progress.report(done, total);
                }
            }
        }
        await(latch, deadline, "joiners");
        if (failed.get() > 0) {
            throw new IOException(failed.get() + " members failed to join, e.g. " + failure);
        }
        return lobbies;
    }

    public int joined() {
        return joinedCount.get();
    }

    private void acquire(long deadline) throws InterruptedException, IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !handshakes.tryAcquire(left, TimeUnit.NANOSECONDS)) {
            throw new IOException("timed out with " + joinedCount.get() + " members joined");
        }
        if (failed.get() > 0) {
            throw new IOException("a member failed to join: " + failure);
        }
    }

    private void await(CountDownLatch l, long deadline, String what) throws InterruptedException, IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !l.await(left, TimeUnit.NANOSECONDS)) {
            throw new IOException("timed out waiting for " + what + " (" + joinedCount.get() + " joined)");
        }
        if (failed.get() > 0) {
            throw new IOException(failed.get() + " members failed to join, e.g. " + failure);
        }
    }

    /** Progress callback for long joins. */
    public interface Progress {
        void report(int done, int total);
    }
}
