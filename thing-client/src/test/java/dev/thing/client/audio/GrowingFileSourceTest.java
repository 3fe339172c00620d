package dev.thing.client.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrowingFileSourceTest {

    private static void awaitBlocked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (t.getState() != Thread.State.WAITING) { // WAITING (Object.wait): blocked, not spinning
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    @Test
    void readsWhatIsThereAndWaitsForMore(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("song.mp3");
        Files.write(file, new byte[] {1, 2, 3, 4, 5});
        GrowingFileSource source = new GrowingFileSource("Song", file);
        source.written(3);
        assertThat(source.bytesAvailable()).isEqualTo(3);
        try (InputStream in = source.open()) {
            byte[] buf = new byte[10];
            assertThat(in.read(buf)).isEqualTo(3);
            assertThat(in.available()).isZero();

            CompletableFuture<Integer> next = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    next.complete(in.read(buf, 3, 7));
                } catch (IOException e) {
                    next.completeExceptionally(e);
                }
            });
            reader.start();
            awaitBlocked(reader);
            assertThat(next).isNotDone();
            source.written(5);
            assertThat(next.get(30, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(buf).startsWith(1, 2, 3, 4, 5);

            Thread ender = new Thread(source::markComplete);
            CompletableFuture<Integer> end = CompletableFuture.supplyAsync(() -> {
                try {
                    return in.read();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            ender.start();
            assertThat(end.get(30, TimeUnit.SECONDS)).isEqualTo(-1);
        }
        // A second stream reads the whole file from the start.
        try (InputStream again = source.open()) {
            assertThat(again.readAllBytes()).containsExactly(1, 2, 3, 4, 5);
        }
    }

    @Test
    void aFailedDownloadEndsReadersWithAnError(@TempDir Path dir) throws Exception {
        GrowingFileSource source = new GrowingFileSource("Song", dir.resolve("none-yet.mp3"));
        InputStream in = source.open(); // the file need not exist yet
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                in.read();
            } catch (IOException e) {
                failure.set(e);
            }
        });
        reader.start();
        awaitBlocked(reader);
        source.markFailed();
        reader.join(30_000);
        assertThat(failure.get()).isInstanceOf(IOException.class).hasMessageContaining("failed");
        assertThat(source.isFailed()).isTrue();
    }

    @Test
    void aBlockedReadEndsOnInterruptOrClose(@TempDir Path dir) throws Exception {
        GrowingFileSource source = new GrowingFileSource("Song", dir.resolve("song.mp3"));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        InputStream first = source.open();
        Thread reader = new Thread(() -> {
            try {
                first.read();
            } catch (IOException e) {
                failure.set(e);
            }
        });
        reader.start();
        awaitBlocked(reader);
        reader.interrupt();
        reader.join(30_000);
        assertThat(failure.get()).isInstanceOf(InterruptedIOException.class);

        InputStream second = source.open();
        Thread closed = new Thread(() -> {
            try {
                second.read();
            } catch (IOException e) {
                failure.set(e);
            }
        });
        closed.start();
        awaitBlocked(closed);
        second.close();
        closed.join(30_000);
        assertThat(failure.get()).isNotInstanceOf(InterruptedIOException.class).hasMessageContaining("closed");
        assertThatThrownBy(second::read).isInstanceOf(IOException.class);
    }
}
