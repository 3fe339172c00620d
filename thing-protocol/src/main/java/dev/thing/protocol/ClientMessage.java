package dev.thing.protocol;

/** A message from a client to the server. */
public interface ClientMessage extends Message {

    /**
     * The handshake line {@code <lobby> <username> [<password> | TOKEN <token>]}. The password is null for a guest,
     * the token null unless a member comes back with the one the server gave it (RFC 3.15); neither ever appears in
     * {@link #toString()}, so a logged message cannot leak them.
     */
    record Join(String lobby, String username, String password, String token) implements ClientMessage {
        public Join(String lobby, String username) {
            this(lobby, username, null, null);
        }

        public Join(String lobby, String username, String password) {
            this(lobby, username, password, null);
        }

        /** A join line that comes back with a rejoin token. */
        public static Join withToken(String lobby, String username, String token) {
            return new Join(lobby, username, null, token);
        }

        @Override
        public String toString() {
            return "Join[lobby=" + lobby + ", username=" + username + (password == null ? "" : ", password=***")
                    + (token == null ? "" : ", token=***") + "]";
        }
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

    /** {@code REGISTER <password>}: claims the caller's username on the whole server. */
    record Register(String password) implements ClientMessage {
        @Override
        public String toString() {
            return "Register[***]";
        }
    }

    /** {@code PASSWORD <old> <new>}. */
    record ChangePassword(String oldPassword, String newPassword) implements ClientMessage {
        @Override
        public String toString() {
            return "ChangePassword[***]";
        }
    }

    /** {@code CLAIM}: the caller's lobby stays theirs. */
    record Claim() implements ClientMessage {
    }

    /** {@code UNCLAIM}: gives the claim up. */
    record Unclaim() implements ClientMessage {
    }

    /** {@code BAN <username>}. */
    record Ban(String username) implements ClientMessage {
    }

    /** {@code UNBAN <username>}. */
    record Unban(String username) implements ClientMessage {
    }

    /** {@code BANS}: the lobby's ban list. */
    record ShowBans() implements ClientMessage {
    }

    /** {@code SAY <text>}: a chat line to the lobby; the text is the rest of the line, as typed. */
    record Say(String text) implements ClientMessage {
    }

    /** {@code VOTE SKIP}: a vote to skip the song playing. */
    record VoteSkip() implements ClientMessage {
    }

    /** {@code VOTESHARE [<percent>]}: the share of members whose votes skip a song. Percent is null to ask. */
    record VoteShare(Integer percent) implements ClientMessage {
    }

    /** {@code UNQUEUE <position>}: takes the entry at that position (1 is next) off the queue. */
    record Unqueue(int position) implements ClientMessage {
    }

    /** {@code MOVE <position> <new-position>}: moves a queue entry. */
    record Move(int position, int newPosition) implements ClientMessage {
    }

    /** {@code RENAME <title> <new-title>}: gives a song a new title. */
    record Rename(String song, String newTitle) implements ClientMessage {
    }

    /** {@code BOARD [<subcommand> ...]}: the lobby's board (see {@link dev.thing.protocol.board.BoardRequest}). */
    record Board(dev.thing.protocol.board.BoardRequest request) implements ClientMessage {
    }
}
