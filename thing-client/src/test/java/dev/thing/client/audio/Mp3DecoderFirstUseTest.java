package dev.thing.client.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javazoom.jl.decoder.Decoder;
import org.junit.jupiter.api.Test;

/**
 * JLayer makes its shared tables lazily and unguarded on the first decoded frame; decoders that start together in
 * a fresh JVM once failed with "undecodable MP3 frame 0" (a client's warm-up beside its first PLAY, two clients in
 * the integration tests). Each round here loads JLayer and the decoder into a class loader of their own, so the
 * tables are unmade again, and starts several decoders at one barrier. Before the fix about one decoder in a hundred
 * failed (7 of 800 in a run of 200 rounds); the fix makes every round pass.
 */
class Mp3DecoderFirstUseTest {
    private static final int ROUNDS = 100;
    private static final int DECODERS = 4;

    @Test
    void decodersStartingAtOnceInAFreshJvmAllDecode() throws Exception {
        byte[] song = Files.readAllBytes(Fixtures.path("sine-440-3s.mp3"));
        URL[] classpath = {
                Mp3Decoder.class.getProtectionDomain().getCodeSource().getLocation(),
                Decoder.class.getProtectionDomain().getCodeSource().getLocation()};
        List<String> failures = new ArrayList<>();
        int decoded = 0;
        ExecutorService pool = Executors.newFixedThreadPool(DECODERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                try (URLClassLoader fresh = new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader())) {
                    Class<?> type = fresh.loadClass(Mp3Decoder.class.getName());
                    assertThat(type).as("loaded afresh").isNotSameAs(Mp3Decoder.class);
                    Constructor<?> open = type.getConstructor(InputStream.class);
                    Method next = type.getMethod("decodeNext");
                    CyclicBarrier together = new CyclicBarrier(DECODERS);
                    List<Future<Integer>> runs = new ArrayList<>();
                    for (int i = 0; i < DECODERS; i++) {
                        Callable<Integer> run = () -> {
                            Object decoder = open.newInstance(new ByteArrayInputStream(song));
                            together.await(10, TimeUnit.SECONDS);
                            int bytes = 0;
                            for (int frame = 0; frame < 3; frame++) {
                                bytes += ((byte[]) next.invoke(decoder)).length;
                            }
                            return bytes;
                        };
                        runs.add(pool.submit(run));
                    }
                    for (Future<Integer> run : runs) {
                        try {
                            assertThat(run.get(30, TimeUnit.SECONDS)).isPositive();
                            decoded++;
                        } catch (java.util.concurrent.ExecutionException e) {
                            Throwable t = e.getCause();
                            if (t instanceof InvocationTargetException ite) {
                                t = ite.getCause();
                            }
                            failures.add("round " + round + ": " + t + (t.getCause() == null ? "" : " <- " + t.getCause()));
                        }
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).as("decoders that failed on their first frames").isEmpty();
        assertThat(decoded).isEqualTo(ROUNDS * DECODERS);
    }
}
