package dev.thing.server.library;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Not a test: measures how long {@link Library#open} takes to index 1,000 MP3 files dropped into an
 * empty library folder (cold: every file checked, tag-read and hashed) and to reopen it (warm: the
 * index already knows every file). Run with the test classpath:
 * {@code java -cp <cp> dev.thing.server.library.LibraryIndexBenchmark [count]}.
 */
public final class LibraryIndexBenchmark {
    private static final String[] SOURCES = {"sine-440-3s.mp3", "chirp-5s-vbr.mp3", "notags-2s.mp3",
        "mono-22k-1s.mp3", "unicode-tags.mp3", "click-track-30s.mp3"};

    private LibraryIndexBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path root = Files.createTempDirectory("thing-bench");
        Path folder = root.resolve("songs");
        Files.createDirectories(folder);
        try {
            long t0 = System.nanoTime();
            long bytes = 0;
            for (int i = 0; i < count; i++) {
                String src = SOURCES[i % SOURCES.length];
                Path f = Fixtures.copy(src, folder.resolve(String.format("track-%04d.mp3", i)));
                TagStore.write(f, "Benchmark song " + i, "Artist " + (i % 37), "Genre " + (i % 11), "");
                bytes += Files.size(f);
            }
            System.out.printf("prepared %d files (%.1f MiB) in %d ms%n", count, bytes / 1048576.0,
                    (System.nanoTime() - t0) / 1_000_000);

            Path db = root.resolve("thing.db");
            long c0 = System.nanoTime();
            int songs;
            ReconcileReport cold;
            try (Library lib = Library.open(folder, db, 64L << 20)) {
                cold = lib.lastReconcile();
                songs = lib.list().size();
            }
            long coldMs = (System.nanoTime() - c0) / 1_000_000;
            System.out.printf("cold open: %d ms (reconcile %s), %d songs indexed%n", coldMs, cold, songs);

            for (int run = 1; run <= 3; run++) {
                long w0 = System.nanoTime();
                ReconcileReport warm;
                try (Library lib = Library.open(folder, db, 64L << 20)) {
                    warm = lib.lastReconcile();
                    songs = lib.list().size();
                }
                System.out.printf("warm open #%d: %d ms (reconcile %s), %d songs%n", run,
                        (System.nanoTime() - w0) / 1_000_000, warm, songs);
            }
        } finally {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
