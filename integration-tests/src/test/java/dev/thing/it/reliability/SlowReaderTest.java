package dev.thing.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.server.ServerConfig;
import dev.thing.server.ThingServer;
import dev.thing.server.lobby.Member;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member that never reads its socket while its lobby is busy: the server must cut it off (its unsent output
 * passes maxUnsentBytes), keep serving the others, and not hoard memory for it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(QuietLogs.class)
class SlowReaderTest {
    static final long SEED = Long.getLong("thing.fuzz.seed", 0x7417_2024L);

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

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private boolean slothIsMember() {
        return server.lobbies().lobby("slow").orElseThrow().members().stream()
                .map(Member::username).anyMatch("sloth"::equalsIgnoreCase);
    }

    private static void awaitCount(java.util.function.LongSupplier count, long atLeast, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + RawClient.WAIT.toNanos();
        while (count.getAsLong() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": " + count.getAsLong() + " of " + atLeast + " within " + RawClient.WAIT);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aMemberThatNeverReadsIsDisconnectedAndTheOthersAreServed() throws Exception {
        System.out.println("SlowReaderTest seed=" + SEED);
        ServerConfig.Builder b = ServerConfig.forTests(dir).toBuilder();
        b.maxUnsentBytes = 64 * 1024;
        b.rateBurst = 1_000_000; // the admin is a traffic generator here
        b.ratePerSecond = 1_000_000;
        server = new ThingServer(b.build());
        InetSocketAddress address = server.start();
        long heapBefore = usedHeap();

        RawClient admin = RawClient.connect(address, "boss", true);
        clients.add(admin);
        admin.send("slow boss");
        assertThat(admin.next()).matches(dev.thing.it.TelnetClient.JOIN_OKAY);
        RawClient normal = RawClient.connect(address, "normal", true);
        clients.add(normal);
        assertThat(normal.command("CAP SONGS")).containsExactly("OKAY");
        normal.send("slow normal");
        awaitCount(() -> normal.countEvents("NOTIFY waiting for approval"), 1, "normal is pending");
        assertThat(admin.command("ACCEPT normal")).containsExactly("OKAY");
        assertThat(normal.next()).matches(dev.thing.it.TelnetClient.JOIN_OKAY);
        RawClient sloth = RawClient.connectNonReading(address, "sloth");
        clients.add(sloth);
        sloth.send("slow sloth");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> accept;
        do {
            // the join line may not have been handled yet: then NO_SUCH_USER, and we try again
            accept = admin.command("ACCEPT sloth");
            assertThat(System.nanoTime()).as("sloth accepted within 60 s").isLessThan(deadline);
        } while (!accept.equals(List.of("OKAY")));
        assertThat(slothIsMember()).isTrue();

        // A song with a long title: uploading it pushes it to both members; every SEEK broadcasts a long PLAY line.
        String title = "Slow Reader Anthem " + "x".repeat(200);
        assertThat(admin.upload(Audio.bytes("click-track-30s.mp3"), title, "someone", "", "")).matches("OKAY [0-9]+");
        // The normal member takes its copy first: lines to a client wait (and count against the bound) while a
        // transfer to it is under way, and that is not what this test is about.
        awaitCount(() -> normal.transfersReceived.get(), 1, "song pushed to the normal member");
        assertThat(admin.command("PLAY \"" + title + "\"")).containsExactly("OKAY");

        Random rnd = new Random(SEED);
        int seeks = 0;
        int batch = 200;
        while (slothIsMember()) {
            assertThat(seeks).as("SEEKs sent without the non-reader being cut off").isLessThan(200_000);
            for (int i = 0; i < batch; i++) {
                admin.send("SEEK " + rnd.nextInt(25_000));
            }
            for (int i = 0; i < batch; i++) {
                assertThat(admin.finalReply()).isEqualTo("OKAY");
            }
            seeks += batch;
            // The normal member reads at its own pace: let it catch up before the next batch.
            long plays = 1 + seeks;
            awaitCount(() -> normal.countEvents("PLAY "), plays, "PLAY events at the normal member");
        }
        System.out.println("SlowReaderTest: the non-reader was cut off after " + seeks + " SEEKs");

        // The others are still served, and the lobby no longer lists the non-reader.
        List<String> users = normal.command("USERS");
        assertThat(users).hasSize(3);
        assertThat(users.get(0)).startsWith("USER boss ADMIN ");
        assertThat(users.get(1)).startsWith("USER normal USER ");
        assertThat(users.get(2)).isEqualTo("OKAY");
        assertThat(normal.command("TIME still-here").get(0)).startsWith("TIME still-here ");
        assertThat(normal.hasEvent(e -> e.startsWith("PLAY "))).isTrue();
        assertThat(normal.transfersReceived.get()).as("songs pushed to the normal member").isEqualTo(1);
        assertThat(normal.readFailure).isNull();
        assertThat(normal.ended.getCount()).isEqualTo(1);
        assertThat(server.connectionCount()).isEqualTo(2);

        long growth = usedHeap() - heapBefore;
        System.out.println("SlowReaderTest: heap grew by " + growth / 1024 + " KiB");
        assertThat(growth).as("heap growth in bytes").isLessThan(64L * 1024 * 1024);
    }
}
