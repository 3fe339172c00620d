package dev.thing.server.party;

import dev.thing.protocol.Names;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.Tokens;
import dev.thing.server.party.PartyException.Reason;
import dev.thing.server.party.PlaybackClock.State;
import dev.thing.server.party.PlaybackEvent.Stopped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One lobby's party: its playback ({@link PlaybackClock}), its queue ({@link PartyQueue}) and its autoplay
 * switch. Pure logic: no threads, no sockets, no knowledge of the lobby's members. Not thread-safe: the
 * lobby holds its lock around every call, broadcasts the returned {@link PartyOutcome} (events in order,
 * then notices), and keeps a timer at {@link #nextDeadlineUs()} that calls {@link #tick}.
 *
 * <p>Every method either returns an outcome or throws {@link PartyException} having changed nothing.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li><b>Start instant.</b> Whatever starts or resumes playing starts at {@code nowUs + leadUs}: the
 *       lead (see {@link StartLead}) gives every member time to prepare. This holds at a song's end too:
 *       when {@link #tick} finds the song over ({@code nowUs >= endsAt}) the next song starts at
 *       {@code nowUs + leadUs}, i.e. {@code max(endsAt, nowUs) + leadUs}. So there is one lead of silence
 *       between songs (clients may need to fetch the next song), and a tick that arrives late does not
 *       produce a start instant in the past that clients would have to jump into.</li>
 *   <li><b>Song end.</b> Next queued song; else, with autoplay on, a random library song (not the one
 *       that just ended, if the library has another); else {@code STOP}.</li>
 *   <li><b>REQUEST.</b> The song is queued ({@code "<who> queued <title>"}); if the party is STOPPED the
 *       queue starts at once (first in, first played). A PAUSED party stays paused: someone paused it on
 *       purpose.</li>
 *   <li><b>SKIP</b> goes to what a song end would go to. When already stopped and there is nothing to go
 *       to it fails with NOTHING_PLAYING.</li>
 *   <li><b>Positions</b> are whole milliseconds on the wire; PAUSE rounds down (see {@link PlaybackClock}).</li>
 *   <li>Queued songs are looked up again ({@code #<id>}) when their turn comes; one that has left the
 *       library meanwhile is passed over.</li>
 *   <li><b>Fair queue.</b> Requests take turns by requester, the song playing counting as its requester's turn
 *       (see {@link PartyQueue}); one requester may have at most the per-person cap queued.</li>
 *   <li><b>Skip votes</b> belong to the song playing and are cleared whenever another song starts or the party
 *       stops; more than the vote share of the members present skips it, as SKIP would. A leaver's vote goes.</li>
 * </ul>
 */
public final class Party {
    private static final Logger LOG = LogManager.getLogger(Party.class);
    /** How many random draws autoplay makes to avoid repeating the song that just ended. */
    private static final int AUTOPLAY_DRAWS = 4;

    private final SongCatalog catalog;
    private final RandomGenerator rnd;
    private final PlaybackClock clock = new PlaybackClock();
    private final PartyQueue queue;
    private boolean autoplay;
    /** Who asked for the song playing (null: played by hand, by autoplay, or nothing plays): for fair queuing. */
    private String playingRequester;
    /** The username keys of the members who voted to skip the song playing; cleared with each song. */
    private final Set<String> skipVotes = new LinkedHashSet<>();
    private int voteShare;

    public Party(SongCatalog catalog, PartySettings settings, RandomGenerator rnd) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.rnd = Objects.requireNonNull(rnd, "rnd");
        Objects.requireNonNull(settings, "settings");
        this.queue = new PartyQueue(settings.queueLimit(), settings.perRequesterLimit());
        this.autoplay = settings.autoplay();
        this.voteShare = settings.voteShare();
    }

    /**
     * {@code PLAY <ref> [<position-ms>]}: plays that song from {@code positionMs}, starting at
     * {@code nowUs + leadUs}, whatever was playing. The queue is left alone.
     *
     * @throws PartyException NO_SUCH_SONG, BAD_POSITION
     */
    public PartyOutcome play(String ref, long positionMs, long nowUs, long leadUs) {
        PartySong song = resolve(ref);
        PlaybackEvent event = clock.play(song, positionMs, nowUs + leadUs);
        newSong(null);
        return PartyOutcome.of(event);
    }

    /**
     * {@code PAUSE}: the song stops at its position at {@code nowUs} (rounded down to the ms).
     *
     * @throws PartyException NOT_PLAYING
     */
    public PartyOutcome pause(long nowUs) {
        return PartyOutcome.of(clock.pause(nowUs));
    }

    /**
     * {@code RESUME}: plays on from the paused position, starting at {@code nowUs + leadUs}.
     *
     * @throws PartyException NOT_PAUSED
     */
    public PartyOutcome resume(long nowUs, long leadUs) {
        return PartyOutcome.of(clock.resume(nowUs + leadUs));
    }

    /**
     * {@code SEEK <position-ms>}: while playing, the song is at that position at {@code nowUs + leadUs};
     * while paused it stays paused at that position.
     *
     * @throws PartyException NOTHING_PLAYING, BAD_POSITION
     */
    public PartyOutcome seek(long positionMs, long nowUs, long leadUs) {
        return PartyOutcome.of(clock.seek(positionMs, nowUs + leadUs));
    }

    /**
     * {@code SKIP}: the next queued song, else (autoplay on) a random one, else {@code STOP}; from a
     * playing or paused song, or from STOPPED when there is something to play.
     *
     * @throws PartyException NOTHING_PLAYING when stopped and there is nothing to go to
     */
    public PartyOutcome skip(long nowUs, long leadUs) {
        State before = clock.state();
        PlaybackEvent event = advance(nowUs + leadUs);
        if (before == State.STOPPED && event instanceof Stopped) {
            throw new PartyException(Reason.NOTHING_PLAYING, "nothing is playing and the queue is empty");
        }
        return PartyOutcome.of(event);
    }

    /** {@code STOP}: stops playback (the queue stays). Always answers with a {@link Stopped} event. */
    public PartyOutcome stop() {
        PlaybackEvent event = clock.stop();
        newSong(null);
        return PartyOutcome.of(event);
    }

    /**
     * {@code REQUEST <ref>}: queues the song; if the party is stopped the queue starts at once.
     *
     * @throws PartyException NO_SUCH_SONG (the caller then files the title as wanted), DUPLICATE, LIMIT
     */
    public PartyOutcome request(String ref, String requester, long nowUs, long leadUs) {
        PartySong song = resolve(ref);
        return enqueue(song, requester, requester + " queued " + Tokens.quote(song.title()), nowUs, leadUs);
    }

    /**
     * Queues a song that was wanted by {@code requester} and has just been uploaded; if the party is
     * stopped the queue starts at once.
     *
     * @throws PartyException DUPLICATE (already queued), LIMIT
     */
    public PartyOutcome enqueueFulfilledWish(PartySong song, String requester, long nowUs, long leadUs) {
        Objects.requireNonNull(song, "song");
        return enqueue(song, requester,
                requester + " queued " + Tokens.quote(song.title()), nowUs, leadUs);
    }

    private PartyOutcome enqueue(PartySong song, String requester, String notice, long nowUs, long leadUs) {
        Objects.requireNonNull(requester, "requester");
        queue.add(new QueueEntry(song.id(), song.title(), requester), playingRequester);
        List<PlaybackEvent> events = new ArrayList<>(1);
        if (clock.state() == State.STOPPED) {
            events.add(advance(nowUs + leadUs));
        }
        return new PartyOutcome(events, List.of(notice));
    }

    /**
     * The timer: if the playing song has ended ({@code nowUs >= endsAt}) goes on to the next queued song,
     * else a random one (autoplay on and the library not empty), else {@code STOP}; the next song starts at
     * {@code nowUs + leadUs}. Otherwise (early, spurious or stale tick) nothing happens.
     */
    public PartyOutcome tick(long nowUs, long leadUs) {
        OptionalLong end = clock.endsAtUs();
        if (end.isEmpty() || nowUs < end.getAsLong()) {
            return PartyOutcome.none();
        }
        return PartyOutcome.of(advance(nowUs + leadUs));
    }

    /** When the timer should call {@link #tick}: the end of the playing song; empty unless playing. */
    public OptionalLong nextDeadlineUs() {
        return clock.endsAtUs();
    }

    /**
     * A song was deleted from the library (call after the library has dropped it): it leaves the queue,
     * and if it is playing or paused the party skips to the next song (or stops).
     */
    public PartyOutcome songDeleted(long songId, long nowUs, long leadUs) {
        if (queue.remove(songId)) {
            LOG.debug("deleted song {} dropped from the queue", songId);
        }
        Optional<PartySong> current = clock.song();
        if (current.isPresent() && current.get().id() == songId) {
            return PartyOutcome.of(advance(nowUs + leadUs));
        }
        return PartyOutcome.none();
    }

    /**
     * With autoplay on, an idle party (stopped, nothing queued) starts a random song; otherwise nothing happens.
     * Called when a lobby is created, when autoplay is turned on, and when a song arrives in the library, so
     * that {@code --autoplay} does not leave a new lobby silent until someone plays by hand.
     */
    public PartyOutcome wake(long nowUs, long leadUs) {
        if (!autoplay || clock.state() != State.STOPPED) {
            return PartyOutcome.none();
        }
        PlaybackEvent event = advance(nowUs + leadUs);
        return event instanceof Stopped ? PartyOutcome.none() : PartyOutcome.of(event);
    }

    /**
     * Puts back a kept queue (a claimed lobby coming back) without starting anything; entries past the limit or
     * already queued are dropped.
     */
    public void restoreQueue(List<QueueEntry> entries) {
        for (QueueEntry e : entries) {
            if (queue.size() >= queue.limit() || queue.contains(e.songId())) {
                continue;
            }
            queue.add(e);
        }
    }

    public void setAutoplay(boolean on) {
        this.autoplay = on;
    }

    public boolean autoplay() {
        return autoplay;
    }

    /** The queue in play order. */
    public List<QueueEntry> queue() {
        return queue.entries();
    }

    /** For a member just accepted: the PLAY (as sent) or PAUSE in force; empty when stopped. */
    public Optional<PlaybackEvent> current(long nowUs) {
        return clock.current(nowUs);
    }

    public State state() {
        return clock.state();
    }

    /** The song playing or paused; empty when stopped. */
    public Optional<PartySong> nowPlaying() {
        return clock.song();
    }

    /** The position at {@code nowUs} in ms (see {@link PlaybackClock#positionAtMs}). */
    public long positionAtMs(long nowUs) {
        return clock.positionAtMs(nowUs);
    }

    /** Starts the next song at {@code startUs}, or stops. */
    private PlaybackEvent advance(long startUs) {
        long previousId = clock.song().map(PartySong::id).orElse(-1L);
        Optional<QueueEntry> entry;
        while ((entry = queue.peek()).isPresent()) {
            // Looked up before it leaves the queue: a library that fails (PartyException STORAGE) drops nothing.
            Optional<PartySong> song = catalog.resolve("#" + entry.get().songId());
            queue.poll();
            if (song.isPresent()) {
                PlaybackEvent event = clock.play(song.get(), 0, startUs);
                newSong(entry.get().requestedBy());
                return event;
            }
            LOG.info("queued song {} ({}) is no longer in the library; passed over",
                    entry.get().songId(), entry.get().title());
        }
        if (autoplay) {
            Optional<PartySong> pick = Optional.empty();
            for (int i = 0; i < AUTOPLAY_DRAWS; i++) {
                Optional<PartySong> draw = catalog.random(rnd);
                if (draw.isEmpty()) {
                    break;
                }
                pick = draw;
                if (draw.get().id() != previousId) {
                    break;
                }
            }
            if (pick.isPresent()) {
                PlaybackEvent event = clock.play(pick.get(), 0, startUs);
                newSong(null);
                return event;
            }
        }
        PlaybackEvent stopped = clock.stop();
        newSong(null);
        return stopped;
    }

    /** A new song (or none) began: its votes start from nothing. */
    private void newSong(String requester) {
        playingRequester = requester;
        skipVotes.clear();
    }

    // ---- votes ----

    /** How many skip votes skip the song when {@code present} members are in the lobby: more than the share. */
    public int votesNeeded(int present) {
        return (int) ((long) Math.max(present, 1) * voteShare / 100) + 1;
    }

    public int voteShare() {
        return voteShare;
    }

    /** Sets the share (0-99 %) that skip votes must pass; the votes already cast count against the new share. */
    public PartyOutcome setVoteShare(int percent, String actor, int present, long nowUs, long leadUs) {
        if (percent < 0 || percent > 99) {
            throw new IllegalArgumentException("vote share outside 0-99: " + percent);
        }
        this.voteShare = percent;
        String notice = actor + " set the skip vote share to " + percent + "%: a song is skipped when more than "
                + percent + "% of the members present vote to skip it (now " + votesNeeded(present) + " of "
                + present + ")";
        PartyOutcome counted = countVotes(present, nowUs, leadUs);
        List<String> notices = new ArrayList<>(List.of(notice));
        notices.addAll(counted.lobbyNotices());
        return new PartyOutcome(counted.events(), notices, counted.facts());
    }

    public int skipVotes() {
        return skipVotes.size();
    }

    /**
     * {@code VOTE SKIP} from {@code voter}, with {@code present} members in the lobby (the voter included). When the
     * votes pass the share the song is skipped (as SKIP would), and the notice says the lobby did it.
     *
     * @throws PartyException NOTHING_PLAYING when nothing plays or is paused; ALREADY_VOTED for a second vote
     */
    public PartyOutcome voteSkip(String voter, int present, long nowUs, long leadUs) {
        Optional<PartySong> song = clock.song();
        if (song.isEmpty()) {
            throw new PartyException(Reason.NOTHING_PLAYING, "nothing is playing, so there is nothing to skip");
        }
        if (!skipVotes.add(Names.key(voter))) {
            throw new PartyException(Reason.ALREADY_VOTED, "you have voted to skip " + Tokens.quote(song.get().title())
                    + " already (" + skipVotes.size() + " of " + votesNeeded(present) + " votes needed)");
        }
        PartyOutcome counted = countVotes(present, nowUs, leadUs);
        if (!counted.events().isEmpty()) {
            return counted;
        }
        int needed = votesNeeded(present);
        return new PartyOutcome(List.of(), List.of(voter + " votes to skip " + Tokens.quote(song.get().title())
                + " (" + skipVotes.size() + " of " + needed + " votes needed; VOTE SKIP to agree)"),
                List.of(votes(song.get(), needed)));
    }

    /**
     * A member left: their vote no longer counts, and with one member fewer the votes cast may now be enough.
     * {@code present} is the number of members left.
     */
    public PartyOutcome memberLeft(String username, int present, long nowUs, long leadUs) {
        boolean had = skipVotes.remove(Names.key(username));
        if (skipVotes.isEmpty() && !had) {
            return PartyOutcome.none();
        }
        return countVotes(present, nowUs, leadUs);
    }

    /** Skips when the votes cast pass the share; otherwise tells programs the count. */
    private PartyOutcome countVotes(int present, long nowUs, long leadUs) {
        Optional<PartySong> song = clock.song();
        if (song.isEmpty()) {
            return PartyOutcome.none();
        }
        int needed = votesNeeded(present);
        int votes = skipVotes.size();
        if (votes > 0 && votes >= needed) {
            String title = Tokens.quote(song.get().title());
            PlaybackEvent event = advance(nowUs + leadUs);
            return new PartyOutcome(List.of(event), List.of("the lobby voted to skip " + title + " (" + votes
                    + " of " + present + (present == 1 ? " member" : " members") + ")"));
        }
        return new PartyOutcome(List.of(), List.of(), List.of(votes(song.get(), needed)));
    }

    private ServerMessage.VotesEvent votes(PartySong song, int needed) {
        return new ServerMessage.VotesEvent(song.title(), skipVotes.size(), needed);
    }

    // ---- queue editing ----

    /**
     * {@code UNQUEUE <position>}: its requester, or staff, takes a song off the queue.
     *
     * @throws PartyException NO_SUCH_ENTRY, NOT_YOURS
     */
    public PartyOutcome unqueue(int position, String actor, boolean staff) {
        QueueEntry entry = queue.at(position);
        boolean own = Names.key(entry.requestedBy()).equals(Names.key(actor));
        if (!own && !staff) {
            throw new PartyException(Reason.NOT_YOURS, "position " + position + " (" + Tokens.quote(entry.title())
                    + ") was queued by " + entry.requestedBy() + "; only they or the lobby's staff may take it off");
        }
        queue.removeAt(position);
        return new PartyOutcome(List.of(), List.of(actor + " took " + Tokens.quote(entry.title()) + " off the queue"
                + (own ? "" : " (queued by " + entry.requestedBy() + ")")));
    }

    /**
     * {@code MOVE <position> <new-position>} (staff).
     *
     * @throws PartyException NO_SUCH_ENTRY
     */
    public PartyOutcome move(int position, int newPosition, String actor) {
        QueueEntry entry = queue.move(position, newPosition);
        if (position == newPosition) {
            return PartyOutcome.none();
        }
        return new PartyOutcome(List.of(), List.of(actor + " moved " + Tokens.quote(entry.title())
                + " to position " + newPosition + " of the queue"));
    }

    /** The queue's next song (the one a song end would start); empty when the queue is empty. */
    public Optional<QueueEntry> next() {
        return queue.peek();
    }

    /** A song of the library has a new title: the queue and the song playing follow (same id, same timing). */
    public void songRenamed(long songId, String newTitle) {
        queue.retitle(songId, newTitle);
        clock.retitle(songId, newTitle);
    }

    private PartySong resolve(String ref) {
        Objects.requireNonNull(ref, "ref");
        return catalog.resolve(ref).orElseThrow(() ->
                new PartyException(Reason.NO_SUCH_SONG, dev.thing.server.library.Library.noSuchSongText(ref)));
    }
}
