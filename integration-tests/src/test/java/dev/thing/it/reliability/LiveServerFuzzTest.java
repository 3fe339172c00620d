package dev.thing.it.reliability;

import dev.thing.protocol.fuzz.Fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.MessageParser;
import dev.thing.protocol.ProtocolException;
import dev.thing.server.ServerConfig;
import dev.thing.server.ThingServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live server under a storm of hostile connections: 20 fuzzers (lines, raw bytes, SEND/CHUNK sequences, before
 * and after joining) while an observer sits in its own lobby. Afterwards the server must still serve the observer
 * and new connections, and every fuzz connection must either be in step (its final {@code TIME fin} is answered)
 * or have been closed by the server with a last word (NOTIFY, TAKEN, or the OKAY of a QUIT).
 * The seed is printed; {@code -Dthing.fuzz.seed=...} replays it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@org.junit.jupiter.api.extension.ExtendWith(QuietLogs.class)
class LiveServerFuzzTest {
    static final long SEED = Long.getLong("thing.fuzz.seed", 0x7417_2024L);
    static final int FUZZERS = 20;
    private static final Pattern UPLOAD_OK = Pattern.compile("OKAY ([0-9]+)");

    @TempDir
    Path dir;
    ThingServer server;
    final List<RawClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        // The server first: it tells every client and closes them (no broken pipes in its log).
        if (server != null) {
            server.close();
        }
        clients.forEach(RawClient::close);
    }

    enum Outcome { IN_STEP, CLOSED_WITH_WORD, RESET }

    record Result(int index, Outcome outcome, String lastLine, List<Long> uploadedIds, List<String> internalErrors,
            long linesSent) {
    }

    @Test
    void serverSurvivesAFuzzStormAndStaysInStep() throws Exception {
        System.out.println("LiveServerFuzzTest seed=" + SEED);
        ServerConfig.Builder b = ServerConfig.forTests(dir).toBuilder();
        b.rateBurst = 1_000_000; // the fuzzers are not here to test the rate limiter
        b.ratePerSecond = 1_000_000;
        b.pingInterval = Duration.ofSeconds(1);
        server = new ThingServer(b.build());
        InetSocketAddress address = server.start();

        RawClient observer = open(address, "observer", true);
        observer.send("observers obs");
        assertThat(observer.next()).matches(dev.thing.it.TelnetClient.JOIN_OKAY);

        ExecutorService pool = Executors.newFixedThreadPool(FUZZERS);
        List<Future<Result>> futures = new ArrayList<>();
        for (int i = 0; i < FUZZERS; i++) {
            int index = i;
            futures.add(pool.submit(() -> fuzz(address, index)));
        }
        List<Result> results = new ArrayList<>();
        for (Future<Result> f : futures) {
            results.add(f.get(4, TimeUnit.MINUTES));
        }
        pool.shutdown();

        int inStep = 0;
        int closed = 0;
        int reset = 0;
        Set<Long> acknowledged = new TreeSet<>();
        for (Result r : results) {
            System.out.println("  fuzzer " + r.index() + ": " + r.outcome() + " after " + r.linesSent()
                    + " items, last line " + clip(r.lastLine()) + ", uploads " + r.uploadedIds());
            assertThat(r.internalErrors()).as("fuzzer %d got ERROR INTERNAL (seed %d)", r.index(), SEED).isEmpty();
            if (r.index() % 4 != 0) {
                // A member that neither QUITs nor stops reading has no reason to be closed: it must be in step.
                assertThat(r.outcome()).as("fuzzer %d (member; seed %d)", r.index(), SEED).isEqualTo(Outcome.IN_STEP);
            }
            switch (r.outcome()) {
                case IN_STEP -> inStep++;
                case CLOSED_WITH_WORD -> closed++;
                case RESET -> reset++;
            }
            acknowledged.addAll(r.uploadedIds());
        }
        System.out.println("  in step " + inStep + ", closed with a last word " + closed + ", reset " + reset);
        assertThat(reset).as("connections cut by the server without a last word").isZero();

        // The observer is still served, correctly.
        List<String> users = observer.command("USERS");
        assertThat(users).hasSize(2);
        assertThat(users.get(0)).startsWith("USER obs ADMIN ");
        assertThat(users.get(1)).isEqualTo("OKAY");
        List<String> time = observer.command("TIME after-storm");
        assertThat(time).hasSize(2);
        assertThat(time.get(0)).matches("TIME after-storm [0-9]{16,}");
        assertThat(time.get(1)).isEqualTo("OKAY");
        List<String> list = observer.command("LIST");
        assertThat(list.get(list.size() - 1)).startsWith("OKAY"); // "OKAY the library is empty" if no upload stuck
        Set<Long> listed = new TreeSet<>();
        for (String line : list.subList(0, list.size() - 1)) {
            assertThat(line).startsWith("SONG ");
            listed.add(Long.parseLong(line.split(" ")[1]));
        }
        // Acknowledged uploads are exactly the library (nothing else was stored, nothing acknowledged was lost).
        assertThat(listed).as("LIST ids vs acknowledged uploads").isEqualTo(acknowledged);
        // Every stored song was announced to every accepted client, the observer included.
        for (String line : list.subList(0, list.size() - 1)) {
            String title = ((dev.thing.protocol.ServerMessage.SongLine) MessageParser.parseServer(line)).title();
            assertThat(observer.hasEvent(e -> e.startsWith("UPDATE ") && updateTitle(e).equals(title)))
                    .as("observer got UPDATE for %s", title).isTrue();
        }

        // New connections are still accepted and served.
        RawClient fresh = open(address, "fresh", true);
        fresh.send("fresh newbie");
        assertThat(fresh.next()).matches(dev.thing.it.TelnetClient.JOIN_OKAY);
        assertThat(fresh.command("TIME x").get(0)).startsWith("TIME x ");
        assertThat(observer.readFailure).isNull();
        assertThat(observer.ended.getCount()).isEqualTo(1);
    }

    private RawClient open(InetSocketAddress address, String name, boolean answerPings) throws IOException {
        RawClient c = RawClient.connect(address, name, answerPings);
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    private Result fuzz(InetSocketAddress address, int index) throws Exception {
        Random rnd = new Random(SEED * 1_000_003L + index);
        boolean staysOutside = index % 4 == 0;
        RawClient c = open(address, "fuzzer-" + index, false);
        long sent = 0;
        try {
            // A couple of hostile lines before joining (never a join line, never enough to be thrown out).
            int before = staysOutside ? 0 : rnd.nextInt(3);
            for (int i = 0; i < before; i++) {
                c.send(preJoinLine(rnd));
                sent++;
            }
            if (!staysOutside) {
                c.send("fz" + index + " admin" + index);
                c.await(l -> l.matches(dev.thing.it.TelnetClient.JOIN_OKAY), "the join OKAY");
            }
            Defanger out = new Defanger(c);
            int items = 150 + rnd.nextInt(200);
            for (int i = 0; i < items && c.ended.getCount() > 0; i++) {
                int kind = rnd.nextInt(100);
                if (staysOutside) {
                    if (kind < 70) {
                        c.send(preJoinLine(rnd));
                    } else {
                        c.sendRaw(scrub(Fuzz.bytes(rnd, 1 + rnd.nextInt(1_500), true),
                                LiveServerFuzzTest::joinsOrQuits));
                    }
                } else if (kind < 60) {
                    out.send((memberLine(rnd) + "\n").getBytes(StandardCharsets.UTF_8));
                } else if (kind < 80) {
                    out.send(Fuzz.bytes(rnd, 1 + rnd.nextInt(2_000), true));
                } else {
                    out.send(transfer(rnd, index, i));
                }
                sent++;
            }
            if (c.ended.getCount() > 0) {
                // An LF, 66,000 bytes without LF and an LF end whatever chunk or line the fuzz left open.
                ByteArrayOutputStream tail = new ByteArrayOutputStream();
                tail.write('\n');
                byte[] x = new byte[66_000];
                Arrays.fill(x, (byte) 'x');
                tail.writeBytes(x);
                tail.write('\n');
                if (staysOutside) {
                    tail.writeBytes(("fzp" + index + " probe" + index + "\n").getBytes(StandardCharsets.US_ASCII));
                }
                tail.writeBytes("TIME fin\n".getBytes(StandardCharsets.US_ASCII));
                c.sendRaw(tail.toByteArray());
            }
        } catch (IOException e) {
            // the server closed the connection under us: judged below
        }
        Outcome outcome = null;
        List<Long> ids = new ArrayList<>();
        List<String> internal = new ArrayList<>();
        long deadline = System.nanoTime() + RawClient.WAIT.toNanos();
        while (outcome == null) {
            String line = c.replies.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                var m = UPLOAD_OK.matcher(line);
                if (m.matches()) {
                    ids.add(Long.parseLong(m.group(1)));
                }
                if (line.startsWith("ERROR INTERNAL")) {
                    internal.add(line);
                }
                if (line.startsWith("TIME fin ")) {
                    outcome = Outcome.IN_STEP;
                }
                continue;
            }
            if (c.ended.getCount() == 0 && c.replies.isEmpty()) {
                String last = c.lastLine;
                boolean word = last != null && (last.startsWith("NOTIFY ") || last.endsWith(" TAKEN")
                        || last.startsWith("OKAY"));
                outcome = word ? Outcome.CLOSED_WITH_WORD : Outcome.RESET;
                if (!word) {
                    System.out.println("  fuzzer " + index + " ended without a last word: last line " + clip(last)
                            + ", eof " + c.eof + ", failure " + c.readFailure);
                }
            } else if (System.nanoTime() > deadline) {
                throw new AssertionError("fuzzer " + index + " (seed " + SEED + "): neither the TIME fin reply nor a "
                        + "close within " + RawClient.WAIT + "; last line " + clip(c.lastLine));
            }
        }
        c.close();
        return new Result(index, outcome, c.lastLine, ids, internal, sent);
    }

    /**
     * Writes fuzz bytes after breaking every "QUIT" and "DELETE" in them, also across writes: a chunk header with a
     * wrong size can make any suffix of a line a line of its own, so filtering whole lines is not enough.
     */
    static final class Defanger {
        private static final byte[][] WORDS = {"quit".getBytes(StandardCharsets.US_ASCII),
            "delete".getBytes(StandardCharsets.US_ASCII)};
        private final RawClient client;
        private byte[] tail = new byte[0];

        Defanger(RawClient client) {
            this.client = client;
        }

        void send(byte[] bytes) throws IOException {
            byte[] all = new byte[tail.length + bytes.length];
            System.arraycopy(tail, 0, all, 0, tail.length);
            System.arraycopy(bytes, 0, all, tail.length, bytes.length);
            for (int i = 0; i < all.length; i++) {
                for (byte[] w : WORDS) {
                    if (matches(all, i, w)) {
                        int at = Math.max(i, tail.length); // bytes already sent cannot change
                        all[Math.min(at, all.length - 1)] = '!';
                    }
                }
            }
            byte[] fresh = Arrays.copyOfRange(all, tail.length, all.length);
            tail = Arrays.copyOfRange(all, Math.max(0, all.length - 6), all.length);
            client.sendRaw(fresh);
        }

        private static boolean matches(byte[] b, int at, byte[] word) {
            if (at + word.length > b.length) {
                return false;
            }
            for (int k = 0; k < word.length; k++) {
                if (Character.toLowerCase((char) (b[at + k] & 0xff)) != word[k]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A SEND, chunks (right sizes, wrong sizes, oversized), then OKAY, ABORT, a stray line or nothing. */
    private static byte[] transfer(Random rnd, int index, int i) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean real = rnd.nextInt(3) == 0;
        String title = "fz" + index + "-" + i + (rnd.nextInt(5) == 0 ? " \"odd\\ title" : "");
        out.writeBytes(("SEND " + dev.thing.protocol.Tokens.quote(title) + (rnd.nextBoolean() ? " artist tag1 tag2" : "")
                + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] body = real ? Audio.bytes("mono-22k-1s.mp3") : new byte[1 + rnd.nextInt(5_000)];
        if (!real) {
            rnd.nextBytes(body);
        } else if (rnd.nextInt(4) == 0) {
            body[rnd.nextInt(body.length)] ^= (byte) (1 + rnd.nextInt(255));
        }
        int off = 0;
        while (off < body.length) {
            int n = Math.min(body.length - off, 1 + rnd.nextInt(1000));
            int declared = rnd.nextInt(40) == 0 ? n + rnd.nextInt(3) - 1 : n;
            if (rnd.nextInt(60) == 0) {
                declared = 1001 + rnd.nextInt(2000);
                n = Math.min(body.length - off, declared);
            }
            out.writeBytes(("CHUNK " + declared + "\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, off, n);
            off += n;
        }
        switch (rnd.nextInt(6)) {
            case 0 -> out.writeBytes("ABORT\n".getBytes(StandardCharsets.US_ASCII));
            case 1 -> out.writeBytes((Fuzz.line(rnd) + "\n").getBytes(StandardCharsets.UTF_8));
            case 2 -> { }
            default -> out.writeBytes("OKAY\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** A hostile line that does not join a lobby, QUIT, or split into several lines. */
    private static String preJoinLine(Random rnd) {
        while (true) {
            String line = Fuzz.line(rnd);
            if (line.indexOf('\n') < 0 && !joinsOrQuits(line)) {
                return line;
            }
        }
    }

    /**
     * A hostile line for a member that is not a QUIT (a polite close, not what is tested here) nor a DELETE (so that
     * the library ends up holding exactly the acknowledged uploads).
     */
    private static String memberLine(Random rnd) {
        while (true) {
            String line = Fuzz.line(rnd);
            if (!quits(line)) {
                return line;
            }
        }
    }

    private static boolean quits(String line) {
        for (String piece : line.split("\n")) {
            try {
                ClientMessage m = MessageParser.parseClient(piece.endsWith("\r")
                        ? piece.substring(0, piece.length() - 1) : piece);
                if (m instanceof ClientMessage.Quit || m instanceof ClientMessage.Delete) {
                    return true;
                }
            } catch (ProtocolException | RuntimeException e) {
                // not a QUIT
            }
        }
        return false;
    }

    private static boolean joinsOrQuits(String line) {
        try {
            ClientMessage m = MessageParser.parseBeforeJoin(line.endsWith("\r") ? line.substring(0, line.length() - 1)
                    : line);
            return m instanceof ClientMessage.Join || m instanceof ClientMessage.Quit;
        } catch (ProtocolException | RuntimeException e) {
            return false;
        }
    }

    /** Blanks out the LF-separated lines that match (with '!'). */
    private static byte[] scrub(byte[] bytes, java.util.function.Predicate<String> unwanted) {
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                if (unwanted.test(line)) {
                    Arrays.fill(bytes, start, i, (byte) '!');
                }
                start = i + 1;
            }
        }
        return bytes;
    }

    private static String updateTitle(String line) {
        try {
            return ((dev.thing.protocol.ServerMessage.Update) MessageParser.parseServer(line)).title();
        } catch (ProtocolException | RuntimeException e) {
            return "";
        }
    }

    private static String clip(String s) {
        return s == null ? "null" : s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
