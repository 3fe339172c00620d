package dev.thing.bench;

import dev.thing.server.library.Library;
import dev.thing.server.library.ReconcileReport;
import dev.thing.server.library.TagStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The library's start-up: 1,000 MP3 files dropped into an empty library folder are indexed by
 * {@link Library#open} (cold: each file checked frame by frame, its tags read, its audio hashed), then the library
 * is reopened (warm: the index already knows every file, only the folder is listed). In-process, no server.
 */
final class LibraryIndexBench {
    private final BenchContext ctx;
    private final int files;

    LibraryIndexBench(BenchContext ctx) {
        this.ctx = ctx;
        this.files = ctx.quick ? 200 : 1000;
    }

    void run(Report report) throws Exception {
        byte[] sine = BenchContext.fixture("sine-440-3s.mp3");
        Path folder = ctx.workDir.resolve("library-index");
        Files.createDirectories(folder);
        long bytes = 0;
        for (int i = 0; i < files; i++) {
            Path f = Files.write(folder.resolve(String.format("track-%04d.mp3", i)), sine);
            TagStore.write(f, "Benchmark song " + i, "Artist " + (i % 37), "Genre " + (i % 11), "");
            bytes += Files.size(f);
        }
        ctx.log("library index: %d files (%.1f MiB) dropped into %s", files, bytes / 1048576.0, folder);
        Path db = ctx.workDir.resolve("library-index.db");
        long c0 = System.nanoTime();
        ReconcileReport cold;
        try (Library lib = Library.open(folder, db, 64L << 20)) {
            cold = lib.lastReconcile();
            if (lib.list().size() != files) {
                throw new IllegalStateException("indexed " + lib.list().size() + " of " + files + " files");
            }
        }
        double coldMs = (System.nanoTime() - c0) / 1e6;
        ctx.log("library index: cold open %.0f ms (%s)", coldMs, cold);
        List<Double> warm = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            long w0 = System.nanoTime();
            try (Library lib = Library.open(folder, db, 64L << 20)) {
                lib.list();
            }
            warm.add((System.nanoTime() - w0) / 1e6);
        }
        double warmMs = Stats.of(warm).median();
        ctx.log("library index: warm reopen %.0f ms (median of 3)", warmMs);
        report.addRatio("library of " + files + " files", "open: index every file (cold) vs reopen (warm)",
                coldMs, warmMs, "ms");
        report.note("Library: " + files + " copies of a 3 s, 48 KiB MP3 with distinct tags dropped into an empty "
                + "library folder; cold = Library.open checking, tag-reading and hashing every file into a new "
                + "SQLite index; peer = reopening once indexed (median of 3). In-process.");
    }
}
