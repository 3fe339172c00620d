package dev.thing.server.party;

import java.util.Objects;

/** A change of a lobby's playback, to be sent to every member (S-&gt;C {@code PLAY}, {@code PAUSE}, {@code STOP}). */
public sealed interface PlaybackEvent {

    /**
     * {@code PLAY <title> <start-us> <position-ms>}: the song is at {@code positionMs} at server time
     * {@code startUs} (microseconds since the epoch) and plays on from there.
     */
    record Playing(String title, long startUs, long positionMs) implements PlaybackEvent {
        public Playing {
            Objects.requireNonNull(title, "title");
        }
    }

    /** {@code PAUSE <title> <position-ms>}: the song stands still at {@code positionMs}. */
    record Paused(String title, long positionMs) implements PlaybackEvent {
        public Paused {
            Objects.requireNonNull(title, "title");
        }
    }

    /** {@code STOP}: nothing is playing. */
    record Stopped() implements PlaybackEvent {
    }
}
