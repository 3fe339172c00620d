package dev.thing.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thing.client.audio.GrowingFileSource;
import dev.thing.client.audio.RecordingSink;
import dev.thing.client.cache.FileSongSource;
import dev.thing.it.TelnetClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two and three real clients (real clock sync, the real player over recording sinks) in one lobby of a real
 * server, the party run by a telnet admin. Every check is on recorded values, never a race against the clock.
 */
class PlaybackEndToEndTest extends ClientTestBase {
    /** A click's first samples clear this easily; MP3 pre-echo before it stays far below (as in the unit tests). */
    static final int CLICK = 2_000;

    /** Sends PLAY and returns the start-us of the lobby's PLAY event (the admin is a member and gets it too). */
    static long play(TelnetClient dj, String title) {
        TelnetClient.Reply r = dj.command("PLAY " + TelnetClient.quote(title));
        assertThat(r.last()).as("reply to PLAY").isEqualTo("OKAY");
        String prefix = "PLAY " + TelnetClient.quote(title) + " ";
        String event = r.unsolicited().stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseGet(() -> dj.skipUntil(l -> l.startsWith(prefix)));
        String[] f = event.substring(prefix.length()).split(" ");
        assertThat(f).hasSize(2);
        return Long.parseLong(f[0]);
    }

    /** JVM wall clock (what the in-process server's time source reads) minus System.nanoTime, in ns. */
    static long wallMinusMonoNanos() {
        long best = Long.MAX_VALUE;
        long result = 0;
        for (int i = 0; i < 50; i++) {
            long a = System.nanoTime();
            java.time.Instant now = java.time.Instant.now();
            long b = System.nanoTime();
            if (b - a < best) {
                best = b - a;
                result = now.getEpochSecond() * 1_000_000_000L + now.getNano() / 1000 * 1000L - (a + b) / 2;
            }
        }
        return result;
    }

    @Test
    void twoClientsStartTogetherAndOneFetchesTheSongItLacks() {
        start();
        TelnetClient dj = telnetAdmin("party", "dj");
        Recorder annParts = new Recorder();
        ClientRun ann = interactive("party", "ann", annParts);
        accept(dj, ann, "party");
        assertThat(dj.upload("Sine", fixture("sine-440-3s.mp3"), "Tones")).isEqualTo("OKAY 1");
        eventually("ann caches the pushed song", () -> cached(ann.cacheDir(), "Sine").isPresent());

        // Ben joins after the upload: nothing was pushed to him.
        Recorder benParts = new Recorder();
        ClientRun ben = interactive("party", "ben", benParts);
        accept(dj, ben, "party");
        assertThat(cached(ben.cacheDir(), "Sine")).isEmpty();
        eventually("both clocks synced", () -> annParts.synced() && benParts.synced());

        long startUs = play(dj, "Sine");
        eventually("both players get PCM", () -> annParts.hasPlayedFrames(44_100 / 2)
                && benParts.hasPlayedFrames(44_100 / 2));
        ben.awaitOutput("* fetching Sine to play it");
        assertThat(ann.output()).doesNotContain("fetching Sine");

        Recorder.PlayCall a = annParts.onlyPlay();
        Recorder.PlayCall b = benParts.onlyPlay();
        assertThat(a.sourceType()).as("ann plays her cached copy").isEqualTo(FileSongSource.class);
        // Ben streams his GET while it downloads, or, when the small song has already arrived by the time his
        // player is handed it, plays it from the cache: which one depends on the machine's speed, not on THING.
        assertThat(b.sourceType()).as("ben plays what his GET fetched")
                .isIn(GrowingFileSource.class, FileSongSource.class);
        assertThat(a.positionMs()).isZero();
        assertThat(b.positionMs()).isZero();
        for (Recorder r : List.of(annParts, benParts)) {
            RecordingSink sink = r.firstSink();
            Recorder.PlayCall call = r.onlyPlay();
            assertThat(sink.recordedFrames()).isPositive();
            assertThat(sink.firstNonSilentFrame(1_000)).as("the sine is audible").isGreaterThanOrEqualTo(0);
            assertThat(sink.firstWriteNanos()).as("first hand-over not before the computed start instant")
                    .isGreaterThanOrEqualTo(call.startNanos());
        }
        System.out.printf("start-us %d; back through ClockSync: ann %+d us, ben %+d us; first hand-over after the "
                        + "start: ann %.3f ms, ben %.3f ms%n", startUs, a.startServerUsBack() - startUs,
                b.startServerUsBack() - startUs, (annParts.firstSink().firstWriteNanos() - a.startNanos()) / 1e6,
                (benParts.firstSink().firstWriteNanos() - b.startNanos()) / 1e6);
        assertThat(Math.abs(a.startServerUsBack() - b.startServerUsBack()))
                .as("the two start instants, in server time").isLessThanOrEqualTo(5_000L);
        assertThat(Math.abs(a.startServerUsBack() - startUs)).isLessThanOrEqualTo(5_000L);

        // The server runs in this JVM on the wall clock: the true local instant of start-us is known here, and each
        // client's estimate is within its best round trip's half (NTP's error bound) plus a little.
        long truth = startUs * 1000L - wallMinusMonoNanos();
        for (Recorder r : List.of(annParts, benParts)) {
            long rttUs = r.sync.bestRttMicros().orElseThrow();
            assertThat(Math.abs(r.onlyPlay().startNanos() - truth) / 1000)
                    .as("clock sync error (best RTT %d us)", rttUs).isLessThanOrEqualTo(rttUs / 2 + 3_000);
        }

        // Ben's GET completed into his cache, under the server's hash.
        String hash = listedHash(dj, "Sine");
        eventually("ben caches the fetched song", () -> cached(ben.cacheDir(), "Sine").isPresent());
        assertThat(cached(ben.cacheDir(), "Sine").orElseThrow().hash()).isEqualTo(hash);
        assertThat(cached(ann.cacheDir(), "Sine").orElseThrow().hash()).isEqualTo(hash);
        ann.finishOk();
        ben.finishOk();
    }

