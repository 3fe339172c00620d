package dev.thing.server.party;

import dev.thing.server.party.PartyException.Reason;
import dev.thing.server.party.PlaybackEvent.Paused;
import dev.thing.server.party.PlaybackEvent.Playing;
import dev.thing.server.party.PlaybackEvent.Stopped;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One lobby's playback state machine: STOPPED, PLAYING or PAUSED. Pure logic; time is always passed in
 * (microseconds since the epoch). Not thread-safe: the lobby holds its lock around every call.
 *
 * <p>The state is kept exactly as it goes on the wire: while playing, the song is at {@code positionMs}
 * at server time {@code startUs} and plays on from there; while paused it stands at {@code positionMs}.
 * All arithmetic is done in whole microseconds, so the server's idea of the position agrees exactly with
 * what a client computes from the {@code PLAY} line:
 * <ul>
 *   <li>position at {@code now} (us) = {@code positionMs * 1000 + max(0, now - startUs)}, capped at the
 *       song's duration. Before the start instant the song has not started moving: the position is the
 *       start position.</li>
 *   <li>PAUSE rounds that position <em>down</em> to the millisecond, and that millisecond value is what
 *       the server then holds (so a later RESUME starts exactly where the {@code PAUSE} line said).</li>
 *   <li>the song ends at {@code startUs + (durationMs - positionMs) * 1000}.</li>
 * </ul>
 */
public final class PlaybackClock {

    /** The three states of a lobby's playback. */
    public enum State { STOPPED, PLAYING, PAUSED }

    private State state = State.STOPPED;
    private PartySong song;      // null when STOPPED
    private long positionMs;     // PLAYING: position at startUs; PAUSED: the paused position
    private long startUs;        // PLAYING only

    public State state() {
        return state;
    }

    /** The song playing or paused; empty when stopped. */
    public Optional<PartySong> song() {
        return Optional.ofNullable(song);
    }

    /** The song playing or paused was renamed: the same song at the same place, under its new title. */
    public void retitle(long songId, String newTitle) {
        if (song != null && song.id() == songId) {
            song = new PartySong(song.id(), newTitle, song.durationMs());
        }
    }

    /**
     * Starts {@code song} (whatever the state was): it is at {@code positionMs} at {@code startUs}.
     *
     * @throws PartyException BAD_POSITION when the position is below 0 or not before the song's end
     */
    public Playing play(PartySong song, long positionMs, long startUs) {
        Objects.requireNonNull(song, "song");
        checkPosition(song, positionMs);
        this.song = song;
        this.positionMs = positionMs;
        this.startUs = startUs;
        this.state = State.PLAYING;
        return playing();
    }

    /**
     * Pauses at the exact position at {@code nowUs}, rounded down to the millisecond.
     *
     * @throws PartyException NOT_PLAYING unless playing
     */
    public Paused pause(long nowUs) {
        if (state != State.PLAYING) {
            throw new PartyException(Reason.NOT_PLAYING, state == State.PAUSED
                    ? song.title() + " is already paused"
                    : "nothing is playing");
        }
        positionMs = positionAtMs(nowUs);
        state = State.PAUSED;
        return paused();
    }

    /**
     * Plays on from the paused position, which the song is at at {@code startUs}.
     *
     * @throws PartyException NOT_PAUSED unless paused
     */
    public Playing resume(long startUs) {
        if (state != State.PAUSED) {
            throw new PartyException(Reason.NOT_PAUSED, state == State.PLAYING
                    ? song.title() + " is playing, not paused"
                    : "nothing is paused");
        }
        this.startUs = startUs;
        state = State.PLAYING;
        return playing();
    }

    /**
     * Moves to {@code positionMs}: while playing the song is there at {@code startUs} and plays on
     * ({@link Playing}); while paused it stays paused there ({@link Paused}).
     *
     * @throws PartyException NOTHING_PLAYING when stopped; BAD_POSITION when the position is below 0 or
     *                        not before the song's end
     */
    public PlaybackEvent seek(long positionMs, long startUs) {
        if (state == State.STOPPED) {
            throw new PartyException(Reason.NOTHING_PLAYING, "nothing is playing; nothing to seek in");
        }
        checkPosition(song, positionMs);
        this.positionMs = positionMs;
        if (state == State.PLAYING) {
            this.startUs = startUs;
            return playing();
        }
        return paused();
    }

    /** Stops (from any state). */
    public Stopped stop() {
        state = State.STOPPED;
        song = null;
        positionMs = 0;
        startUs = 0;
        return new Stopped();
    }

    /**
     * The position at {@code nowUs} in milliseconds, rounded down: while playing, the start position before
     * the start instant, then moving, capped at the song's duration; while paused the paused position;
     * 0 when stopped.
     */
    public long positionAtMs(long nowUs) {
        return switch (state) {
            case STOPPED -> 0;
            case PAUSED -> positionMs;
            case PLAYING -> Math.floorDiv(positionAtUs(nowUs), 1000L);
        };
    }

    /** The exact position at {@code nowUs} in microseconds while playing (see {@link #positionAtMs}). */
    private long positionAtUs(long nowUs) {
        long moved = Math.max(0, nowUs - startUs);
        return Math.min(song.durationMs() * 1000L, positionMs * 1000L + moved);
    }

    /** When the playing song reaches its end (server time, us); empty unless playing. */
    public OptionalLong endsAtUs() {
        if (state != State.PLAYING) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(startUs + (song.durationMs() - positionMs) * 1000L);
    }

    /**
     * The event that tells a member who arrives late what is going on: while playing the {@code PLAY}
     * exactly as it was sent (the client works out where the song is now from the start instant), while
     * paused the {@code PAUSE}; empty when stopped.
     */
    public Optional<PlaybackEvent> current(long nowUs) {
        return switch (state) {
            case STOPPED -> Optional.empty();
            case PAUSED -> Optional.of(paused());
            case PLAYING -> Optional.of(playing());
        };
    }

    private Playing playing() {
        return new Playing(song.title(), startUs, positionMs);
    }

    private Paused paused() {
        return new Paused(song.title(), positionMs);
    }

    private static void checkPosition(PartySong song, long positionMs) {
        // Position 0 is always allowed, even for a (degenerate) song of no length.
        if (positionMs < 0 || (positionMs > 0 && positionMs >= song.durationMs())) {
            // In m:ss, as a person gives positions (SEEK 1:30), with the song's length to choose from.
            throw new PartyException(Reason.BAD_POSITION, positionMs < 0 ? "a position cannot be negative"
                    : "position " + dev.thing.protocol.Positions.format(positionMs) + " is past the end of "
                    + song.title() + ", which is " + dev.thing.protocol.Positions.format(song.durationMs()) + " long");
        }
    }
}
