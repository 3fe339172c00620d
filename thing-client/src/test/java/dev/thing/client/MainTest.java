package dev.thing.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void helpNamesEveryOptionItAccepts() {
        StringWriter text = new StringWriter();
        Main.printHelp(new PrintWriter(text));
        assertThat(text.toString()).contains("<lobby> <username>", "--host", "--port", "--cache", "--cache-max-mib",
                "--latency", "--audio", "auto", "pulse", "javasound", "silent", "--no-audio", "--script", "--batch",
                "--help", "--version", "default: 7717", "--tls", "--known-hosts", "--tls-fingerprint", "known_hosts",
                "--password", "--ask-password", "process list");
        assertThat(Main.options().getOptions()).hasSize(16);
    }

    @Test
    void badCommandLinesAreRefused() {
        assertThat(Main.run(new String[] {"--help"})).isZero();
        assertThat(Main.run(new String[] {"--version"})).isZero();
        assertThat(Main.run(new String[] {"onlylobby"})).isEqualTo(64);
        assertThat(Main.run(new String[] {"--port", "x", "party", "alice"})).isEqualTo(64);
        assertThat(Main.run(new String[] {"--nope", "party", "alice"})).isEqualTo(64);
        assertThat(Main.run(new String[] {"bad lobby!", "alice"})).isEqualTo(64);
        assertThat(Main.run(new String[] {"--password", "", "party", "alice"})).as("an empty password").isEqualTo(64);
        assertThat(Main.run(new String[] {"--password", "x", "--ask-password", "party", "alice"})).isEqualTo(64);
        assertThat(Main.run(new String[] {"--tls-fingerprint", "AB:CD", "party", "alice"})).isEqualTo(64);
        assertThat(Main.run(new String[] {"--known-hosts", "k", "party", "alice"})).isEqualTo(64);
        assertThat(Main.run(new String[] {"--audio", "alsa", "party", "alice"})).isEqualTo(64);
        assertThat(Main.run(new String[] {"--audio", "pulse", "--no-audio", "party", "alice"})).isEqualTo(64);
    }

    static ThingClient.Tls tls(String... args) throws Exception {
        return Main.tls(new org.apache.commons.cli.DefaultParser().parse(Main.options(), args));
    }

    @Test
    void tlsIsOffUnlessAskedForAndAFingerprintImpliesIt() throws Exception {
        String hex = "ab".repeat(32);

        assertThat(tls()).isNull();
        assertThat(tls("--tls")).isEqualTo(new ThingClient.Tls(dev.thing.client.net.ServerTrust.defaultKnownHosts(),
                null));
        assertThat(tls("--tls", "--known-hosts", "/tmp/k").knownHosts()).isEqualTo(java.nio.file.Path.of("/tmp/k"));
        assertThat(tls("--tls-fingerprint", hex).fingerprint()).isEqualTo(("AB:".repeat(32)).substring(0, 95));
    }

    @Test
    void audioOptionsAreRead() throws Exception {
        org.apache.commons.cli.DefaultParser p = new org.apache.commons.cli.DefaultParser();
        assertThat(Main.audioMode(p.parse(Main.options(), new String[] {"a", "b"})))
                .isEqualTo(dev.thing.client.audio.AudioMode.AUTO);
        assertThat(Main.audioMode(p.parse(Main.options(), new String[] {"--audio", "javasound", "a", "b"})))
                .isEqualTo(dev.thing.client.audio.AudioMode.JAVASOUND);
        assertThat(Main.audioMode(p.parse(Main.options(), new String[] {"--no-audio", "a", "b"})))
                .isEqualTo(dev.thing.client.audio.AudioMode.SILENT);
        assertThat(Main.audioMode(p.parse(Main.options(), new String[] {"--audio", "silent", "--no-audio", "a", "b"})))
                .isEqualTo(dev.thing.client.audio.AudioMode.SILENT);
    }

    @Test
    void explicitPulseWithoutPulseAudioSaysWhy() {
        dev.thing.client.audio.AudioOutputs.Backends none = new dev.thing.client.audio.AudioOutputs.Backends() {
            @Override
            public dev.thing.client.audio.PulseApi pulse() {
                throw new dev.thing.client.audio.PulseApi.PulseException("cannot load libpulse, PulseAudio's client"
                        + " library (install libpulse0): not found");
            }

            @Override
            public boolean javaSound() {
                return true;
            }
        };
        assertThat(Main.pulseUnavailable(none)).contains("install libpulse0");
    }

    @Test
    void aSecondClientOnTheDefaultCacheTakesAFolderOfItsOwn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path dir = tmp.resolve("thing");
        try (dev.thing.client.cache.CacheLock first = Main.lockDefaultCache(dir);
             dev.thing.client.cache.CacheLock second = Main.lockDefaultCache(dir)) {
            assertThat(first.dir()).isEqualTo(dir);
            assertThat(second.dir()).isEqualTo(tmp.resolve("thing-2"));
        }
    }
}