    @Test
    void pauseStopsEveryClientsOutputAtOnce() {
        start();
        TelnetClient dj = telnetAdmin("party", "dj");
        Recorder annParts = new Recorder();
        Recorder benParts = new Recorder();
        ClientRun ann = interactive("party", "ann", annParts);
        accept(dj, ann, "party");
        ClientRun ben = interactive("party", "ben", benParts);
        accept(dj, ben, "party");
        assertThat(dj.upload("Clicks", fixture("click-track-30s.mp3"), "Metronome")).startsWith("OKAY");
        eventually("both cache the pushed song", () -> cached(ann.cacheDir(), "Clicks").isPresent()
                && cached(ben.cacheDir(), "Clicks").isPresent());
        eventually("both clocks synced", () -> annParts.synced() && benParts.synced());

        play(dj, "Clicks");
        eventually("both players get half a second of PCM", () -> annParts.hasPlayedFrames(44_100 / 2)
                && benParts.hasPlayedFrames(44_100 / 2));
        assertThat(dj.command("PAUSE").last()).isEqualTo("OKAY");
        ann.awaitOutput("* dj paused Clicks at ");
        ben.awaitOutput("* dj paused Clicks at ");
        eventually("both players paused", () -> annParts.pauseReturnedNanos > 0 && benParts.pauseReturnedNanos > 0);
        // Give a player that wrongly went on the time to show it: a quarter second is 11,000 frames of audio.
        ClientRun.sleep(250);

        for (Recorder r : List.of(annParts, benParts)) {
            RecordingSink sink = r.firstSink();
            List<RecordingSink.Write> writes = sink.writes();
            long afterEntering = writes.stream().filter(w -> w.nanos() >= r.pauseEnteredNanos).count();
            long afterReturning = writes.stream().filter(w -> w.nanos() > r.pauseReturnedNanos).count();
            // One write may be in flight when pause() is called. The sink is paced (full buffer: one 1152-frame MP3
            // frame's worth is taken per 26 ms), so a pause() call that was itself held up (a loaded machine) may
            // see one more per 26 ms it took, and no more.
            long frameNanos = 1152 * 1_000_000_000L / 44_100;
            long allowed = 1 + (r.pauseReturnedNanos - r.pauseEnteredNanos) / frameNanos;
            assertThat(afterEntering).as("writes begun after pause() was called (one may be in flight)")
                    .isLessThanOrEqualTo(allowed);
            assertThat(afterReturning).as("writes after pause() returned").isZero();
            assertThat(r.plays).hasSize(1);
            assertThat(r.sinks).hasSize(1);
        }
        ann.type("status");
        assertThat(ann.awaitOutput("(paused)")).contains("song: Clicks at ");
        ann.finishOk();
        ben.finishOk();
    }

