package dev.thing.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.protocol.MessageParser;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.ServerConfig;
import dev.thing.server.ThingServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One lobby under load: 300 joiners wait for approval while two moderators accept them concurrently (each a
 * different half) and the admin uploads three songs and edits their tags 50 times. The server's default rate limit
 * applies (the moderators' ACCEPTs are slowed down, never dropped).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(QuietLogs.class)
class LoadTest {
    static final int JOINERS = 300;
    static final int EDITS = 50;

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

    private RawClient connect(InetSocketAddress address, String name) throws Exception {
        RawClient c = RawClient.connect(address, name, true);
        clients.add(c);
        return c;
    }

    private static void awaitEvent(RawClient c, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + RawClient.WAIT.toNanos();
        while (!c.hasEvent(e -> e.startsWith(prefix))) {
            if (System.nanoTime() > deadline || c.ended.getCount() == 0) {
                throw new AssertionError(c.name + ": no event " + prefix + " (ended " + (c.ended.getCount() == 0)
                        + ", last line " + c.lastLine + ")");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void threeHundredJoinersAcceptedWhileTheAdminUploadsAndEdits() throws Exception {
        ServerConfig.Builder b = ServerConfig.forTests(dir).toBuilder();
        b.maxPending = 400;
        server = new ThingServer(b.build());
        InetSocketAddress address = server.start();

        RawClient admin = connect(address, "boss");
        admin.send("party boss");
        assertThat(admin.next()).matches(dev.thing.it.TelnetClient.JOIN_OKAY);
        RawClient[] mods = new RawClient[2];
        for (int m = 0; m < 2; m++) {
            mods[m] = connect(address, "mod" + m);
            mods[m].send("party mod" + m);
            awaitEvent(mods[m], "NOTIFY waiting for approval");
            assertThat(admin.command("ACCEPT mod" + m)).containsExactly("OKAY");
            assertThat(mods[m].next()).matches(dev.thing.it.TelnetClient.JOIN_OKAY);
            assertThat(admin.command("PROMOTE mod" + m)).containsExactly("OKAY");
        }

        List<RawClient> joiners = new ArrayList<>();
        for (int i = 0; i < JOINERS; i++) {
            RawClient c = connect(address, "u" + i);
            c.send("party u" + i);
            joiners.add(c);
        }
        for (RawClient c : joiners) {
            awaitEvent(c, "NOTIFY waiting for approval");
        }
        assertThat(server.lobbies().lobby("party").orElseThrow().pendingCount()).isEqualTo(JOINERS);

        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<List<String>>> accepting = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            RawClient mod = mods[m];
            int from = m * JOINERS / 2;
            int to = (m + 1) * JOINERS / 2;
            accepting.add(pool.submit(() -> {
                for (int i = from; i < to; i++) {
                    mod.send("ACCEPT u" + i); // pipelined: the server slows the reading down past the burst
                }
                List<String> replies = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    replies.add(mod.finalReply());
                }
                return replies;
            }));
        }
        // title -> field -> last acknowledged value
        Map<String, Map<String, String>> expected = new LinkedHashMap<>();
        Future<Void> editing = pool.submit((Callable<Void>) () -> {
            String[] files = {"mono-22k-1s.mp3", "notags-2s.mp3", "chirp-5s-vbr.mp3"};
            String[] fields = {"ARTIST", "TAG1", "TAG2"};
            int edit = 0;
            for (int s = 0; s < files.length; s++) {
                String title = "Load Song " + (s + 1);
                String reply = admin.upload(Audio.bytes(files[s]), title, "artist-0", "genre-0", "comment-0");
                assertThat(reply).as("upload of %s", title).matches("OKAY [0-9]+");
                Map<String, String> values = new HashMap<>(Map.of("ARTIST", "artist-0", "TAG1", "genre-0",
                        "TAG2", "comment-0"));
                expected.put(title, values);
                int upTo = (s + 1) * EDITS / files.length;
                for (; edit < upTo; edit++) {
                    List<String> titles = new ArrayList<>(expected.keySet());
                    String target = titles.get(edit % titles.size());
                    String field = fields[edit % fields.length];
                    String value = switch (field) {
                        case "ARTIST" -> "artist-" + (edit + 1);
                        case "TAG1" -> "genre-" + (edit + 1);
                        default -> "comment " + (edit + 1);
                    };
                    List<String> r = admin.command("SONG \"" + target + "\" SET " + field + " \"" + value + "\"");
                    assertThat(r).as("edit %d", edit + 1).containsExactly("OKAY");
                    expected.get(target).put(field, value);
                }
            }
            return null;
        });
        for (Future<List<String>> f : accepting) {
            assertThat(f.get(3, TimeUnit.MINUTES)).as("ACCEPT replies").hasSize(JOINERS / 2).containsOnly("OKAY");
        }
        editing.get(3, TimeUnit.MINUTES);
        pool.shutdown();

        for (RawClient c : joiners) {
            assertThat(c.next()).as("%s's reply to its join line", c.name).matches(dev.thing.it.TelnetClient.JOIN_OKAY);
        }

        List<String> users = admin.command("USERS");
        assertThat(users.get(users.size() - 1)).isEqualTo("OKAY");
        Map<String, String> roles = new TreeMap<>();
        for (String line : users.subList(0, users.size() - 1)) {
            ServerMessage.UserLine u = (ServerMessage.UserLine) MessageParser.parseServer(line);
            assertThat(roles.put(u.username(), u.role().name())).as("listed once: %s", u.username()).isNull();
        }
        Map<String, String> expectedRoles = new TreeMap<>();
        expectedRoles.put("boss", "ADMIN");
        expectedRoles.put("mod0", "MODERATOR");
        expectedRoles.put("mod1", "MODERATOR");
        for (int i = 0; i < JOINERS; i++) {
            expectedRoles.put("u" + i, "USER");
        }
        assertThat(roles).isEqualTo(expectedRoles);

        List<String> list = admin.command("LIST");
        assertThat(list.get(list.size() - 1)).isEqualTo("OKAY");
        Set<String> titles = new TreeSet<>();
        for (String line : list.subList(0, list.size() - 1)) {
            ServerMessage.SongLine s = (ServerMessage.SongLine) MessageParser.parseServer(line);
            titles.add(s.title());
            Map<String, String> want = expected.get(s.title());
            assertThat(want).as("unexpected song %s", s.title()).isNotNull();
            assertThat(s.artist()).as("%s artist", s.title()).isEqualTo(want.get("ARTIST"));
            assertThat(s.tag1()).as("%s tag1", s.title()).isEqualTo(want.get("TAG1"));
            assertThat(s.tag2()).as("%s tag2", s.title()).isEqualTo(want.get("TAG2"));
        }
        assertThat(titles).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (RawClient c : clients) {
            assertThat(c.readFailure).as("%s read failure", c.name).isNull();
            assertThat(c.ended.getCount()).as("%s still connected", c.name).isEqualTo(1);
        }
    }
}
