package dev.thing.protocol;

/** A message from a client to the server. */
public interface ClientMessage extends Message {

    /** The handshake line {@code <lobby> <username>}. */
    record Join(String lobby, String username) implements ClientMessage {
    }

    /** {@code HELP [<command>]}. Topic is null for the whole list. */
    record Help(String topic) implements ClientMessage {
    }

    /** {@code CAP [<name>...]}: empty to list what the server offers, else the capabilities to turn on. */
    record Cap(java.util.List<Capability> names) implements ClientMessage {
    }

    record Quit() implements ClientMessage {
    }

    record Lobbies() implements ClientMessage {
    }

    record Users() implements ClientMessage {
    }

    /** {@code LIST}: the library. */
    record ListSongs() implements ClientMessage {
    }

    /** {@code GET <title>}. */
    record Get(String song) implements ClientMessage {
    }

    /** {@code TIME [<token>]}. Token is null when absent. */
    record Time(String token) implements ClientMessage {
    }

    /** {@code REQUEST <title> [<artist>]}. Artist is null when absent. */
    record Request(String song, String artist) implements ClientMessage {
    }

    record ShowQueue() implements ClientMessage {
    }

    record ShowWanted() implements ClientMessage {
    }

    /** {@code UNWANT <title>}: removes a wish from the wanted list. */
    record Unwant(String song) implements ClientMessage {
    }

    /** {@code PLAY <title> [<position-ms>]}. Position is null when absent. */
    record Play(String song, Long positionMs) implements ClientMessage {
    }

    record Pause() implements ClientMessage {
    }

    record Resume() implements ClientMessage {
    }

    record Seek(long positionMs) implements ClientMessage {
    }

    record Skip() implements ClientMessage {
    }

    record Stop() implements ClientMessage {
    }

    record Accept(String username) implements ClientMessage {
    }

    record Reject(String username) implements ClientMessage {
    }

    record Promote(String username) implements ClientMessage {
    }

    record Demote(String username) implements ClientMessage {
    }

    record Kick(String username) implements ClientMessage {
    }

    record Delete(String song) implements ClientMessage {
    }

    /** {@code SONG <title> SET TAG1|TAG2|ARTIST <value>}. */
    record SongSet(String song, MetadataField field, String value) implements ClientMessage {
    }

    /** {@code AUTOPLAY [ON|OFF]}. On is null to ask for the current setting. */
    record Autoplay(Boolean on) implements ClientMessage {
    }
}
