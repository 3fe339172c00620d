package dev.thing.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The rooms' doors, checked on the sources: the network libraries (MINA, Jetty) are known to the
 * transport package only. */
class ArchitectureTest {
    static final Path MAIN = Path.of("src", "main", "java", "dev", "thing", "server");

    static List<Path> sourcesImporting(String prefix) throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readAllLines(p).stream().anyMatch(l -> l.startsWith("import " + prefix));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void onlyTheTransportPackageImportsMina() throws IOException {
        assertThat(sourcesImporting("org.apache.mina")).isNotEmpty()
                .allSatisfy(p -> assertThat(MAIN.relativize(p).toString()).startsWith("transport"));
    }

    @Test
    void onlyTheTransportPackageImportsJetty() throws IOException {
        assertThat(sourcesImporting("org.eclipse.jetty")).isNotEmpty()
                .allSatisfy(p -> assertThat(MAIN.relativize(p).toString()).startsWith("transport"));
    }

    @Test
    void theSessionCoreAndTheHandlersKnowNoTransport() throws IOException {
        assertThat(sourcesImporting("dev.thing.server.transport"))
                .allSatisfy(p -> assertThat(MAIN.relativize(p).toString()).isEqualTo("ThingServer.java"));
    }
}
