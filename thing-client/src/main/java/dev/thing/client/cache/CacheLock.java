package dev.thing.client.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One client per cache folder: an exclusive lock on {@code <folder>/lock} (an OS file lock, released by the OS if
 * the client dies), which also holds the owner's process id for the message a second client shows. No logging here:
 * Main takes the lock before logging is configured (the log file lives in the folder).
 */
public final class CacheLock implements AutoCloseable {
    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private CacheLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /** The folder (created if missing) locked for this client, or empty when another client holds it. */
    public static Optional<CacheLock> tryAcquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by another client in this same JVM
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            ch.close();
            return Optional.empty();
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(false);
        return Optional.of(new CacheLock(dir, ch, l));
    }

    /** Who holds a folder's lock, for people: "process 1234", or "another client" when unknown. */
    public static String holder(Path dir) {
        try {
            String pid = Files.readString(dir.resolve("lock"), StandardCharsets.US_ASCII).strip();
            if (pid.matches("[0-9]{1,10}")) {
                return "process " + pid;
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "another client";
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close releases it too
        }
        try {
            channel.close();
        } catch (IOException e) {
            // the OS releases the lock when the process ends
        }
    }
}
