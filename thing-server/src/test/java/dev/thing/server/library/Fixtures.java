package dev.thing.server.library;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Test MP3 fixtures from the classpath ({@code /audio/<name>}). */
final class Fixtures {
    static final String[] GOOD = {"sine-440-3s.mp3", "chirp-5s-vbr.mp3", "notags-2s.mp3", "mono-22k-1s.mp3",
        "unicode-tags.mp3", "click-track-30s.mp3", "long-sweep-180s.mp3"};
    static final String[] BAD = {"not-an-mp3.mp3", "random-bytes.mp3", "truncated.mp3"};

    private Fixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/audio/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path copy(String name, Path target) throws IOException {
        try (InputStream in = Fixtures.class.getResourceAsStream("/audio/" + name)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** The real length in ms the fixture's name promises (e.g. 3000 for sine-440-3s). */
    static long nominalMs(String name) {
        if (name.equals("unicode-tags.mp3")) {
            return 3000; // a re-tagged copy of sine-440-3s
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-(\\d+)s[-.]").matcher(name);
        if (!m.find()) {
            throw new IllegalArgumentException(name);
        }
        return Long.parseLong(m.group(1)) * 1000;
    }
}
