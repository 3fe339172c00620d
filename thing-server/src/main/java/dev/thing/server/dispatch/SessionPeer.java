package dev.thing.server.dispatch;

import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;
import dev.thing.protocol.MessageWriter;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.lobby.OutgoingSong;
import dev.thing.server.lobby.Peer;
import dev.thing.server.time.Timers;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.session.IoSession;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A connection's outgoing side. Lines go straight to the socket, except while a song transfer is under way:
 * then they wait, in order, until it ends (a transfer is atomic on the wire). Transfers are paced by MINA's
 * messageSent: at most {@link #WINDOW} chunks are queued at any time, so a 64 MiB song to a slow client never
 * sits in memory. A client whose unsent lines pass the bound is disconnected; transfers do not count, since they
 * are paced.
 */
final class SessionPeer implements Peer {
    private static final Logger LOG = LogManager.getLogger(SessionPeer.class);
    static final int WINDOW = 32;
    private static final int CHUNK_WIRE_BYTES = Message.Chunk.MAX_BYTES + 12;
    private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long SLOW_READER_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final IoSession session;
    private final long maxUnsentBytes;
    private final Timers timers;
    private final Runnable onAccepted;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private long heldBytes;
    private OutgoingSong current;
    private InputStream currentStream;
    private int chunksInFlight;
    private boolean closing;
    private volatile boolean receiving;
    private volatile String who = "?";

    SessionPeer(IoSession session, long maxUnsentBytes, Timers timers, Runnable onAccepted) {
        this.session = session;
        this.maxUnsentBytes = maxUnsentBytes;
        this.timers = timers;
        this.onAccepted = onAccepted;
    }

    void who(String who) {
        this.who = who;
    }

    @Override
    public String describe() {
        return who + " (" + session.getRemoteAddress() + ")";
    }

    @Override
    public void accepted() {
        onAccepted.run();
    }

    /** True while a song goes to or comes from this client: no PINGs then. */
    boolean transferUnderWay() {
        synchronized (this) {
            if (current != null) {
                return true;
            }
        }
        return receiving;
    }

    void receiving(boolean receiving) {
        this.receiving = receiving;
    }

    @Override
    public synchronized void send(ServerMessage message) {
        if (closing || session.isClosing()) {
            return;
        }
        if (current != null || !held.isEmpty()) {
            held.addLast(message);
            heldBytes += MessageWriter.line(message).length() + 1;
        } else {
            session.write(message);
        }
        checkBound();
    }

    @Override
    public synchronized void sendSong(OutgoingSong song) {
        if (closing || session.isClosing()) {
            return;
        }
        if (current != null || !held.isEmpty()) {
            held.addLast(song);
        } else {
            start(song);
        }
    }

    private void start(OutgoingSong song) {
        try {
            currentStream = song.opener().open();
        } catch (IOException e) {
            LOG.warn("cannot read {} to send it to {}: {}", song.title(), who, e.toString());
            if (song.reply()) {
                session.write(new ServerMessage.Error(ErrorCode.INTERNAL, "the server could not read "
                        + song.title() + "; try again"));
            }
            return;
        }
        current = song;
        session.write(new Message.Send(song.title(), song.artist(), song.tag1(), song.tag2()));
        LOG.debug("sending {} ({} bytes) to {}", song.title(), song.sizeBytes(), who);
        pump();
    }

    /** Called when MINA has written something to the socket. */
    synchronized void sent(Object message) {
        if (message instanceof Message.Chunk) {
            chunksInFlight--;
            pump();
        }
    }

    private void pump() {
        while (current != null && chunksInFlight < WINDOW) {
            byte[] buffer = new byte[Message.Chunk.MAX_BYTES];
            int n;
            try {
                n = currentStream.readNBytes(buffer, 0, buffer.length);
            } catch (IOException e) {
                LOG.warn("reading {} for {} failed: {}", current.title(), who, e.toString());
                session.write(new Message.Abort());
                if (current.reply()) {
                    session.write(new ServerMessage.Error(ErrorCode.INTERNAL, "the server could not read "
                            + current.title() + " to the end; try again"));
                }
                finishTransfer();
                return;
            }
            if (n <= 0) {
                session.write(Message.Okay.PLAIN);
                finishTransfer();
                return;
            }
            byte[] data = n == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, n);
            chunksInFlight++;
            session.write(new Message.Chunk(data));
        }
    }

    private void finishTransfer() {
        try {
            currentStream.close();
        } catch (IOException e) {
            LOG.debug("closing a song stream", e);
        }
        current = null;
        currentStream = null;
        while (current == null && !held.isEmpty()) {
            Object next = held.removeFirst();
            if (next instanceof OutgoingSong song) {
                start(song);
            } else {
                ServerMessage line = (ServerMessage) next;
                heldBytes -= MessageWriter.line(line).length() + 1;
                session.write(line);
            }
        }
        if (held.isEmpty()) {
            heldBytes = 0;
        }
    }

    private void checkBound() {
        long unsent = session.getScheduledWriteBytes() - (long) chunksInFlight * CHUNK_WIRE_BYTES + heldBytes;
        if (unsent > maxUnsentBytes && !closing) {
            LOG.warn("{} is not reading: {} bytes waiting to be sent (limit {}); disconnecting", describe(),
                    unsent, maxUnsentBytes);
            closing = true;
            if (current != null) {
                // The transfer must end on the wire before anything else may follow it.
                session.write(new Message.Abort());
            }
            abandonTransfer();
            // Never a silent drop: the NOTIFY is written, for a client that catches up, but the connection does
            // not wait long for it.
            session.write(new ServerMessage.Notify("disconnected: you are not reading what the server sends ("
                    + unsent / 1024 + " KiB waiting, limit " + maxUnsentBytes / 1024 + " KiB)"));
            session.closeOnFlush();
            timers.schedule(() -> session.closeNow(), SLOW_READER_GRACE_NANOS);
        }
    }

    private void abandonTransfer() {
        if (current != null) {
            try {
                currentStream.close();
            } catch (IOException e) {
                LOG.debug("closing a song stream", e);
            }
            current = null;
            currentStream = null;
        }
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
            session.write(new Message.Abort());
        }
        abandonTransfer();
        if (last != null && !session.isClosing()) {
            session.write(last);
        }
        session.closeOnFlush();
        // A client that does not read would keep closeOnFlush waiting forever.
        timers.schedule(() -> session.closeNow(), CLOSE_GRACE_NANOS);
    }

    /** True once the connection is being closed (QUIT, kick, limits): its further input is ignored. */
    synchronized boolean closing() {
        return closing;
    }

    /** The connection is gone: drop whatever was still waiting. */
    synchronized void closed() {
        closing = true;
        abandonTransfer();
    }
}
