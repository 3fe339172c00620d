package dev.thing.client.net;

import dev.thing.client.sync.LocalClock;
import dev.thing.protocol.Capability;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.Message;
import dev.thing.protocol.Message.Abort;
import dev.thing.protocol.Message.Chunk;
import dev.thing.protocol.Message.Okay;
import dev.thing.protocol.Message.Send;
import dev.thing.protocol.MessageParser;
import dev.thing.protocol.MessageWriter;
import dev.thing.protocol.Names;
import dev.thing.protocol.ProtocolException;
import dev.thing.protocol.ServerMessage;
import dev.thing.protocol.codec.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The client's side of the THING conversation, independent of the socket: the handshake, reply correlation,
 * PING answers, incoming transfers, and this client's own paced upload.
 *
 * <p>Rules it keeps:
 * <ul>
 *   <li>Every command gets exactly one final line. {@code OKAY} and data lines belong to the oldest pending command
 *   that is not a GET (a GET is answered by a transfer); an {@code ERROR} belongs to the oldest pending command.</li>
 *   <li>A SEND from the server whose title matches a pending GET (case-insensitively; {@code #id} through the
 *   LIST cache) is that GET's reply and its closing OKAY is the GET's final line; any other SEND is a pushed
 *   transfer.</li>
 *   <li>{@code PING <t>} is answered {@code OKAY <t>} at once, except while this client's own upload is on the
 *   wire: a transfer is atomic, so the answer (and every other line) waits until the upload's OKAY/ABORT is
 *   written.</li>
 *   <li>The upload keeps at most {@code window} chunks written but not yet reported sent by the transport.</li>
 * </ul>
 * All methods are synchronized; the transport calls {@link #onFrame} and {@link #onClosed} from one event thread.
 */
public final class ClientProtocol {
    public static final int DEFAULT_WINDOW = 64;
    private static final Logger LOG = LogManager.getLogger(ClientProtocol.class);

    private enum State { GREETING, JOINING, PENDING, JOINED, CLOSED }

    private final Transport transport;
    private final ProtocolListener listener;
    private final TransferSink sink;
    private final TimeSampleSink samples;
    private final LocalClock clock;
    private final Function<String, Optional<String>> titleOfId;
    private final int window;
    private ClientMessage.Join join;

    private State state = State.GREETING;
    /** The answer to our CAP line is still to come (it precedes the join line's). */
    private boolean capPending;
    private volatile CompletableFuture<JoinResult> joined = new CompletableFuture<>();
    private final LinkedList<Pending> pending = new LinkedList<>();
    private final List<Runnable> held = new ArrayList<>();
    private Upload upload;
    private Incoming incoming;
    private String lastNotice;
    private long lastNoticeNanos;
    /** How recent a NOTIFY must be to count as the reason of a close. */
    private static final long CLOSING_NOTICE_NANOS = 5_000_000_000L;

    /**
     * @param titleOfId maps {@code #<id>} to a title from the last LIST (to match a GET by id with its transfer)
     */
    public ClientProtocol(Transport transport, ClientMessage.Join join, ProtocolListener listener, TransferSink sink,
                          TimeSampleSink samples, LocalClock clock, Function<String, Optional<String>> titleOfId,
                          int window) {
        this.transport = transport;
        this.join = join;
        this.listener = listener;
        this.sink = sink;
        this.samples = samples;
        this.clock = clock;
        this.titleOfId = titleOfId;
        this.window = window;
    }

    /** Completes when the handshake ends, one way or the other (the latest join attempt's). */
    public CompletableFuture<JoinResult> joined() {
        return joined;
    }

    /**
     * After a join refused with an ERROR (a registered name without its password, or a wrong one), tries again on
     * the same connection with {@code password}, as the server allows (RFC 4.6). Returns the new attempt's result;
     * fails at once when the connection is not waiting for a join line.
     */
    public synchronized CompletableFuture<JoinResult> retryJoin(String password) {
        if (state != State.JOINING || !joined.isDone()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    state == State.CLOSED ? "not connected" : "no refused join to try again"));
        }
        join = new ClientMessage.Join(join.lobby(), join.username(), password);
        CompletableFuture<JoinResult> next = new CompletableFuture<>();
        joined = next;
        ClientMessage.Join line = join;
        emit(() -> transport.write(line, null));
        return next;
    }

    public synchronized boolean isOpen() {
        return state != State.CLOSED;
    }

    public synchronized boolean uploading() {
        return upload != null;
    }

    /** Sends one command; the future completes with its reply, or fails with ConnectionClosedException. */
    public synchronized CompletableFuture<Reply> send(ClientMessage command) {
        if (state == State.CLOSED) {
            return CompletableFuture.failedFuture(new ConnectionClosedException("not connected"));
        }
        Pending p = new Pending(command);
        pending.add(p);
        emit(() -> {
            p.writtenMicros = clock.epochMicros();
            transport.write(command, null);
        });
        return p.future;
    }

    /**
     * Sends a song: the SEND line, then 1000-byte chunks with at most {@code window} in flight, then OKAY.
     * The stream is read as the transport reports chunks written, and closed at the end.
     */
    public synchronized UploadHandle upload(Send header, InputStream in, long totalBytes, UploadProgress progress) {
        Pending p = new Pending(header);
        if (state != State.JOINED || upload != null) {
            closeQuietly(in);
            p.future.completeExceptionally(new IllegalStateException(
                    state != State.JOINED ? "not joined" : "an upload is already under way"));
            return new UploadHandle(this, null, p.future);
        }
        Upload u = new Upload(p, in, totalBytes, progress);
        pending.add(p);
        p.writtenMicros = clock.epochMicros();
        transport.write(header, null);
        upload = u;
        UploadHandle handle = new UploadHandle(this, u, p.future);
        pump(u);
        return handle;
    }

    /** Called by the transport for every decoded frame, in order. */
    public synchronized void onFrame(Frame frame) {
        if (state == State.CLOSED) {
            return;
        }
        if (frame instanceof Frame.ChunkBody body) {
            if (incoming == null) {
                LOG.warn("chunk outside a transfer ignored");
                return;
            }
            incoming.append(body.chunk().data());
            return;
        }
        if (frame instanceof Frame.Malformed bad) {
            LOG.warn("malformed input from server: {} {}", bad.code(), bad.text());
            if (bad.inChunk() && incoming != null) {
                finishIncoming(false);
            }
            listener.onProtocolProblem(bad.text());
            return;
        }
        String line = ((Frame.Line) frame).text();
        ServerMessage message;
        try {
            message = MessageParser.parseServer(line);
        } catch (ProtocolException e) {
            LOG.warn("unreadable line from server: {} ({})", line, e.getMessage());
            listener.onProtocolProblem("unreadable line from server: " + line);
            return;
        }
        LOG.debug("<< {}", line);
        onMessage(message);
    }

    private void noteNotice(String text) {
        lastNotice = text;
        lastNoticeNanos = clock.nanoTime();
    }

    private static final String GENERIC_CLOSE = "connection closed by the server";

    /** Called by the transport once the connection is gone. */
    public synchronized void onClosed() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (incoming != null) {
            finishIncoming(false);
        }
        // The last NOTIFY says why only if it was the last line, and recent (a server that dies says nothing).
        String reason = lastNotice != null && clock.nanoTime() - lastNoticeNanos < CLOSING_NOTICE_NANOS
                ? lastNotice : GENERIC_CLOSE;
        joined.complete(new JoinResult(JoinResult.Outcome.CLOSED, reason));
        if (upload != null) {
            closeQuietly(upload.in);
            upload = null;
        }
        held.clear();
        // The listener first: it decides whether the client comes back (Section 3.15 of the RFC) before the
        // commands in flight learn that this connection is gone.
        listener.onClosed(reason);
        for (Pending p : pending) {
            p.future.completeExceptionally(new ConnectionClosedException(reason));
        }
        pending.clear();
    }

    /** Asks the transport to close (after QUIT's OKAY, or on the way out). */
    public void close() {
        transport.close();
    }

    private void onMessage(ServerMessage message) {
        if (incoming != null) {
            if (message instanceof Okay) {
                finishIncoming(true);
                return;
            }
            if (message instanceof Abort) {
                finishIncoming(false);
                return;
            }
            LOG.warn("line inside a transfer from the server; transfer dropped: {}", message);
            listener.onProtocolProblem("the server broke off a transfer of " + incoming.header.title());
            finishIncoming(false);
        }
        if (!(message instanceof ServerMessage.Notify)) {
            lastNotice = null; // a closing NOTIFY is the last line before the close
        }
        if (message instanceof ServerMessage.Ping ping) {
            emit(() -> transport.write(new Okay(ping.token()), null));
            return;
        }
        switch (state) {
            case GREETING -> {
                if (message instanceof ServerMessage.Notify n) {
                    LOG.info("greeting: {}", n.text());
                } else {
                    LOG.warn("expected the greeting NOTIFY, got {}", message);
                }
                state = State.JOINING;
                // Structured events instead of NOTIFY text, song pushes to cache, and PINGs for the start lead.
                capPending = true;
                transport.write(new ClientMessage.Cap(List.of(Capability.EVENTS, Capability.SONGS, Capability.PING)),
                        null);
                transport.write(join, null);
                if (!(message instanceof ServerMessage.Notify)) {
                    onMessage(message);
                }
                return;
            }
            case JOINING, PENDING -> {
                handshakeLine(message);
                return;
            }
            default -> {
            }
        }
        if (message instanceof ServerMessage.Notify n) {
            noteNotice(n.text());
            listener.onNotify(n.text());
        } else if (message instanceof ServerMessage.Update u) {
            listener.onUpdate(u);
        } else if (message instanceof ServerMessage.PlayEvent p) {
            listener.onPlay(p);
        } else if (message instanceof ServerMessage.PauseEvent p) {
            listener.onPause(p);
        } else if (message instanceof ServerMessage.StopEvent) {
            listener.onStop();
        } else if (message instanceof ServerMessage.Event event) {
            listener.onEvent(event);
        } else if (message instanceof Send s) {
            startIncoming(s);
        } else if (message instanceof Okay || message instanceof ServerMessage.Error) {
            finalLine(message);
        } else if (message instanceof Abort) {
            LOG.warn("ABORT outside a transfer ignored");
        } else if (message instanceof ServerMessage.Taken t) {
            LOG.warn("TAKEN after joining ignored: {}", t);
        } else {
            dataLine(message);
        }
    }

    private void handshakeLine(ServerMessage message) {
        if (capPending && (message instanceof Okay || message instanceof ServerMessage.Error)) {
            capPending = false;
            if (message instanceof ServerMessage.Error e) {
                LOG.warn("the server refused our capabilities ({} {}); events and song pushes may be missing",
                        e.code(), e.text());
            }
            return;
        }
        if (message instanceof ServerMessage.ApprovalEvent a && a.state() == ServerMessage.Approval.WAITING) {
            state = State.PENDING;
            listener.onPending(a.lobby());
            return;
        }
        if (message instanceof ServerMessage.Event event) {
            listener.onEvent(event);
            return;
        }
        if (message instanceof Okay) {
            state = State.JOINED;
            joined.complete(new JoinResult(JoinResult.Outcome.JOINED, "joined " + join.lobby()));
        } else if (message instanceof ServerMessage.Notify n) {
            noteNotice(n.text());
            listener.onNotify(n.text());
        } else if (message instanceof ServerMessage.Taken t) {
            joined.complete(new JoinResult(JoinResult.Outcome.TAKEN, t.username()));
        } else if (message instanceof ServerMessage.Error e) {
            joined.complete(new JoinResult(JoinResult.Outcome.ERROR, e.code() + " " + e.text()));
        } else if (message instanceof ServerMessage.PlayEvent || message instanceof ServerMessage.PauseEvent) {
            LOG.warn("playback event before joining ignored: {}", message);
        } else {
            LOG.warn("unexpected line during the handshake: {}", message);
        }
    }

    private Pending oldest(boolean skipGets) {
        for (Pending p : pending) {
            if (!skipGets || !(p.command instanceof ClientMessage.Get)) {
                return p;
            }
        }
        return null;
    }

    private void dataLine(ServerMessage message) {
        Pending p = oldest(true);
        if (p == null) {
            LOG.warn("data line with no command pending: {}", message);
            listener.onProtocolProblem("unexpected line from server: " + MessageWriter.line(message));
            return;
        }
        if (message instanceof ServerMessage.TimeReply t && p.command instanceof ClientMessage.Time) {
            samples.addSample(p.writtenMicros, t.serverTimeUs(), clock.epochMicros(), clock.nanoTime());
        }
        p.data.add(message);
    }

    private void finalLine(ServerMessage message) {
        Pending p = oldest(message instanceof Okay);
        if (p == null) {
            LOG.warn("final line with no command pending: {}", message);
            if (message instanceof ServerMessage.Error e) {
                listener.onProtocolProblem("server: ERROR " + e.code() + " " + e.text());
            }
            return;
        }
        pending.remove(p);
        if (upload != null && upload.pending == p) {
            // An early ERROR: the server discards the rest of the transfer; end it at once.
            LOG.info("upload answered before its end: {}", message);
            transport.write(new Abort(), null);
            endUpload(upload);
        }
        p.future.complete(new Reply(p.command, p.data, message));
    }

    private void startIncoming(Send header) {
        Pending get = null;
        for (Pending p : pending) {
            if (p.command instanceof ClientMessage.Get g && !p.transferStarted && matches(g.song(), header.title())) {
                get = p;
                break;
            }
        }
        TransferSink.IncomingTransfer target = null;
        try {
            target = sink.open(header, get != null);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot store incoming transfer of {}", header.title(), e);
        }
        if (get != null) {
            get.transferStarted = true;
        }
        incoming = new Incoming(header, target, get);
    }

    private boolean matches(String ref, String title) {
        if (Names.SONG_ID.matcher(ref).matches()) {
            return titleOfId.apply(ref).map(t -> Names.key(t).equals(Names.key(title))).orElse(false);
        }
        return Names.key(ref).equals(Names.key(title));
    }

    private void finishIncoming(boolean ok) {
        Incoming in = incoming;
        incoming = null;
        if (in.target != null) {
            try {
                if (ok && !in.failed) {
                    in.target.complete();
                } else {
                    in.target.abort();
                }
            } catch (RuntimeException e) {
                LOG.warn("finishing transfer of {} failed", in.header.title(), e);
            }
        }
        if (in.get != null) {
            pending.remove(in.get);
            ServerMessage last = ok && !in.failed ? Okay.PLAIN
                    : new ServerMessage.Error(ErrorCode.INTERNAL, "transfer of " + in.header.title() + " broke off");
            in.get.future.complete(new Reply(in.get.command, List.of(), last));
        }
    }

    /** Runs a write now, or after this client's own upload has written its OKAY/ABORT. */
    private void emit(Runnable write) {
        if (upload != null) {
            held.add(write);
        } else {
            write.run();
        }
    }

    private void pump(Upload u) {
        while (upload == u && u.inFlight < window) {
            byte[] bytes;
            try {
                bytes = u.in.readNBytes(Chunk.MAX_BYTES);
            } catch (IOException e) {
                LOG.warn("reading the upload failed", e);
                transport.write(new Abort(), null);
                endUpload(u);
                return;
            }
            if (bytes.length == 0) {
                transport.write(Okay.PLAIN, null);
                endUpload(u);
                return;
            }
            u.inFlight++;
            u.maxInFlight = Math.max(u.maxInFlight, u.inFlight);
            int n = bytes.length;
            transport.write(new Chunk(bytes), () -> chunkSent(u, n));
        }
    }

    private synchronized void chunkSent(Upload u, int bytes) {
        u.inFlight--;
        u.sentBytes += bytes;
        try {
            u.progress.progress(u.sentBytes, u.totalBytes);
        } catch (RuntimeException e) {
            LOG.warn("progress listener failed", e);
        }
        if (upload == u) {
            pump(u);
        }
    }

    synchronized void cancel(Upload u) {
        if (upload == u) {
            LOG.info("upload of {} cancelled", ((Send) u.pending.command).title());
            transport.write(new Abort(), null);
            endUpload(u);
        }
    }

    private void endUpload(Upload u) {
        if (upload != u) {
            return;
        }
        upload = null;
        closeQuietly(u.in);
        List<Runnable> writes = new ArrayList<>(held);
        held.clear();
        for (Runnable w : writes) {
            w.run();
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            LOG.debug("closing upload stream", e);
        }
    }

    /** How many commands wait for their final line (for tests). */
    synchronized int pendingCount() {
        return pending.size();
    }

    private static final class Pending {
        final Message command;
        final List<ServerMessage> data = new ArrayList<>();
        final CompletableFuture<Reply> future = new CompletableFuture<>();
        long writtenMicros;
        boolean transferStarted;

        Pending(Message command) {
            this.command = command;
        }
    }

    static final class Upload {
        final Pending pending;
        final InputStream in;
        final long totalBytes;
        final UploadProgress progress;
        int inFlight;
        int maxInFlight;
        long sentBytes;

        Upload(Pending pending, InputStream in, long totalBytes, UploadProgress progress) {
            this.pending = pending;
            this.in = in;
            this.totalBytes = totalBytes;
            this.progress = progress;
        }
    }

    private final class Incoming {
        final Send header;
        final TransferSink.IncomingTransfer target;
        final Pending get;
        boolean failed;

        Incoming(Send header, TransferSink.IncomingTransfer target, Pending get) {
            this.header = header;
            this.target = target;
            this.get = get;
        }

        void append(byte[] bytes) {
            if (target == null || failed) {
                return;
            }
            try {
                target.append(bytes);
            } catch (IOException | RuntimeException e) {
                LOG.warn("writing transfer of {} failed; the rest is discarded", header.title(), e);
                failed = true;
            }
        }
    }
}
