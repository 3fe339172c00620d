package dev.thing.server.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10.5: lookups (what the party does under a lobby's lock, on the timer thread at a song's end) never wait
 * for SQLite. Another thread holds the index's SQLite lock (as a commit waiting for its fsync would) until the
 * lookups have answered: with lookups that went to SQLite this deadlocks and the timeout fails the test.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IndexLockTest {
    @TempDir
    Path tmp;

    @Test
    void lookupsAnswerWhileTheSqliteLockIsHeld() throws Exception {
        try (Library lib = Library.open(tmp.resolve("songs"), tmp.resolve("thing.db"), 64L << 20)) {
            byte[] data = Fixtures.bytes("sine-440-3s.mp3");
            try (Upload u = lib.beginUpload("Locked Out", "A", null, null)) {
                u.append(data, 0, data.length);
                u.commit();
            }
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                lib.index().sqliteLock().lock();
                try {
                    held.countDown();
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    lib.index().sqliteLock().unlock();
                }
            });
            holder.start();
            held.await();
            assertThat(lib.resolve("locked out").title()).isEqualTo("Locked Out");
            assertThat(lib.resolve("#1").title()).isEqualTo("Locked Out");
            assertThat(lib.list()).extracting(Song::title).containsExactly("Locked Out");
            assertThat(lib.random(new SplittableRandom(1))).isPresent();
            assertThat(lib.findByTitle("nothing")).isEmpty();
            done.countDown();
            holder.join();
        }
    }
}
