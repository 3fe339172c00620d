package dev.thing.client.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Plays the downloader in tests: writes a file piece by piece and tells a {@link GrowingFileSource}. */
final class StreamingFeeder {
    private StreamingFeeder() {
    }

    /**
     * Writes {@code bytes} to {@code file} in {@code piece}-byte pieces from a new thread. After
     * {@code holdAfterBytes} bytes (if {@code gate} is given) it waits for the gate before writing the rest.
     */
    static Thread start(Path file, GrowingFileSource source, byte[] bytes, int piece, int holdAfterBytes,
                        CountDownLatch gate) {
        Thread t = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(file)) {
                int written = 0;
                while (written < bytes.length) {
                    if (gate != null && written >= holdAfterBytes && gate.getCount() > 0) {
                        if (!gate.await(30, TimeUnit.SECONDS)) {
                            source.markFailed();
                            return;
                        }
                    }
                    int n = Math.min(piece, bytes.length - written);
                    out.write(bytes, written, n);
                    out.flush();
                    written += n;
                    source.written(written);
                    Thread.yield();
                }
                source.markComplete();
            } catch (IOException | InterruptedException e) {
                source.markFailed();
            }
        }, "feeder");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
