package dev.thing.client.console;

import dev.thing.client.net.Reply;
import dev.thing.client.net.UploadHandle;
import dev.thing.client.net.UploadProgress;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Message;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** What the command loop needs from the rest of the client. */
public interface ClientApi {
    CompletableFuture<Reply> send(ClientMessage message);

    /** Reads the file's tags for missing fields, then starts the upload. */
    UploadJob upload(Command.Upload upload, UploadProgress progress) throws IOException;

    /** The status text (song, position, clock offset, RTT, drift). */
    String status();

    boolean connected();

    /** Titles of the library as last listed (for "did you mean"). */
    default java.util.Collection<String> titles() {
        return java.util.List.of();
    }

    /** Where the lobby's song is now (playing or paused), or empty when nothing is loaded. */
    default java.util.OptionalLong lobbyPositionMs() {
        return java.util.OptionalLong.empty();
    }

    /**
     * The lobby's board drawn for a terminal {@code width} columns wide (0: any), with the column playing now
     * marked ({@link BoardDrawing}).
     */
    java.util.List<BoardDrawing.Line> board(int width);

    /** An upload started: the SEND line used, the file size and the handle. */
    record UploadJob(Message.Send header, long size, UploadHandle handle) {
    }
}
