package dev.thing.server.session;

import dev.thing.protocol.Capability;
import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;
import dev.thing.protocol.MessageWriter;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.codec.EncodedLine;
import dev.thing.server.lobby.OutgoingSong;
import dev.thing.server.lobby.Peer;
import dev.thing.server.time.Timers;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A connection's outgoing side, over any {@link Wire}. Short lines go straight out. Two kinds of output are
 * paced by what the client has actually read (the transport's {@code sent} reports): song transfers (at most
 * {@link #WINDOW} chunks queued) and long replies such as a big LIST (at most {@link #LINE_WINDOW} lines
 * queued). While one of those is under way, other lines wait behind it in order (a transfer is atomic on
 * the wire). A client whose waiting lines pass the bound has stopped reading and is disconnected; what is paced
 * does not count, since it only advances as the client reads.
 *
 * <p>It also applies the connection's capabilities: EVENT lines only with {@code EVENTS}, songs pushed at the
 * client (not asked for with GET) only with {@code SONGS}.
 */
public final class Outbox implements Peer {
    private static final Logger LOG = LogManager.getLogger(Outbox.class);
    static final int WINDOW = 32;
    /**
     * Lines of a long reply queued in the transport at most (a LIST line is a few hundred bytes); a reply of more
     * lines than this is paced.
     */
    static final int LINE_WINDOW = 256;
    private static final int CHUNK_WIRE_BYTES = Message.Chunk.MAX_BYTES + 12;
    /** What pacing may legitimately keep queued in the transport. */
    static final long PACED_ALLOWANCE = (long) WINDOW * CHUNK_WIRE_BYTES + LINE_WINDOW * 4096L;
    private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long SLOW_READER_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** A long reply, written a window at a time. */
    private static final class PacedLines {
        final ArrayDeque<ServerMessage> lines;

        PacedLines(List<ServerMessage> lines) {
            this.lines = new ArrayDeque<>(lines);
        }
    }

    private final Wire wire;
    private final long maxUnsentBytes;
    private final Timers timers;
    /** Small at first: an idle connection holds nothing, and there are tens of thousands of them. */
    private final ArrayDeque<Object> held = new ArrayDeque<>(1);
    private long heldBytes;
    private OutgoingSong current;
    private InputStream currentStream;
    private int chunksInFlight;
    private PacedLines paced;
    private int linesInFlight;
    private boolean closing;
    private volatile Set<Capability> capabilities = Set.of();
    private volatile String who = "?";
    private volatile Runnable onAccepted = () -> { };
    private volatile Runnable onIdle = () -> { };

    public Outbox(Wire wire, long maxUnsentBytes, Timers timers) {
        this.wire = wire;
        this.maxUnsentBytes = maxUnsentBytes;
        this.timers = timers;
    }

    void who(String who) {
        this.who = who;
    }

    void capabilities(Set<Capability> capabilities) {
        this.capabilities = Set.copyOf(capabilities);
    }

    /** What to run when the lobby accepts this connection's member (the core hands it to its own thread). */
    void onAccepted(Runnable action) {
        this.onAccepted = action;
    }

    /** What to run when a long reply has been written out (the core then reads input again). */
    void onIdle(Runnable action) {
        this.onIdle = action;
    }

    @Override
    public String describe() {
        return who + " (" + wire.remote() + ")";
    }

    @Override
    public void accepted() {
        onAccepted.run();
    }

    @Override
    public boolean wantsEvents() {
        return capabilities.contains(Capability.EVENTS);
    }

    @Override
    public boolean wantsSongs() {
        return capabilities.contains(Capability.SONGS);
    }

    /** True while a song goes to this client: no PINGs then. */
    synchronized boolean sendingSong() {
        return current != null || held.stream().anyMatch(o -> o instanceof OutgoingSong);
    }

    /** True while a long reply is still being written: the core reads no more commands until it is out. */
    synchronized boolean busyWithReply() {
        return paced != null || held.stream().anyMatch(o -> o instanceof PacedLines);
    }

    @Override
    public synchronized void send(ServerMessage message) {
        line(message, message);
    }

    /** A broadcast line: its bytes are shared with the other connections, the rules here are this connection's. */
    @Override
    public synchronized void send(EncodedLine line) {
        line(line, line.message());
    }

    /** A line ({@code item}: the message itself, or the message encoded) goes out now, or waits its turn. */
    private void line(Object item, ServerMessage message) {
        if (closing || wire.isClosing()) {
            return;
        }
        if (message instanceof ServerMessage.Event && !capabilities.contains(Capability.EVENTS)) {
            return;
        }
        if (active() || !held.isEmpty()) {
            held.addLast(item);
            heldBytes += size(item);
        } else {
            put(item);
        }
        checkBound();
    }

    /** A reply: its data lines and final line, paced when long. */
    synchronized void sendReply(List<ServerMessage> lines) {
        if (closing || wire.isClosing()) {
            return;
        }
        // Counted in lines, not bytes, so that no reply line is encoded twice on its way out.
        if (lines.size() <= LINE_WINDOW) {
            for (ServerMessage line : lines) {
                send(line);
            }
            return;
        }
        PacedLines reply = new PacedLines(lines);
        if (active() || !held.isEmpty()) {
            held.addLast(reply);
        } else {
            paced = reply;
            pumpLines();
        }
    }

    @Override
    public synchronized void sendSong(OutgoingSong song) {
        if (closing || wire.isClosing()) {
            return;
        }
        if (!song.reply() && !capabilities.contains(Capability.SONGS)) {
            return;
        }
        if (active() || !held.isEmpty()) {
            held.addLast(song);
        } else {
            start(song);
        }
    }

    private boolean active() {
        return current != null || paced != null;
    }

    private void writeLine(ServerMessage message) {
        put(message);
    }

    /**
     * Every write goes through here, so that lines in flight are counted as the transport reports them sent. A
     * broadcast line is not counted: it is never part of a paced reply (it waits behind one), the unsent bound
     * sees its bytes in the transport's queue like any other, and a transport need not report it sent (the TCP
     * one does not, to spare a hand-off to a worker per member and broadcast).
     */
    private void put(Object message) {
        if (!(message instanceof Message.Chunk) && !(message instanceof EncodedLine)) {
            linesInFlight++;
        }
        wire.write(message);
    }

    private void start(OutgoingSong song) {
        try {
            currentStream = song.opener().open();
        } catch (IOException e) {
            LOG.warn("cannot read {} to send it to {}: {}", song.title(), who, e.toString());
            if (song.reply()) {
                writeLine(new ServerMessage.Error(ErrorCode.INTERNAL, "the server could not read "
                        + song.title() + "; try again"));
            }
            return;
        }
        current = song;
        put(new Message.Send(song.title(), song.artist(), song.tag1(), song.tag2()));
        LOG.debug("sending {} ({} bytes) to {}", song.title(), song.sizeBytes(), who);
        pumpChunks();
    }

    /** The transport wrote {@code message} to the network. */
    synchronized void sent(Object message) {
        if (message instanceof EncodedLine) {
            return;
        }
        if (message instanceof Message.Chunk) {
            chunksInFlight--;
            pumpChunks();
        } else {
            linesInFlight = Math.max(0, linesInFlight - 1);
            if (paced != null) {
                pumpLines();
            }
        }
    }

    private void pumpLines() {
        while (paced != null && linesInFlight < LINE_WINDOW) {
            ServerMessage next = paced.lines.pollFirst();
            if (next == null) {
                paced = null;
                next();
                return;
            }
            writeLine(next);
        }
    }

    private void pumpChunks() {
        while (current != null && chunksInFlight < WINDOW) {
            byte[] buffer = new byte[Message.Chunk.MAX_BYTES];
            int n;
            try {
                n = currentStream.readNBytes(buffer, 0, buffer.length);
            } catch (IOException e) {
                LOG.warn("reading {} for {} failed: {}", current.title(), who, e.toString());
                put(new Message.Abort());
                if (current.reply()) {
                    writeLine(new ServerMessage.Error(ErrorCode.INTERNAL, "the server could not read "
                            + current.title() + " to the end; try again"));
                }
                finishTransfer();
                return;
            }
            if (n <= 0) {
                put(Message.Okay.PLAIN);
                finishTransfer();
                return;
            }
            byte[] data = n == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, n);
            chunksInFlight++;
            put(new Message.Chunk(data));
        }
    }

    private void finishTransfer() {
        closeStream();
        next();
    }

    /** Writes what waited behind a paced item, up to the next paced item. */
    private void next() {
        while (!active() && !held.isEmpty()) {
            Object item = held.removeFirst();
            if (item instanceof OutgoingSong song) {
                start(song);
            } else if (item instanceof PacedLines reply) {
                paced = reply;
                pumpLines();
            } else {
                heldBytes -= size(item);
                put(item);
            }
        }
        if (held.isEmpty()) {
            heldBytes = 0;
        }
        if (!active()) {
            onIdle.run();
        }
    }

    private void checkBound() {
        long unsent = heldBytes + Math.max(0, wire.queuedBytes() - PACED_ALLOWANCE);
        if (unsent > maxUnsentBytes && !closing) {
            LOG.warn("{} is not reading: {} bytes waiting to be sent (limit {}); disconnecting", describe(),
                    unsent, maxUnsentBytes);
            closing = true;
            if (current != null) {
                // The transfer must end on the wire before anything else may follow it.
                put(new Message.Abort());
            }
            abandon();
            // Never a silent drop: the NOTIFY is written, for a client that catches up, but the connection does
            // not wait long for it.
            put(new ServerMessage.Notify("disconnected: you are not reading what the server sends ("
                    + unsent / 1024 + " KiB waiting, limit " + maxUnsentBytes / 1024 + " KiB)"));
            wire.closeOnFlush();
            timers.schedule(wire::closeNow, SLOW_READER_GRACE_NANOS);
        }
    }

    private void closeStream() {
        if (current != null) {
            try {
                currentStream.close();
            } catch (IOException e) {
                LOG.debug("closing a song stream", e);
            }
            current = null;
            currentStream = null;
        }
    }

    private void abandon() {
        closeStream();
        paced = null;
        held.clear();
        heldBytes = 0;
    }

    @Override
    public synchronized void closeAfter(ServerMessage last, String logReason) {
        if (closing) {
            return;
        }
        closing = true;
        LOG.info("closing {}: {}", describe(), logReason);
        if (current != null) {
            put(new Message.Abort());
        }
        abandon();
        if (last != null && !wire.isClosing()) {
            put(last);
        }
        wire.closeOnFlush();
        // A client that does not read would keep closeOnFlush waiting forever.
        timers.schedule(wire::closeNow, CLOSE_GRACE_NANOS);
    }

    /** True once the connection is being closed (QUIT, kick, limits): its further input is ignored. */
    synchronized boolean closing() {
        return closing;
    }

    /** The connection is gone: drop whatever was still waiting. */
    synchronized void closed() {
        closing = true;
        abandon();
    }

    /** What a waiting line counts against the unsent bound. */
    private static long size(Object line) {
        return line instanceof EncodedLine encoded ? encoded.wireBytes()
                : MessageWriter.line((ServerMessage) line).length() + 1L;
    }
}
