package dev.thing.client.cache;

import dev.thing.client.audio.SongSource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A song that is wholly in the cache. */
public record FileSongSource(String title, Path path) implements SongSource {
    @Override
    public InputStream open() throws IOException {
        return new BufferedInputStream(Files.newInputStream(path), 64 * 1024);
    }
}
