package dev.thing.bench;

import dev.thing.protocol.Message;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Uploads: a ~10 MiB MP3 sent to the library in 1000-byte CHUNKs (pipelined, no per-chunk acknowledgement),
 * MiB/s from the first byte written until {@code OKAY <id>} arrives (the server has checked, tagged and stored the
 * song). Ceiling: the same bytes, in the same 1000-byte writes through the same 64 KiB buffer, over a plain Java
 * loopback socket into a file that is fsynced at the end.
 */
final class UploadBench {
    private static final int BUFFER = 64 * 1024;

    private final BenchContext ctx;
    private final int runs;

    UploadBench(BenchContext ctx) {
        this.ctx = ctx;
        this.runs = ctx.quick ? 3 : 5;
    }

    void run(Report report) throws Exception {
        byte[] song = Mp3Frames.repeat(BenchContext.fixture("long-sweep-180s.mp3"), 10 * 1024 * 1024);
        double mib = song.length / 1048576.0;
        ctx.log("upload: %.1f MiB MP3 (frames of long-sweep-180s.mp3 repeated), %d runs each", mib, runs);
        List<Double> thing = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        try (ServerProcess server = ctx.startServer("upload", List.of());
             LineClient admin = LineClient.join(server.address(), "up", "admin");
             RawSink sink = new RawSink(ctx.workDir.resolve("raw-copy.bin"))) {
            for (int i = -1; i < runs; i++) { // run -1 warms both up
                long t0 = System.nanoTime();
                String reply = admin.upload("upload-" + (i + 1), song, 120_000);
                double s = (System.nanoTime() - t0) / 1e9;
                if (!reply.startsWith("OKAY ")) {
                    throw new IOException("upload refused: " + reply);
                }
                double r = sink.copy(song);
                if (i >= 0) {
                    thing.add(mib / s);
                    raw.add(mib / r);
                    ctx.log("upload run %d: THING %.1f MiB/s, raw socket %.1f MiB/s", i + 1, mib / s, mib / r);
                }
            }
        }
        double t = Stats.of(thing).median();
        double c = Stats.of(raw).median();
        report.add("upload " + Report.num(mib) + " MiB", "throughput, median of " + runs,
                Report.num(t) + " MiB/s", Report.num(c) + " MiB/s (raw socket to file)", Report.ratio(t, c));
        report.note("Uploads: " + Report.num(mib) + " MiB in " + Message.Chunk.MAX_BYTES + "-byte CHUNKs, from the"
                + " first byte to OKAY <id> (checked, tagged, stored); ceiling: the same bytes in the same "
                + Message.Chunk.MAX_BYTES + "-byte writes over a plain Java loopback socket into an fsynced file.");
        for (int k : ctx.uploadConcurrency) {
            if (k > 1) {
                concurrent(report, song, k);
            }
        }
    }

    /**
     * {@code k} admins, each in a lobby of its own, upload at the same instant; the figure is all the bytes over the
     * time until the last OKAY. The ceiling: {@code k} raw copies at once, each into its own fsynced file.
     */
    private void concurrent(Report report, byte[] song, int k) throws Exception {
        double mib = song.length / 1048576.0;
        List<Double> thing = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(k);
        List<LineClient> admins = new ArrayList<>();
        List<RawSink> sinks = new ArrayList<>();
        try (ServerProcess server = ctx.startServer("upload-" + k, List.of())) {
            for (int j = 0; j < k; j++) {
                admins.add(LineClient.join(server.address(), "up" + j, "admin" + j));
                sinks.add(new RawSink(ctx.workDir.resolve("raw-copy-" + j + ".bin")));
            }
            for (int i = -1; i < runs; i++) {
                int run = i + 1;
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<String>> ups = new ArrayList<>();
                for (int j = 0; j < k; j++) {
                    LineClient admin = admins.get(j);
                    String title = "c" + k + "-" + j + "-" + run;
                    ups.add(pool.submit(() -> {
                        go.await();
                        return admin.upload(title, song, 300_000);
                    }));
                }
                long t0 = System.nanoTime();
                go.countDown();
                for (java.util.concurrent.Future<String> f : ups) {
                    String reply = f.get(300, java.util.concurrent.TimeUnit.SECONDS);
                    if (!reply.startsWith("OKAY ")) {
                        throw new IOException("upload refused: " + reply);
                    }
                }
                double s = (System.nanoTime() - t0) / 1e9;
                java.util.concurrent.CountDownLatch go2 = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<Double>> copies = new ArrayList<>();
                for (RawSink sink : sinks) {
                    copies.add(pool.submit(() -> {
                        go2.await();
                        return sink.copy(song);
                    }));
                }
                long r0 = System.nanoTime();
                go2.countDown();
                for (java.util.concurrent.Future<Double> f : copies) {
                    f.get(300, java.util.concurrent.TimeUnit.SECONDS);
                }
                double r = (System.nanoTime() - r0) / 1e9;
                if (i >= 0) {
                    thing.add(k * mib / s);
                    raw.add(k * mib / r);
                    ctx.log("upload x%d run %d: THING %.1f MiB/s in all, raw sockets %.1f MiB/s", k, run, k * mib / s,
                            k * mib / r);
                }
            }
        } finally {
            pool.shutdownNow();
            for (LineClient a : admins) {
                a.close();
            }
            for (RawSink sink : sinks) {
                sink.close();
            }
        }
        double t = Stats.of(thing).median();
        double c = Stats.of(raw).median();
        report.add(k + " uploads of " + Report.num(mib) + " MiB at once", "throughput of all, median of " + runs,
                Report.num(t) + " MiB/s", Report.num(c) + " MiB/s (" + k + " raw sockets to files)",
                Report.ratio(t, c));
    }

    /** A loopback socket whose other end writes what it reads into a file, fsyncs, and answers one byte. */
    private static final class RawSink implements AutoCloseable {
        private final ServerSocket server;
        private final Path file;

        RawSink(Path file) throws IOException {
            this.server = new ServerSocket(0, 50, Net.LOOPBACK);
            this.file = file;
        }

        /** Copies the bytes; returns the seconds until the fsynced acknowledgement. */
        double copy(byte[] data) throws Exception {
            Thread receiver;
            Exception[] failure = new Exception[1];
            try (Socket client = new Socket(Net.LOOPBACK, server.getLocalPort())) {
                client.setTcpNoDelay(true);
                Socket accepted = server.accept();
                receiver = new Thread(() -> {
                    try (Socket s = accepted; FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                        InputStream in = s.getInputStream();
                        byte[] buf = new byte[BUFFER];
                        long left = data.length;
                        while (left > 0) {
                            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                            if (n < 0) {
                                throw new IOException("early end");
                            }
                            out.write(ByteBuffer.wrap(buf, 0, n));
                            left -= n;
                        }
                        out.force(true);
                        s.getOutputStream().write(1);
                        s.getOutputStream().flush();
                    } catch (IOException e) {
                        failure[0] = e;
                    }
                }, "raw-sink");
                receiver.start();
                long t0 = System.nanoTime();
                OutputStream out = new BufferedOutputStream(client.getOutputStream(), BUFFER);
                for (int off = 0; off < data.length; off += Message.Chunk.MAX_BYTES) {
                    out.write(data, off, Math.min(Message.Chunk.MAX_BYTES, data.length - off));
                }
                out.flush();
                if (client.getInputStream().read() != 1) {
                    throw new IOException("raw copy not acknowledged", failure[0]);
                }
                double s = (System.nanoTime() - t0) / 1e9;
                receiver.join(10_000);
                return s;
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
