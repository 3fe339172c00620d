package dev.thing.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** IRC clients on the load generator: register (NICK/USER), JOIN one channel, then pass lines on. */
public final class IrcCrowd {

    /** What a joined member does with the lines it gets after joining (selector thread). */
    public interface Listener {
        void onLine(Member m, String line, long nanos);
    }

    /** One IRC connection. */
    public static final class Member implements LoadGenerator.Handler {
        public final String nick;
        public final int index;
        private final IrcCrowd crowd;
        volatile LoadGenerator.Conn conn;
        volatile boolean joined;
        private int attempts;

        Member(IrcCrowd crowd, String nick, int index) {
            this.crowd = crowd;
            this.nick = nick;
            this.index = index;
        }

        public void send(String line) {
            conn.send(line + "\r");
        }

        @Override
        public void onConnected(LoadGenerator.Conn c) {
            conn = c;
            send("NICK " + nick);
            send("USER " + nick + " 0 * :" + nick);
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
            String[] w = line.split(" ", 4);
            if (w.length >= 2 && w[1].equals("001")) {
                send("JOIN " + crowd.channelOf(index));
            } else if (w.length >= 2 && w[1].equals("366")) {
                joined = true;
                crowd.handshakes.release();
                crowd.joinedCount.incrementAndGet();
                crowd.latch.countDown();
            } else if (line.startsWith("ERROR") || (w.length >= 2 && w[1].matches("4[3-7][0-9]"))) {
                // nickname and channel errors; other 4xx numerics (no MOTD, say) are harmless
                crowd.fail(nick + ": " + line);
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
            crowd.fail(nick + ": closed before joining: " + c.closeReason());
            crowd.handshakes.release();
            crowd.latch.countDown();
        }
    }

    private final LoadGenerator gen;
    private final InetSocketAddress server;
    private final String channel;
    private final int channels;
    private final Semaphore handshakes;
    private final AtomicInteger joinedCount = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private volatile CountDownLatch latch;
    private volatile Listener listener;
    private volatile String failure;

    /** All clients in one channel. */
    public IrcCrowd(LoadGenerator gen, InetSocketAddress server, String channel, int window) {
        this(gen, server, channel, 1, window);
    }

    /** Client i joins channel {@code <channel><i % channels>} (or just {@code channel} when there is one). */
    public IrcCrowd(LoadGenerator gen, InetSocketAddress server, String channel, int channels, int window) {
        this.gen = gen;
        this.server = server;
        this.channel = channel;
        this.channels = channels;
        this.handshakes = new Semaphore(window);
    }

    private void fail(String why) {
        if (failed.getAndIncrement() == 0) {
            failure = why;
        }
    }

    String channelOf(int index) {
        return channels == 1 ? channel : channel + (index % channels);
    }

    public int joined() {
        return joinedCount.get();
    }

    public void listen(Listener l) {
        this.listener = l;
    }

    /** Connects {@code size} clients (nicks u0..), all joining the channel; waits for all or throws. */
    public List<Member> join(int size, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        latch = new CountDownLatch(size);
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Member m = new Member(this, "u" + i, i);
            members.add(m);
            long left = deadline - System.nanoTime();
            if (left <= 0 || !handshakes.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                throw new IOException("IRC: timed out with " + joinedCount.get() + " joined; " + failure);
            }
            if (failed.get() > 0) {
                throw new IOException("IRC: a client failed: " + failure);
            }
            gen.connect(server, m);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !latch.await(left, TimeUnit.NANOSECONDS)) {
            throw new IOException("IRC: timed out with " + joinedCount.get() + " joined; " + failure);
        }
        if (failed.get() > 0) {
            throw new IOException("IRC: " + failed.get() + " clients failed, e.g. " + failure);
        }
        return members;
    }
}
