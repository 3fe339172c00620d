package dev.thing.it.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The MP3 fixtures in src/test/resources/audio. */
final class Audio {
    private Audio() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Audio.class.getResourceAsStream("/audio/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /audio/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
