package dev.thing.client.net;

import dev.thing.protocol.Message;
import dev.thing.protocol.MessageWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A transport that records what is written and reports "sent" only when the test says so. */
final class RecordingTransport implements Transport {
    final List<Message> written = new ArrayList<>();
    final Deque<Runnable> unsent = new ArrayDeque<>();
    boolean closed;

    @Override
    public synchronized void write(Message message, Runnable onSent) {
        written.add(message);
        if (onSent != null) {
            unsent.add(onSent);
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Reports the oldest n writes as sent (in order, as a socket would). */
    void sent(int n) {
        for (int i = 0; i < n; i++) {
            Runnable r;
            synchronized (this) {
                r = unsent.poll();
            }
            if (r == null) {
                return;
            }
            r.run();
        }
    }

    void sentAll() {
        while (!unsent.isEmpty()) {
            sent(1);
        }
    }

    synchronized List<String> lines() {
        return written.stream().map(MessageWriter::line).toList();
    }

    synchronized List<String> linesExceptChunks() {
        return written.stream().filter(m -> !(m instanceof Message.Chunk)).map(MessageWriter::line).toList();
    }
}
