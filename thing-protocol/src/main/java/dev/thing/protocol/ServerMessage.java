package dev.thing.protocol;

import dev.thing.protocol.board.BoardShape;
import dev.thing.protocol.board.Cells;
import dev.thing.protocol.board.Instrument;
import dev.thing.protocol.board.Mix;

import java.util.OptionalDouble;

/** A message from the server to a client: replies, data lines and unsolicited events. */
public interface ServerMessage extends Message {

    /** {@code NOTIFY <message>}: text for people; the whole rest of the line. */
    record Notify(String text) implements ServerMessage {
    }

    /** {@code ERROR <CODE> <text>}: the final reply of a failed command. */
    record Error(ErrorCode code, String text) implements ServerMessage {
    }

    /** {@code <username> TAKEN}: the name is in use in that lobby; the server closes the connection. */
    record Taken(String username) implements ServerMessage {
    }

    /** {@code UPDATE <title> <artist> <tag1> <tag2>}: a song was added or its metadata changed. */
    record Update(String title, String artist, String tag1, String tag2) implements ServerMessage {
    }

    /** {@code PING [<token>]}: answer with {@code OKAY [<token>]}. */
    record Ping(String token) implements ServerMessage {
    }

    /** {@code PLAY <title> <start-us> <position-ms>}: the song is at position at server time start and plays on. */
    record PlayEvent(String title, long startUs, long positionMs) implements ServerMessage {
    }

    /** {@code PAUSE <title> <position-ms>}: playback holds at that position. */
    record PauseEvent(String title, long positionMs) implements ServerMessage {
    }

    /** {@code STOP}: nothing plays. */
    record StopEvent() implements ServerMessage {
    }

    /** {@code TIME [<token>] <server-time-us>}: the data line of a TIME reply. */
    record TimeReply(String token, long serverTimeUs) implements ServerMessage {
    }

    /** {@code HELP <text>}: a data line of the HELP reply. */
    record HelpLine(String text) implements ServerMessage {
    }

    /** {@code LOBBY <name> <members> <pending>}: a data line of the LOBBIES reply. */
    record LobbyLine(String name, int members, int pending) implements ServerMessage {
    }

    /**
     * {@code BAN <username> <scope> <banned-by>}: a data line of the BANS reply; scope is {@code account} for a
     * registered name, else the address a guest's name is barred from.
     */
    record BanLine(String username, String scope, String bannedBy) implements ServerMessage {
    }

    /**
     * {@code USER <username> <role> <rtt-ms|-> [AWAY]}: a data line of the USERS reply; AWAY for a member whose
     * connection dropped and whose place is kept (RFC 3.15).
     */
    record UserLine(String username, Role role, OptionalDouble rttMs, boolean away) implements ServerMessage {
        public UserLine(String username, Role role, OptionalDouble rttMs) {
            this(username, role, rttMs, false);
        }
    }

    /** {@code SONG <id> <title> <artist> <tag1> <tag2> <duration-ms> <size-bytes> <audio-sha256>}: LIST. */
    record SongLine(long id, String title, String artist, String tag1, String tag2, long durationMs,
                    long sizeBytes, String audioHash) implements ServerMessage {
    }

    /** {@code ENTRY <n> <id> <title> <requested-by>}: a data line of the QUEUE reply. */
    record EntryLine(int position, long songId, String title, String requestedBy) implements ServerMessage {
    }

    /** {@code WISH <title> <artist> <requested-by> <lobby>}: a data line of the WANTED reply. */
    record WishLine(String title, String artist, String requestedBy, String lobby) implements ServerMessage {
    }

    /** {@code AUTOPLAY ON|OFF}: the data line of an AUTOPLAY query. */
    record AutoplayLine(boolean on) implements ServerMessage {
    }

    /** {@code CAP <name> <description>}: a data line of the CAP reply. */
    record CapLine(String name, String description) implements ServerMessage {
    }

    /**
     * {@code EVENT <kind> ...}: a fact a program must track, with a fixed structure, sent only to connections that
     * turned on {@link Capability#EVENTS}. The NOTIFY beside it says the same for people; no program reads NOTIFY.
     */
    sealed interface Event extends ServerMessage
            permits MemberEvent, GoneEvent, WaitingEvent, DecidedEvent, ApprovalEvent, DeletedEvent, SaidEvent,
            VotesEvent, RenamedEvent, BoardEvent, AwayEvent, BackEvent, TokenEvent, ByEvent, EntryEvent,
            QueueEvent {
    }

    /** Why a member is gone. */
    enum Departure { QUIT, KICKED, DISCONNECTED, REPLACED }

    /** How a wait for approval ended, as the lobby's staff see it. */
    enum Decision { ACCEPTED, REFUSED, TIMEOUT, CANCELLED }

    /** Your own place in the lobby you asked to join. */
    enum Approval { CREATED, WAITING, ACCEPTED, REFUSED, TIMEOUT, CLOSED }

    /** {@code EVENT MEMBER <username> <role>}: a member is in the lobby with this role (arrival or role change). */
    record MemberEvent(String username, Role role) implements Event {
    }

    /**
     * {@code EVENT GONE <username> QUIT|KICKED|DISCONNECTED|REPLACED}: a member left the lobby (REPLACED: told only
     * to a connection whose member came back on another one).
     */
    record GoneEvent(String username, Departure why) implements Event {
    }

    /** {@code EVENT WAITING <username>}: a joiner waits for approval (to the admin and moderators). */
    record WaitingEvent(String username) implements Event {
    }

