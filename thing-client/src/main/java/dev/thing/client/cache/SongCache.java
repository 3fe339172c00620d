package dev.thing.client.cache;

import dev.thing.client.audio.GrowingFileSource;
import dev.thing.client.audio.GrowingSongSource;
import dev.thing.protocol.AudioDigest;
import dev.thing.protocol.Names;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The song cache: {@code songs/<audio-hash>.mp3} files (named by content, never by title), an index of their
 * metadata in {@code index.txt} (rewritten atomically: temp file, then ATOMIC_MOVE), incoming transfers in
 * {@code incoming/*.part}. Entries are checked against the server's hash and their own bytes before use; the total
 * size is bounded, evicting the least recently played first.
 */
public final class SongCache {
    private static final Logger LOG = LogManager.getLogger(SongCache.class);
    private static final String INDEX_HEADER = "# thing-client cache index v1: hash size lastPlayedMillis title artist tag1 tag2";
    public static final long DEFAULT_MAX_BYTES = 2L * 1024 * 1024 * 1024;

    /** One cached song. {@code lastPlayed} is epoch milliseconds (the time it was cached, until it is played). */
    public record Entry(String hash, long size, long lastPlayed, String title, String artist, String tag1,
                        String tag2) {
        Entry withLastPlayed(long millis) {
            return new Entry(hash, size, millis, title, artist, tag1, tag2);
        }
    }

    private final Path dir;
    private final Path songs;
    private final Path incoming;
    private final Path index;
    private final long maxBytes;
    private final LongSupplier millis;
    private final BiFunction<String, Path, GrowingSongSource> growing;
    private final Map<String, Entry> byHash = new LinkedHashMap<>();
    private final AtomicLong partCounter = new AtomicLong();

    private SongCache(Path dir, long maxBytes, LongSupplier millis, BiFunction<String, Path, GrowingSongSource> growing) {
        this.dir = dir;
        this.songs = dir.resolve("songs");
        this.incoming = dir.resolve("incoming");
        this.index = dir.resolve("index.txt");
        this.maxBytes = maxBytes;
        this.millis = millis;
        this.growing = growing;
    }

    /**
     * Opens (or creates) a cache folder: reads the index, forgets entries whose file is gone, deletes leftover
     * {@code .part} files and song files the index does not know.
     */
    public static SongCache open(Path dir, long maxBytes, LongSupplier millis,
                                 BiFunction<String, Path, GrowingSongSource> growingSources) throws IOException {
        SongCache cache = new SongCache(dir, maxBytes, millis, growingSources);
        cache.load();
        return cache;
    }

    /** The default folder: $XDG_CACHE_HOME/thing, else ~/.cache/thing. */
    public static Path defaultDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "thing");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "thing");
    }

    public Path dir() {
        return dir;
    }

    public long maxBytes() {
        return maxBytes;
    }

    private void load() throws IOException {
        Files.createDirectories(songs);
        Files.createDirectories(incoming);
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, "index.txt*.tmp")) {
            for (Path p : stale) {
                Files.deleteIfExists(p); // a save cut short
            }
        }
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(incoming)) {
            for (Path p : parts) {
                Files.deleteIfExists(p);
            }
        }
        if (Files.exists(index)) {
            for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 7) {
                    LOG.warn("bad cache index line skipped: {}", line);
                    continue;
                }
                try {
                    Entry e = new Entry(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), unescape(f[3]),
                            unescape(f[4]), unescape(f[5]), unescape(f[6]));
                    if (Files.isRegularFile(pathOf(e))) {
                        byHash.put(e.hash(), e);
                    } else {
                        LOG.info("cached file of {} is gone; entry dropped", e.title());
                    }
                } catch (NumberFormatException ex) {
                    LOG.warn("bad cache index line skipped: {}", line);
                }
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(songs)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                if (!name.endsWith(".mp3") || !byHash.containsKey(name.substring(0, name.length() - 4))) {
                    LOG.info("file unknown to the cache index deleted: {}", p);
                    Files.deleteIfExists(p);
                }
            }
        }
        save();
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(byHash.values());
    }

    public synchronized long totalBytes() {
        return byHash.values().stream().mapToLong(Entry::size).sum();
    }

    public Path pathOf(Entry e) {
        return songs.resolve(e.hash() + ".mp3");
    }

    /** The entry cached under that title (case-insensitive), unchecked. */
    public synchronized Optional<Entry> byTitle(String title) {
        String key = Names.key(title);
        return byHash.values().stream().filter(e -> Names.key(e.title()).equals(key)).findFirst();
    }

    /**
     * The entry for a title, ready to play: its hash equals the server's ({@code expectedHash}, when known) and the
     * file's bytes still hash to it. A mismatch or a damaged file evicts the entry, so the caller refetches.
     */
    public synchronized Optional<Entry> lookup(String title, String expectedHash) {
        Optional<Entry> found = byTitle(title);
        if (found.isEmpty()) {
            return found;
        }
        Entry e = found.get();
        if (expectedHash != null && !expectedHash.equalsIgnoreCase(e.hash())) {
            LOG.info("cached {} has hash {}, the server's is {}: evicted", title, e.hash(), expectedHash);
            evict(e);
            return Optional.empty();
        }
        Path file = pathOf(e);
        try {
            if (!Files.isRegularFile(file) || Files.size(file) != e.size() || !sha256Hex(file).equals(e.hash())) {
                LOG.warn("cached file of {} is damaged: evicted", title);
                evict(e);
                return Optional.empty();
            }
        } catch (IOException ex) {
            LOG.warn("cannot check cached file of {}: evicted", title, ex);
            evict(e);
            return Optional.empty();
        }
        return found;
    }

    public FileSongSource source(Entry e) {
        return new FileSongSource(e.title(), pathOf(e));
    }

    /** Marks a song as played now (eviction takes the least recently played first). */
    public synchronized void markPlayed(String hash) {
        Entry e = byHash.get(hash);
        if (e != null) {
            byHash.put(hash, e.withLastPlayed(millis.getAsLong()));
            saveQuietly();
        }
    }

    /** An UPDATE from the server: new metadata for a title. Returns true if a cached entry changed. */
    public synchronized boolean updateMetadata(String title, String artist, String tag1, String tag2) {
        Optional<Entry> found = byTitle(title);
        if (found.isEmpty()) {
            return false;
        }
        Entry e = found.get();
        byHash.put(e.hash(), new Entry(e.hash(), e.size(), e.lastPlayed(), e.title(), artist, tag1, tag2));
        saveQuietly();
        return true;
    }

    /** The server renamed a song: its cached entry (same bytes) goes by the new title. True if one was cached. */
    public synchronized boolean rename(String title, String newTitle) {
        Optional<Entry> found = byTitle(title);
        if (found.isEmpty()) {
            return false;
        }
        Entry e = found.get();
        byHash.put(e.hash(), new Entry(e.hash(), e.size(), e.lastPlayed(), newTitle, e.artist(), e.tag1(), e.tag2()));
        saveQuietly();
        return true;
    }

    /** Removes a song (the server deleted it, or it is bad). */
    public synchronized void remove(String title) {
        byTitle(title).ifPresent(this::evict);
    }

    /** Starts receiving a song into a .part file. */
    public Download begin(String title, String artist, String tag1, String tag2) throws IOException {
        Path part = incoming.resolve(partCounter.incrementAndGet() + "-" + System.nanoTime() + ".part");
        return new Download(title, artist, tag1, tag2, part);
    }

    /**
     * Adds a complete file (moved or linked into place; {@code file} itself is left alone) and evicts down to the
     * size bound. Returns the new entry.
     */
    public Entry add(Path file, String title, String artist, String tag1, String tag2) throws IOException {
        String hash = sha256Hex(file);
        long size = Files.size(file);
        Path target = songs.resolve(hash + ".mp3");
        synchronized (this) {
            if (!Files.exists(target) || Files.size(target) != size) {
                Path tmp = songs.resolve(hash + ".tmp");
                Files.deleteIfExists(tmp);
                try {
                    Files.createLink(tmp, file);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            byTitle(title).filter(old -> !old.hash().equals(hash)).ifPresent(this::evict);
            Entry e = new Entry(hash, size, millis.getAsLong(), title, nz(artist), nz(tag1), nz(tag2));
            byHash.put(hash, e);
            evictToFit(hash);
            save();
            return e;
        }
    }

    private void evictToFit(String keep) {
        long total = byHash.values().stream().mapToLong(Entry::size).sum();
        List<Entry> byAge = new ArrayList<>(byHash.values());
        byAge.sort(Comparator.comparingLong(Entry::lastPlayed));
        for (Entry e : byAge) {
            if (total <= maxBytes) {
                break;
            }
            if (e.hash().equals(keep)) {
                continue;
            }
            LOG.info("cache over {} bytes: evicting {}", maxBytes, e.title());
            evict(e);
            total -= e.size();
        }
    }

    private void evict(Entry e) {
        byHash.remove(e.hash());
        try {
            Files.deleteIfExists(pathOf(e));
        } catch (IOException ex) {
            LOG.warn("cannot delete {}", pathOf(e), ex);
        }
        saveQuietly();
    }

    private void saveQuietly() {
        try {
            save();
        } catch (IOException e) {
            LOG.error("cannot write the cache index", e);
        }
    }

    private synchronized void save() throws IOException {
        // A temp file of its own (never a fixed name another writer could move away), then one atomic rename.
        Path tmp = Files.createTempFile(dir, "index.txt.", ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(INDEX_HEADER);
            w.write('\n');
            for (Entry e : byHash.values()) {
                w.write(String.join("\t", e.hash(), Long.toString(e.size()), Long.toString(e.lastPlayed()),
                        escape(e.title()), escape(e.artist()), escape(e.tag1()), escape(e.tag2())));
                w.write('\n');
            }
        }
        try {
            Files.move(tmp, index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : nz(s).toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The audio-only content hash the server lists, so that re-tagged songs stay valid in the cache. */
    static String sha256Hex(Path file) throws IOException {
        return AudioDigest.sha256Hex(file);
    }

    /**
     * One incoming transfer: bytes are appended to a .part file and published to a growing source, so playback
     * can start before the end. {@link #complete} hashes the file and indexes it; {@link #abort} drops it. The
     * .part file stays as long as a player may still read it ({@link #release}).
     */
    public final class Download {
        private final String title;
        private final String artist;
        private final String tag1;
        private final String tag2;
        private final Path part;
        private final OutputStream out;
        private final GrowingSongSource source;
        private long written;
        private boolean finished;
        private boolean inUse;
        private boolean released;

        Download(String title, String artist, String tag1, String tag2, Path part) throws IOException {
            this.title = title;
            this.artist = artist;
            this.tag1 = tag1;
            this.tag2 = tag2;
            this.part = part;
            this.out = Files.newOutputStream(part);
            this.source = growing.apply(title, part);
        }

        public String title() {
            return title;
        }

        public Path partFile() {
            return part;
        }

        public synchronized long written() {
            return written;
        }

        /**
         * The growing source over this download; the .part file then stays until {@link #release}. Empty when the
         * download has already finished and its .part file is gone: the song is then in the cache (or was dropped).
         */
        public synchronized Optional<GrowingSongSource> source() {
            if (released) {
                return Optional.empty();
            }
            inUse = true;
            return Optional.of(source);
        }

        public synchronized void append(byte[] bytes) throws IOException {
            out.write(bytes);
            written += bytes.length;
            source.written(written);
        }

        /**
         * All bytes are here: index the file if its hash matches {@code expectedHash} (when known).
         *
         * @return the new entry, or empty when the file was dropped
         */
        public Optional<Entry> complete(String expectedHash) {
            synchronized (this) {
                if (finished) {
                    return Optional.empty();
                }
                finished = true;
            }
            Optional<Entry> result = Optional.empty();
            try {
                out.close();
                String hash = sha256Hex(part);
                if (expectedHash != null && !expectedHash.equalsIgnoreCase(hash)) {
                    LOG.warn("download of {} hashes to {}, the server says {}: not cached", title, hash, expectedHash);
                } else {
                    result = Optional.of(add(part, title, artist, tag1, tag2));
                }
                source.markComplete();
            } catch (IOException | UncheckedIOException e) {
                LOG.error("cannot store the download of {}", title, e);
                source.markFailed();
            }
            deleteIfUnused();
            return result;
        }

        public void abort() {
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
            }
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("closing part file", e);
            }
            source.markFailed();
            deleteIfUnused();
        }

        /** The player is done with this download's source. */
        public void release() {
            synchronized (this) {
                inUse = false;
            }
            deleteIfUnused();
        }

        private void deleteIfUnused() {
            synchronized (this) {
                if (!finished || inUse || released) {
                    return;
                }
                released = true;
            }
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                LOG.debug("cannot delete {}", part, e);
            }
        }
    }

}