    @Test
    void aLateJoinerStartsAtThePositionTheServerTimeImplies() {
        start();
        TelnetClient dj = telnetAdmin("party", "dj");
        Recorder annParts = new Recorder();
        ClientRun ann = interactive("party", "ann", annParts);
        accept(dj, ann, "party");
        assertThat(dj.upload("Clicks", fixture("click-track-30s.mp3"), "Metronome")).startsWith("OKAY");
        eventually("ann caches the pushed song", () -> cached(ann.cacheDir(), "Clicks").isPresent());
        eventually("ann's clock synced", annParts::synced);
        play(dj, "Clicks");
        // Well into the song (1.5 s handed over) before carol even asks to join.
        eventually("ann plays 1.5 s", () -> annParts.hasPlayedFrames(44_100 * 3 / 2));

        Recorder carolParts = new Recorder();
        ClientRun carol = interactive("party", "carol", carolParts);
        accept(dj, carol, "party");
        carol.awaitOutput("* now playing Clicks from ");
        carol.awaitOutput("* fetching Clicks to play it");
        // More than a second of it, so that it holds a click wherever it starts.
        eventually("carol's player gets 1.2 s of PCM", () -> carolParts.hasPlayedFrames(44_100 * 6 / 5));

        Recorder.PlayCall call = carolParts.onlyPlay();
        RecordingSink sink = carolParts.firstSink();
        long rate = Math.round(sink.format().getSampleRate());
        assertThat(sink.firstWriteNanos()).isGreaterThanOrEqualTo(call.startNanos());
        // The lobby position of carol's first sample, from what her client computed and when it handed it over.
        long firstSampleMs = call.positionMs() + (sink.firstWriteNanos() - call.startNanos()) / 1_000_000L;
        assertThat(firstSampleMs).as("carol's first sample's position").isGreaterThan(1_000L);
        // The audio agrees: the track clicks on every whole second, so a start at 0 would click at frame 0; a start
        // at P ms clicks first after (1000 - P mod 1000) ms.
        long click = sink.firstNonSilentFrame(CLICK);
        long expected = (1000 - firstSampleMs % 1000) % 1000 * rate / 1000;
        long distance = Math.floorMod(click - expected, rate);
        distance = Math.min(distance, rate - distance);
        System.out.printf("late joiner: first sample at %d ms, first click at frame %d (expected ~%d, %+.1f ms)%n",
                firstSampleMs, click, expected, distance * 1000.0 / rate);
        assertThat(click).as("not the click at the song's start").isGreaterThan(10L);
        assertThat(distance * 1000 / rate).as("click where the position puts it, in ms").isLessThanOrEqualTo(100L);
        // Both clients place the song's start at the same server time.
        Recorder.PlayCall a = annParts.onlyPlay();
        long annZeroUs = a.startServerUsBack() - a.positionMs() * 1000;
        long carolZeroUs = call.startServerUsBack() - call.positionMs() * 1000;
        // Carol maps it with the few TIME samples she has just after joining: each estimate is within half its best
        // round trip of the truth (NTP's bound), so the two agree within 5 ms plus those halves.
        long slackUs = annParts.sync.bestRttMicros().orElse(0) / 2 + carolParts.sync.bestRttMicros().orElse(0) / 2;
        assertThat(Math.abs(annZeroUs - carolZeroUs)).as("song start in server time, ann vs carol")
                .isLessThanOrEqualTo(5_000L + slackUs);
        ann.finishOk();
        carol.finishOk();
    }
}