    /** {@code EVENT DECIDED <username> ACCEPTED|REFUSED|TIMEOUT|CANCELLED}: a joiner no longer waits (to staff). */
    record DecidedEvent(String username, Decision decision) implements Event {
    }

    /** {@code EVENT APPROVAL <lobby> CREATED|WAITING|ACCEPTED|REFUSED|TIMEOUT|CLOSED}: your own join, to you. */
    record ApprovalEvent(String lobby, Approval state) implements Event {
    }

    /** {@code EVENT DELETED <title>}: a song left the library. */
    record DeletedEvent(String title) implements Event {
    }

    /** {@code EVENT SAID <username> <text>}: a chat line in your lobby (live, or from the history a joiner gets). */
    record SaidEvent(String username, String text) implements Event {
    }

    /** {@code EVENT VOTES <title> <votes> <needed>}: skip votes for the song playing, and how many skip it. */
    record VotesEvent(String title, int votes, int needed) implements Event {
    }

    /** {@code EVENT RENAMED <title> <new-title>}: a song of the library has a new title (same song, same id). */
    record RenamedEvent(String title, String newTitle) implements Event {
    }

    /**
     * {@code EVENT AWAY <username> <seconds>}: a member's connection dropped; its place is kept this many seconds
     * (RFC 3.15).
     */
    record AwayEvent(String username, long graceSeconds) implements Event {
    }

    /** {@code EVENT BACK <username>}: an away member came back, with its role and queue entries. */
    record BackEvent(String username) implements Event {
    }

    /** What a member did to the lobby's playback. */
    enum PlaybackAction { PLAY, PAUSE, RESUME, SEEK, SKIP, STOP }

    /**
     * {@code EVENT BY <username> <action>}: the playback line that follows (PLAY, PAUSE or STOP) was caused by this
     * member's command, so that a program can say who acted (RFC 10.1). Lines with no such event before them come
     * from the lobby itself: a song that ended, autoplay, a vote.
     */
    record ByEvent(String username, PlaybackAction action) implements Event {
    }

    /**
     * {@code EVENT TOKEN <lobby> <token>}: to the member itself, after each (re)join: the token that lets this
     * connection's owner come back within the grace period without approval. Single use.
     */
    record TokenEvent(String lobby, String token) implements Event {
        @Override
        public String toString() {
            return "TokenEvent[lobby=" + lobby + ", token=***]";
        }
    }

    /**
     * {@code EVENT ENTRY <n> <id> <title> <requested-by>}: position {@code n} (from 1) of the lobby's queue holds
     * this entry now. Part of a queue change that {@link QueueEvent} ends.
     */
    record EntryEvent(int position, long songId, String title, String requestedBy) implements Event {
    }

    /**
     * {@code EVENT QUEUE <length>}: the lobby's queue has this many entries now; it ends a change, whose
     * {@link EntryEvent} lines (for the positions from the first that changed) came before it.
     */
    record QueueEvent(int length) implements Event {
    }

    /** {@code VOTESHARE <percent>}: the data line of a VOTESHARE query. */
    record VoteShareLine(int percent) implements ServerMessage {
    }

    /**
     * {@code BOARD <columns> <rows> <bpm> STOPPED|PLAYING <start-us> <mix>}: the first data line of a BOARD reply.
     * {@code startUs} is null while the board is stopped.
     */
    record BoardLine(BoardShape shape, int bpm, Long startUs, Mix mix) implements ServerMessage {
        public boolean playing() {
            return startUs != null;
        }
    }

    /** {@code TRACK <track> <instrument> <player|->}: a data line of a BOARD reply; player null for a free seat. */
    record TrackLine(int track, Instrument instrument, String player) implements ServerMessage {
    }

    /** {@code ROW <track> <row> <cells>}: a data line of a BOARD reply. */
    record RowLine(int track, int row, Cells cells) implements ServerMessage {
    }

    /** {@code EVENT BOARD <kind> ...}: a change of the lobby's board (see the records below). */
    sealed interface BoardEvent extends Event permits BoardSizeEvent, BoardTempoEvent, BoardTrackEvent, BoardRowEvent,
            BoardMixEvent, BoardStartEvent, BoardStopEvent {
    }

    /** {@code EVENT BOARD SIZE <columns> <rows>}: the board has a new size (rows follow as ROW events). */
    record BoardSizeEvent(BoardShape shape) implements BoardEvent {
    }

    /** {@code EVENT BOARD TEMPO <bpm>}. */
    record BoardTempoEvent(int bpm) implements BoardEvent {
    }

    /** {@code EVENT BOARD TRACK <track> <instrument> <player|->}: a seat or instrument change; player null if free. */
    record BoardTrackEvent(int track, Instrument instrument, String player) implements BoardEvent {
    }

    /** {@code EVENT BOARD ROW <track> <row> <cells>}: one row's new cells. */
    record BoardRowEvent(int track, int row, Cells cells) implements BoardEvent {
    }

    /** {@code EVENT BOARD MIX OVER|INSTEAD}. */
    record BoardMixEvent(Mix mix) implements BoardEvent {
    }

    /** {@code EVENT BOARD START <start-us>}: the board loops from this server instant, column 0. */
    record BoardStartEvent(long startUs) implements BoardEvent {
    }

    /** {@code EVENT BOARD STOP}. */
    record BoardStopEvent() implements BoardEvent {
    }
}
