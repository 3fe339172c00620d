package dev.thing.client.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * A minimal growing file source, a stand-in until {@code dev.thing.client.audio.GrowingFileSource} is wired in
 * (TODO: Main switches the factory to it).
 */
public final class SimpleGrowingSource implements GrowingSongSource {
    private final String title;
    private final Path path;
    private long written;
    private boolean complete;
    private boolean failed;

    public SimpleGrowingSource(String title, Path path) {
        this.title = title;
        this.path = path;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public synchronized void written(long totalBytes) {
        written = Math.max(written, totalBytes);
        notifyAll();
    }

    @Override
    public synchronized void markComplete() {
        complete = true;
        notifyAll();
    }

    @Override
    public synchronized void markFailed() {
        failed = true;
        notifyAll();
    }

    /** Waits until byte {@code position} is there; false at the end of a complete file. */
    private synchronized boolean await(long position) throws IOException {
        while (position >= written && !complete && !failed) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + title, e);
            }
        }
        if (failed) {
            throw new IOException("download of " + title + " failed");
        }
        return position < written;
    }

    private synchronized long availableFrom(long position) {
        return written - position;
    }

    @Override
    public InputStream open() throws IOException {
        RandomAccessFile file = new RandomAccessFile(path.toFile(), "r");
        return new InputStream() {
            private long position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!await(position)) {
                    return -1;
                }
                int n = (int) Math.min(len, availableFrom(position));
                file.seek(position);
                int got = file.read(b, off, n);
                if (got > 0) {
                    position += got;
                }
                return got;
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }
}
