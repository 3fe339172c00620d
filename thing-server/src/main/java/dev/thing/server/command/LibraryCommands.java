package dev.thing.server.command;

import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.Message;
import dev.thing.protocol.ServerMessage;
import dev.thing.server.Jukebox;
import dev.thing.server.library.Song;
import dev.thing.server.library.SongField;
import dev.thing.server.library.Upload;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands about the library: LIST, GET, SEND, DELETE, SONG SET. SEND opens the upload; the session core receives
 * its chunks.
 */
final class LibraryCommands {
    private LibraryCommands() {
    }

    static Reply list(ClientMessage.ListSongs message, CommandContext ctx) throws Exception {
        List<ServerMessage> lines = new ArrayList<>();
        for (Song s : ctx.services().library().list()) {
            lines.add(new ServerMessage.SongLine(s.id(), s.title(), s.artist(), s.tag1(), s.tag2(), s.durationMs(),
                    s.sizeBytes(), s.audioHash()));
        }
        return Reply.list(lines, "the library is empty");
    }

    static Reply get(ClientMessage.Get message, CommandContext ctx) throws Exception {
        Song song = ctx.services().library().resolve(message.song());
        ctx.member().markHeld(song.id());
        return Reply.transfer(Jukebox.outgoing(song, true));
    }

    static Reply send(Message.Send message, CommandContext ctx) throws Exception {
        Upload upload = ctx.services().library().beginUpload(message.title(), message.artist(), message.tag1(),
                message.tag2());
        ctx.session().receive(upload);
        return Reply.none();
    }

    static Reply delete(ClientMessage.Delete message, CommandContext ctx, Jukebox jukebox) throws Exception {
        SongRights.requireMayChange(ctx.services().library().resolve(message.song()), ctx.requireMember(), ctx);
        Song song = ctx.services().library().delete(message.song());
        ctx.services().owners().deleted(song.id());
        return Reply.okay().then(() -> jukebox.songDeleted(song, ctx.member().username()));
    }

    /** {@code RENAME <title> <new-title>}: written into the ID3 title; the lobbies, queues and wishes follow. */
    static Reply rename(ClientMessage.Rename message, CommandContext ctx, Jukebox jukebox) throws Exception {
        SongRights.requireMayChange(ctx.services().library().resolve(message.song()), ctx.requireMember(), ctx);
        dev.thing.server.library.Library.Renamed renamed = ctx.services().library().rename(message.song(),
                message.newTitle());
        return Reply.okay().then(() -> jukebox.songRenamed(renamed.oldTitle(), renamed.song(), ctx.member()));
    }

    static Reply songSet(ClientMessage.SongSet message, CommandContext ctx, Jukebox jukebox) throws Exception {
        SongRights.requireMayChange(ctx.services().library().resolve(message.song()), ctx.requireMember(), ctx);
        SongField field = SongField.valueOf(message.field().name());
        Song song = ctx.services().library().setField(message.song(), field, message.value());
        return Reply.okay().then(() -> jukebox.songChanged(song));
    }
}
