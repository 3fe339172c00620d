package dev.thing.server.lobby;

import dev.thing.protocol.MessageWriter;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.codec.EncodedLine;
import java.util.ArrayList;
import java.util.List;

/** A peer that remembers what it was sent, as the lobby sent it. Shared with the command tests. */
public final class RecordingPeer implements Peer {
    /** A closeAfter call: the last line and the reason for the log. */
    public record Close(ServerMessage last, String reason) {
    }

    private final String name;
    private final List<ServerMessage> sent = new ArrayList<>();
    private final List<ServerMessage.Event> events = new ArrayList<>();
    private final List<EncodedLine> encoded = new ArrayList<>();
    private final List<OutgoingSong> songs = new ArrayList<>();
    private final List<Close> closes = new ArrayList<>();
    private int accepted;
    private volatile boolean wantsEvents;
    private volatile boolean wantsSongs = true;

    public RecordingPeer(String name) {
        this.name = name;
    }

    @Override
    public synchronized void send(ServerMessage message) {
        // Event lines are kept apart, as a connection without CAP EVENTS never sees them.
        if (message instanceof ServerMessage.Event event) {
            events.add(event);
        } else {
            sent.add(message);
        }
    }

    @Override
    public synchronized void send(EncodedLine line) {
        encoded.add(line);
        send(line.message());
    }

    /** The lines this peer was handed already encoded (broadcasts), the very objects, in order. */
    public synchronized List<EncodedLine> encoded() {
        return new ArrayList<>(encoded);
    }

    /** The event lines this peer was sent, in order. */
    public synchronized List<ServerMessage.Event> events() {
        return new ArrayList<>(events);
    }

    @Override
    public synchronized void sendSong(OutgoingSong song) {
        songs.add(song);
    }

    @Override
    public synchronized void closeAfter(ServerMessage last, String logReason) {
        closes.add(new Close(last, logReason));
    }

    @Override
    public synchronized void accepted() {
        accepted++;
    }

    /** As if the connection had turned EVENTS on (off by default). */
    public RecordingPeer events(boolean on) {
        wantsEvents = on;
        return this;
    }

    /** As if the connection had turned SONGS on (on by default). */
    public RecordingPeer songs(boolean on) {
        wantsSongs = on;
        return this;
    }

    @Override
    public boolean wantsEvents() {
        return wantsEvents;
    }

    @Override
    public boolean wantsSongs() {
        return wantsSongs;
    }

    @Override
    public String describe() {
        return name;
    }

    public synchronized List<ServerMessage> sent() {
        return new ArrayList<>(sent);
    }

    /** What the client saw, as wire lines. */
    public synchronized List<String> lines() {
        return sent.stream().map(MessageWriter::line).toList();
    }

    public synchronized List<OutgoingSong> songs() {
        return new ArrayList<>(songs);
    }

    public synchronized List<Close> closes() {
        return new ArrayList<>(closes);
    }

    public synchronized int acceptedCalls() {
        return accepted;
    }

    public synchronized void clear() {
        sent.clear();
        events.clear();
        encoded.clear();
        songs.clear();
    }
}
