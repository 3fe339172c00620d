package dev.thing.client.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The MP3 fixtures in src/test/resources/audio. */
final class Fixtures {
    private Fixtures() {
    }

    static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/audio/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static FileSource source(String name) {
        return new FileSource(name, path(name));
    }

    /** The whole song, decoded from {@code fromMs}. */
    static byte[] decodeAll(SongSource source, long fromMs) throws IOException {
        try (Mp3Decoder d = Mp3Decoder.open(source)) {
            if (fromMs > 0) {
                d.skipTo(fromMs);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] pcm;
            while ((pcm = d.decodeNext()) != null) {
                out.write(pcm);
            }
            return out.toByteArray();
        }
    }

    static short sample(byte[] pcm, int index) {
        return (short) ((pcm[2 * index] & 0xff) | (pcm[2 * index + 1] << 8));
    }
}
