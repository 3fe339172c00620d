package dev.thing.server.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.server.party.WantedException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WantedListTest {
    static final long T = 1_700_000_000_000_000L;

    @TempDir
    Path dir;

    final List<WantedList> opened = new ArrayList<>();

    WantedList open(int limit) {
        WantedList w = WantedList.open(dir.resolve("thing.db"), limit);
        opened.add(w);
        return w;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(WantedList::close);
    }

    static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOf(WantedException.class)
                .satisfies(e -> assertThat(((WantedException) e).reason()).isEqualTo(reason))
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }

    @Test
    void addAndList() {
        WantedList w = open(10);
        Wish a = w.add("Blue Song", "The Band", "Room1", "ann", T + 2);
        Wish b = w.add("Red Song", null, "Room2", "bob", T + 1);
        assertThat(a.id()).isPositive();
        assertThat(a.fulfilled()).isFalse();
        assertThat(a.fulfilledSongId()).isEmpty();
        assertThat(b.artist()).isEmpty();
        // Oldest first.
        assertThat(w.list()).containsExactly(b, a);
        assertThat(w.countWanted()).isEqualTo(2);
        assertThat(w.isWanted("BLUE song", "room1")).isTrue();
        assertThat(w.isWanted("Blue Song", "Room2")).isFalse();
    }

    @Test
    void duplicateIsPerLobbyAndCaseInsensitive() {
        WantedList w = open(10);
        w.add("Blue Song", "", "Room1", "ann", T);
        assertReason(() -> w.add("bLUE sONG", "x", "ROOM1", "bob", T + 1), Reason.DUPLICATE);
        // Another lobby may want the same title.
        w.add("Blue Song", "", "Room2", "cy", T + 2);
        assertThat(w.list()).hasSize(2);
        assertThat(new WantedException(Reason.DUPLICATE, "x").errorCode())
                .isEqualTo(dev.thing.protocol.ErrorCode.DUPLICATE);
    }

    @Test
    void limitCountsUnfulfilledWishes() {
        WantedList w = open(2);
        w.add("One", "", "L", "ann", T);
        w.add("Two", "", "L", "ann", T + 1);
        assertReason(() -> w.add("Three", "", "L", "ann", T + 2), Reason.LIMIT);
        // Fulfilled wishes do not count.
        w.fulfil("one", 11, "One");
        w.add("Three", "", "L", "ann", T + 3);
        assertThat(w.list()).extracting(Wish::title).containsExactly("Two", "Three");
    }

    @Test
    void fulfilMarksEveryLobbysWishOfThatTitle() {
        WantedList w = open(10);
        Wish a = w.add("Blue Song", "", "Room1", "ann", T);
        Wish b = w.add("BLUE SONG", "", "Room2", "bob", T + 1);
        w.add("Other", "", "Room1", "cy", T + 2);

        List<Wish> done = w.fulfil("blue song", 42, "Blue Song");
        assertThat(done).extracting(Wish::id).containsExactly(a.id(), b.id());
        assertThat(done).allSatisfy(x -> {
            assertThat(x.fulfilledSongId()).isEqualTo(OptionalLong.of(42));
            assertThat(x.fulfilledTitle()).contains("Blue Song");
            assertThat(x.queued()).isFalse();
        });
        assertThat(w.list()).extracting(Wish::title).containsExactly("Other");
        assertThat(w.fulfil("blue song", 43, "Blue Song")).isEmpty();
        assertThat(w.fulfil("nobody wants this", 44, "x")).isEmpty();
        // Once fulfilled it can be wanted again in the same lobby (e.g. after the song was deleted).
        w.add("Blue Song", "", "Room1", "dee", T + 3);
    }

    @Test
    void pendingForMarkQueuedAndDelivered() {
        WantedList w = open(10);
        Wish a = w.add("Blue Song", "", "Room1", "Ann", T);
        Wish b = w.add("Red Song", "", "Room1", "Ann", T + 1);
        w.add("Green Song", "", "Room1", "Ann", T + 2); // never fulfilled
        w.add("Pink Song", "", "Room2", "ann", T + 3); // other lobby
        w.fulfil("Blue Song", 1, "Blue Song");
        w.fulfil("Red Song", 2, "Red Song");
        w.fulfil("Pink Song", 3, "Pink Song");

        assertThat(w.pendingFor("room1", "ANN")).extracting(Wish::id).containsExactly(a.id(), b.id());
        w.markQueued(a.id());
        assertThat(w.pendingFor("ROOM1", "ann").get(0).queued()).isTrue();
        assertThat(w.pendingFor("ROOM1", "ann").get(1).queued()).isFalse();

        w.delivered(a.id());
        assertThat(w.pendingFor("Room1", "Ann")).extracting(Wish::id).containsExactly(b.id());
        w.delivered(a.id()); // twice: harmless
        assertThat(w.pendingFor("Room1", "bob")).isEmpty();
        assertThat(w.pendingFor("Room2", "Ann")).extracting(Wish::title).containsExactly("Pink Song");
    }

    @Test
    void forgetSongDropsUndeliveredWishesItFulfilled() {
        WantedList w = open(10);
        w.add("Blue Song", "", "Room1", "ann", T);
        w.add("Red Song", "", "Room1", "ann", T + 1);
        w.fulfil("Blue Song", 7, "Blue Song");
        w.forgetSong(7);
        assertThat(w.pendingFor("Room1", "ann")).isEmpty();
        assertThat(w.list()).extracting(Wish::title).containsExactly("Red Song");
    }

    @Test
    void survivesCloseAndReopen() {
        WantedList w = open(10);
        Wish a = w.add("Blue Song", "Band", "Room1", "ann", T);
        w.add("Red Song", "", "Room1", "bob", T + 1);
        w.fulfil("red song", 9, "Red Song");
        w.close();

        WantedList again = open(10);
        assertThat(again.list()).containsExactly(a);
        assertThat(again.pendingFor("room1", "BOB")).singleElement().satisfies(x -> {
            assertThat(x.title()).isEqualTo("Red Song");
            assertThat(x.fulfilledSongId()).hasValue(9);
            assertThat(x.fulfilledTitle()).contains("Red Song");
        });
        assertReason(() -> again.add("BLUE SONG", "", "room1", "cy", T + 5), Reason.DUPLICATE);
    }

    @Test
    void sharesTheFileWithOtherTablesInWalMode() throws Exception {
        Path db = dir.resolve("thing.db");
        WantedList w = open(10);
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = other.createStatement()) {
            st.execute("PRAGMA busy_timeout = 5000");
            st.execute("CREATE TABLE songs(id INTEGER PRIMARY KEY, title TEXT)");
            st.execute("INSERT INTO songs(title) VALUES ('x')");
            w.add("Blue Song", "", "Room1", "ann", T);
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM wishes")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
        assertThat(Files.exists(db)).isTrue();
    }

    @Test
    void concurrentAddsFromSeveralThreads() throws Exception {
        WantedList w = open(150);
        int threads = 8;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<Reason> failures = new ConcurrentLinkedQueue<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        // Every thread tries the same titles: only one of each may win.
                        try {
                            w.add("Song " + i + (id % 2 == 0 ? "" : " "), "", "Room", "user" + id, T + i);
                        } catch (WantedException e) {
                            failures.add(e.reason());
                        }
                        try {
                            w.add("Own " + id + "-" + i, "", "Room", "user" + id, T + i);
                        } catch (WantedException e) {
                            failures.add(e.reason());
                        }
                        w.list();
                        w.pendingFor("Room", "user" + id);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // Titles "Song i" and "Song i " differ, so 2 x 25 shared + 8 x 25 own = 250 attempts past the dups,
        // capped at 150: exactly the limit is stored, and every other attempt failed cleanly.
        assertThat(w.countWanted()).isEqualTo(150);
        assertThat(failures).hasSize(threads * perThread * 2 - 150);
        assertThat(failures).containsOnly(Reason.DUPLICATE, Reason.LIMIT);
        assertThat(w.list()).extracting(Wish::title).doesNotHaveDuplicates();
    }

    @Test
    void concurrentFulfilAndAdd() throws Exception {
        WantedList w = open(1000);
        for (int i = 0; i < 50; i++) {
            w.add("T" + i, "", "L" + (i % 3), "u", T + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Wish>>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    List<Wish> mine = new ArrayList<>();
                    for (int i = id; i < 50; i += 4) {
                        mine.addAll(w.fulfil("t" + i, i, "T" + i));
                        w.add("X" + id + "-" + i, "", "L", "v", T);
                    }
                    return mine;
                }));
            }
            int total = 0;
            for (var f : fs) {
                total += f.get(60, TimeUnit.SECONDS).size();
            }
            assertThat(total).isEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
        assertThat(w.list()).extracting(Wish::title).allMatch(s -> s.startsWith("X")).hasSize(50);
        assertThat(w.pendingFor("L0", "U")).hasSize(17);
    }
}
