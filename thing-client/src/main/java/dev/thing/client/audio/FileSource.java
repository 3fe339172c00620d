package dev.thing.client.audio;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** A song that is wholly on disk. */
public final class FileSource implements SongSource {
    private final String title;
    private final Path path;

    public FileSource(String title, Path path) {
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

    @Override
    public InputStream open() throws IOException {
        return new BufferedInputStream(Files.newInputStream(path), 64 * 1024);
    }

    @Override
    public String toString() {
        return "FileSource[" + title + ", " + path + "]";
    }
}
