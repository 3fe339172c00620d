package dev.thing.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.audio.GrowingFileSource;
import dev.thing.client.cache.FileSongSource;
import dev.thing.client.cache.SongCache;
import dev.thing.it.TelnetClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The client's song cache filled from a real server: pushed uploads, GET, and a restart that finds it again. */
class CacheAndFetchTest extends ClientTestBase {

    @Test
    void aMemberReceivesThePushedSongGetFillsTheCacheAndARestartFindsIt() throws IOException {
        start();
        TelnetClient dj = telnetAdmin("party", "dj");
        // Uploaded before bob is a member: not pushed to him.
        assertThat(dj.upload("Early Bird", fixture("chirp-5s-vbr.mp3"), "Birds")).isEqualTo("OKAY 1");

        Path cache = cacheDir("bob");
        ClientRun bob = interactive("party", "bob", new Recorder(), cache);
        accept(dj, bob, "party");
        assertThat(cacheIndex(cache)).isEmpty();

        // Pushed: the admin uploads while bob is a member.
        assertThat(dj.upload("Sine", fixture("sine-440-3s.mp3"), "Tones", "Test")).isEqualTo("OKAY 2");
        bob.awaitOutput("* new in the library: Sine - Tones [Test");
        eventually("bob caches the pushed song", () -> cached(cache, "Sine").isPresent());
        String sineHash = listedHash(dj, "Sine");
        IndexEntry sine = cached(cache, "Sine").orElseThrow();
        assertThat(sine.hash()).isEqualTo(sineHash);
        assertThat(sine.artist()).isEqualTo("Tones");
        assertThat(sine.tag1()).isEqualTo("Test");
        assertThat(Files.size(cache.resolve("songs").resolve(sineHash + ".mp3"))).isEqualTo(sine.size());
        assertThat(cached(cache, "Early Bird")).isEmpty();

        // GET fills the cache with what was not pushed.
        bob.type("get Early Bird");
        bob.awaitOutput("ok: Early Bird is in the cache");
        eventually("bob caches the fetched song", () -> cached(cache, "Early Bird").isPresent());
        String earlyHash = listedHash(dj, "Early Bird");
        assertThat(cached(cache, "Early Bird").orElseThrow().hash()).isEqualTo(earlyHash);
        bob.type("status");
        bob.awaitOutput("cache: 2 songs");
        bob.finishOk();
        assertThat(bob.output()).doesNotContain("error:");
        // No partial downloads are left behind.
        try (var parts = Files.list(cache.resolve("incoming"))) {
            assertThat(parts.toList()).isEmpty();
        }

        // The cache as the client's own code reads it: both songs, checked against the server's hashes.
        SongCache reopened = SongCache.open(cache, 1L << 30, System::currentTimeMillis, GrowingFileSource::new);
        assertThat(reopened.lookup("Sine", sineHash)).isPresent();
        assertThat(reopened.lookup("Early Bird", earlyHash)).isPresent();

        // A restart of the client over the same cache: the entries are found, nothing is fetched again.
        Recorder parts = new Recorder();
        ClientRun again = interactive("party", "bob", parts, cache);
        accept(dj, again, "party");
        again.type("status");
        again.awaitOutput("cache: 2 songs");
        eventually("clock synced", parts::synced);
        PlaybackEndToEndTest.play(dj, "Early Bird");
        again.awaitOutput("* dj played Early Bird"); // who acted (RFC 10.1)
        eventually("bob plays it", () -> parts.hasPlayedFrames(1));
        assertThat(parts.onlyPlay().sourceType()).as("played from the cache").isEqualTo(FileSongSource.class);
        assertThat(again.output()).doesNotContain("fetching");
        again.finishOk();
        assertThat(cached(cache, "Early Bird").orElseThrow().hash()).isEqualTo(earlyHash);
    }
}
