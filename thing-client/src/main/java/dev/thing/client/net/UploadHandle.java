package dev.thing.client.net;

import java.util.concurrent.CompletableFuture;

/** An upload under way: its final reply (OKAY &lt;id&gt; or ERROR) and a way to cancel it (ABORT). */
public final class UploadHandle {
    private final ClientProtocol protocol;
    private final ClientProtocol.Upload upload;
    private final CompletableFuture<Reply> reply;

    UploadHandle(ClientProtocol protocol, ClientProtocol.Upload upload, CompletableFuture<Reply> reply) {
        this.protocol = protocol;
        this.upload = upload;
        this.reply = reply;
    }

    public CompletableFuture<Reply> reply() {
        return reply;
    }

    /** Sends ABORT if the upload is still being written; the server then answers ERROR ABORTED. */
    public void cancel() {
        if (upload != null) {
            protocol.cancel(upload);
        }
    }

    /** The most chunks that were ever written but not yet reported sent. */
    public int maxInFlight() {
        synchronized (protocol) {
            return upload == null ? 0 : upload.maxInFlight;
        }
    }

    public long sentBytes() {
        synchronized (protocol) {
            return upload == null ? 0 : upload.sentBytes;
        }
    }
}
