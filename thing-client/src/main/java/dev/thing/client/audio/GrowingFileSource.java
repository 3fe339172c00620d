package dev.thing.client.audio;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A song still being downloaded into a file. The downloader (the cache) writes the file and calls
 * {@link #written(long)} as each chunk lands, then {@link #markComplete()} (or {@link #markFailed()}). Streams from
 * {@link #open()} read what is there and block, without spinning (wait/notify), until more is written or the
 * download ends; a failed download ends them with an {@link IOException}. Any number of streams may be open.
 * A blocked read ends with {@link InterruptedIOException} when its thread is interrupted, and with an
 * {@link IOException} when its stream is closed from another thread.
 */
public final class GrowingFileSource implements GrowingSongSource {
    private final String title;
    private final Path path;
    private long available;
    private boolean complete;
    private boolean failed;

    public GrowingFileSource(String title, Path path) {
        this.title = Objects.requireNonNull(title, "title");
        this.path = Objects.requireNonNull(path, "path");
    }

    @Override
    public String title() {
        return title;
    }

    public Path path() {
        return path;
    }

    /** The file now holds {@code totalBytes} valid bytes (only ever grows; smaller values are ignored). */
    public synchronized void written(long totalBytes) {
        if (totalBytes > available) {
            available = totalBytes;
            notifyAll();
        }
    }

    /** The download is done: readers read to the end of the file and then see end of stream. */
    public synchronized void markComplete() {
        complete = true;
        notifyAll();
    }

    /** The download broke off: readers get an {@link IOException} once they have read what is there. */
    public synchronized void markFailed() {
        failed = true;
        notifyAll();
    }

    public synchronized long bytesAvailable() {
        return available;
    }

    public synchronized boolean isComplete() {
        return complete;
    }

    public synchronized boolean isFailed() {
        return failed;
    }

    @Override
    public InputStream open() {
        return new GrowingStream();
    }

    @Override
    public String toString() {
        return "GrowingFileSource[" + title + ", " + path + "]";
    }

    private final class GrowingStream extends InputStream {
        private FileChannel channel;
        private long position;
        private boolean closed;

        /** Blocks until there is something past {@code position} to read; returns how much, or -1 at the end. */
        private long waitForBytes() throws IOException {
            synchronized (GrowingFileSource.this) {
                while (true) {
                    if (closed) {
                        throw new IOException("stream closed");
                    }
                    if (available > position) {
                        return available - position;
                    }
                    if (failed) {
                        throw new IOException("download of " + title + " failed");
                    }
                    if (complete) {
                        return -1;
                    }
                    try {
                        GrowingFileSource.this.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for " + title);
                    }
                }
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            long ready = waitForBytes();
            if (ready < 0) {
                // Complete: whatever the file holds beyond the announced count is valid too.
                return readChannel(b, off, len);
            }
            return readChannel(b, off, (int) Math.min(len, ready));
        }

        private int readChannel(byte[] b, int off, int len) throws IOException {
            if (channel == null) {
                try {
                    channel = FileChannel.open(path, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    if (isComplete()) {
                        return -1;
                    }
                    throw e;
                }
            }
            int n = channel.read(ByteBuffer.wrap(b, off, len), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public int available() {
            synchronized (GrowingFileSource.this) {
                return (int) Math.max(0, Math.min(Integer.MAX_VALUE, available - position));
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (GrowingFileSource.this) {
                closed = true;
                GrowingFileSource.this.notifyAll();
            }
            if (channel != null) {
                channel.close();
            }
        }
    }
}
