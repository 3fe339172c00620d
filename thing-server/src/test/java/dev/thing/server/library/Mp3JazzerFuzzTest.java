package dev.thing.server.library;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Coverage-guided fuzzing (Jazzer) of the upload path's MP3/ID3 checks: {@link Id3Guard#problem} and
 * {@link AudioCheck#check} (which reads the tags through jaudiotagger behind the guard) on arbitrary bytes. In
 * {@code mvn verify} it only replays the seeds in
 * {@code src/test/resources/dev/thing/server/library/Mp3JazzerFuzzTestInputs/audioCheck}; with {@code JAZZER_FUZZ=1}
 * it fuzzes for {@code maxDuration} (see the README's Tests section). It runs in the surefire execution
 * {@code jazzer} of this module, whose JVM has a 256 MiB heap.
 *
 * <p>Invariants: the guard never throws on a readable file; the check either returns a plausible result or throws
 * {@link LibraryException} with reason BAD_AUDIO; nothing else comes out, no Error included; and one check allocates
 * at most {@link #MAX_ALLOCATED} bytes plus 64 times the file size (issue 13.1: a 49 KB file made jaudiotagger
 * allocate gigabytes), measured per thread so that the bound does not depend on the heap (in {@code mvn verify};
 * see {@link #CHECK_ALLOCATION}).
 */
class Mp3JazzerFuzzTest {
    static final long MAX_ALLOCATED = 64L * 1024 * 1024;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Path FILE = scratchFile();
    /**
     * Outside fuzzing mode only: in a Jazzer fuzzing JVM the replay of the seeds after the fuzzing showed 476 to 588
     * MB allocated per check (the instrumentation's, not THING's: the same files take 3 to 5 MB in a plain JVM), so
     * there the bound is the heap of the jazzer execution (-Xmx256m; an OutOfMemoryError is a finding).
     */
    private static final boolean CHECK_ALLOCATION = System.getenv("JAZZER_FUZZ") == null
            || System.getenv("JAZZER_FUZZ").isEmpty();
    /** Held so that the level set on it is not lost when java.util.logging drops an unreferenced logger. */
    private static final java.util.logging.Logger JAUDIOTAGGER = java.util.logging.Logger.getLogger("org.jaudiotagger");

    static {
        // jaudiotagger logs every oddity it meets; that would be most of the run's time and output.
        JAUDIOTAGGER.setLevel(java.util.logging.Level.OFF);
        org.apache.logging.log4j.core.config.Configurator.setLevel("dev.thing.server.library",
                org.apache.logging.log4j.Level.ERROR);
        org.apache.logging.log4j.core.config.Configurator.setLevel("org.jaudiotagger",
                org.apache.logging.log4j.Level.OFF);
    }

    private static Path scratchFile() {
        try {
            Path dir = Files.createTempDirectory("thing-mp3-fuzz");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("upload.mp3");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "3m")
    void audioCheck(byte[] input) throws IOException {
        Files.write(FILE, input);
        long tid = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(tid);
        Optional<String> problem;
        try {
            problem = Id3Guard.problem(FILE);
        } catch (IOException | RuntimeException | Error e) {
            throw new AssertionError("Id3Guard.problem threw on a readable file of " + input.length + " bytes", e);
        }
        assertThat(problem).isNotNull();
        try {
            AudioCheck.Result r = AudioCheck.check(FILE);
            assertThat(r.frames()).isPositive();
            assertThat(r.durationMs()).isPositive();
            assertThat(r.sampleRate()).isIn(8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000);
            assertThat(r.tags()).isNotNull();
        } catch (LibraryException e) {
            assertThat(e.reason()).as("reason for refusing (%s)", e.getMessage())
                    .isEqualTo(LibraryException.Reason.BAD_AUDIO);
            assertThat(e.getMessage()).isNotBlank();
        } catch (RuntimeException | Error e) {
            throw new AssertionError("AudioCheck.check threw " + e + " on a file of " + input.length + " bytes", e);
        }
        long allocated = THREADS.getThreadAllocatedBytes(tid) - before;
        if (!CHECK_ALLOCATION) {
            return;
        }
        assertThat(allocated).as("bytes allocated checking a file of %d bytes", input.length)
                .isLessThanOrEqualTo(MAX_ALLOCATED + 64L * input.length);
    }
}
