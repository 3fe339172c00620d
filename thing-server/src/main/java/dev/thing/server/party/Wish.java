package dev.thing.server.party;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A title someone requested that was not in the library ({@code WISH <title> <artist> <requested-by> <lobby>}).
 *
 * @param id              row id
 * @param title           the title as requested
 * @param artist          the artist as requested ("" when not given)
 * @param lobby           the lobby it was requested in, as first given
 * @param username        who asked
 * @param requestedAtUs   when (us since the epoch)
 * @param fulfilledSongId the library id of the song that fulfilled it; empty while still wanted
 * @param fulfilledTitle  that song's title as stored; empty while still wanted
 * @param queued          whether the fulfilled song has been queued in the lobby
 */
public record Wish(long id, String title, String artist, String lobby, String username, long requestedAtUs,
                   OptionalLong fulfilledSongId, Optional<String> fulfilledTitle, boolean queued) {
    public Wish {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(artist, "artist");
        Objects.requireNonNull(lobby, "lobby");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(fulfilledSongId, "fulfilledSongId");
        Objects.requireNonNull(fulfilledTitle, "fulfilledTitle");
    }

    public boolean fulfilled() {
        return fulfilledSongId.isPresent();
    }
}
