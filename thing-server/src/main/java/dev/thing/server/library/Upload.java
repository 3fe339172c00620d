package dev.thing.server.library;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * An upload in progress: bytes go to a temporary file in {@code <folder>/.incoming/} and the title is
 * reserved until {@link #commit()} or {@link #abort()}. Meant to be fed by one thread at a time (the
 * connection's); its methods are synchronized all the same.
 */
public final class Upload implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Upload.class);

    private enum State { OPEN, COMMITTING, DONE }

    private final Library library;
    private final String title;
    private final String titleKey;
    private final String artist;
    private final String tag1;
    private final String tag2;
    private final Path temp;
    private final long limit;
    private FileChannel channel;
    private final ByteBuffer pending = ByteBuffer.allocate(64 * 1024);
    private long received;
    /** Bytes counted against the library's bound; read by the library under its lock when the upload ends. */
    private volatile long claimed;
    private State state = State.OPEN;

    Upload(Library library, String title, String titleKey, String artist, String tag1, String tag2, Path temp,
            long limit) throws IOException {
        this.library = library;
        this.title = title;
        this.titleKey = titleKey;
        this.artist = artist;
        this.tag1 = tag1;
        this.tag2 = tag2;
        this.temp = temp;
        this.limit = limit;
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** The title being uploaded. */
    public String title() {
        return title;
    }

    String titleKey() {
        return titleKey;
    }

    long claimedBytes() {
        return claimed;
    }

    /** Bytes appended so far. */
    public synchronized long bytesReceived() {
        return received;
    }

    /** True until the upload is committed or aborted. */
    public synchronized boolean isOpen() {
        return state == State.OPEN;
    }

    /**
     * Appends bytes. Passing the size limit aborts the upload (temporary file deleted, title released)
     * and throws {@link LibraryException.Reason#TOO_LARGE}.
     *
     * @throws IllegalStateException if the upload was already committed or aborted
     */
    public synchronized void append(byte[] data, int off, int len) throws LibraryException {
        Objects.checkFromIndexSize(off, len, data.length);
        if (state != State.OPEN) {
            throw new IllegalStateException("upload of \"" + title + "\" is no longer open");
        }
        if (received + len > limit) {
            abort();
            throw new LibraryException(LibraryException.Reason.TOO_LARGE,
                    "upload is larger than the " + Library.describeSize(limit) + " limit");
        }
        try {
            library.claim(len);
        } catch (LibraryException e) {
            abort();
            throw e;
        }
        claimed += len;
        try {
            // Chunks are 1000 bytes; gathering them into 64 KiB writes saves a system call per chunk.
            if (len > pending.remaining()) {
                flushPending();
            }
            if (len > pending.capacity()) {
                ByteBuffer buf = ByteBuffer.wrap(data, off, len);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            } else {
                pending.put(data, off, len);
            }
            received += len;
        } catch (IOException e) {
            abort();
            throw new LibraryException(LibraryException.Reason.INTERNAL,
                    "cannot store the upload: " + e.getMessage(), e);
        }
    }

    /**
     * Finishes the upload: checks the audio, fills omitted artist/tags from the file's own tags, writes
     * the tag, and stores the song atomically. Whatever happens, the upload is over afterwards.
     */
    public Song commit() throws LibraryException {
        synchronized (this) {
            if (state != State.OPEN) {
                throw new IllegalStateException("upload of \"" + title + "\" is no longer open");
            }
            state = State.COMMITTING;
        }
        try {
            flushPending();
            channel.force(true);
            channel.close();
            AudioCheck.Result audio = AudioCheck.check(temp);
            TagStore.Tags own = audio.tags();
            String a = isBlank(artist) ? Library.clean(own.artist()) : artist;
            String t1 = isBlank(tag1) ? Library.clean(own.tag1()) : tag1;
            String t2 = isBlank(tag2) ? Library.clean(own.tag2()) : tag2;
            TagStore.write(temp, title, a, t1, t2);
            String hash = dev.thing.protocol.AudioDigest.sha256Hex(temp);
            long size = Files.size(temp);
            return library.place(temp, title, a, t1, t2, audio.durationMs(), size, hash);
        } catch (LibraryException e) {
            LOG.info("upload of \"{}\" refused: {}", title, e.getMessage());
            throw e;
        } catch (IOException | RuntimeException e) {
            LOG.error("upload of \"{}\" failed", title, e);
            throw new LibraryException(LibraryException.Reason.INTERNAL,
                    "cannot store the upload: " + e.getMessage(), e);
        } catch (Error e) {
            // An OutOfMemoryError or StackOverflowError in the tag library must not skip the upload's final
            // reply (nor leave the connection's worker dead): it becomes an INTERNAL failure of this upload.
            LOG.error("upload of \"{}\" failed with {}", title, e.toString(), e);
            throw new LibraryException(LibraryException.Reason.INTERNAL,
                    "cannot store the upload: " + e, e);
        } finally {
            finish();
        }
    }

    /** Drops the upload: temporary file deleted, title released. Idempotent. */
    public void abort() {
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.COMMITTING;
        }
        finish();
    }

    /** Same as {@link #abort()} unless the upload was committed. */
    @Override
    public void close() {
        abort();
    }

    private void finish() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing {}", temp, e);
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.warn("cannot delete the upload leftover {}", temp, e);
        }
        library.release(this);
        synchronized (this) {
            state = State.DONE;
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isEmpty();
    }

    private void flushPending() throws IOException {
        pending.flip();
        while (pending.hasRemaining()) {
            channel.write(pending);
        }
        pending.clear();
    }
}
