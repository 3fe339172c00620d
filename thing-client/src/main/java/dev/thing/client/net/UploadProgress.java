package dev.thing.client.net;

/** Told how much of an upload the socket has actually written. */
@FunctionalInterface
public interface UploadProgress {
    void progress(long sentBytes, long totalBytes);

    UploadProgress NONE = (s, t) -> { };
}
