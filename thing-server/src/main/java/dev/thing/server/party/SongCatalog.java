package dev.thing.server.party;

import java.util.Optional;
import java.util.random.RandomGenerator;

/** The party's view of the song library; implemented by the server over its library. */
public interface SongCatalog {
    /**
     * Finds a song by reference.
     *
     * @param ref a title (compared case-insensitively) or {@code #<id>}
     * @return the song, or empty when the library has no such song
     * @throws PartyException STORAGE when the library cannot be read: that is not "no such song"
     */
    Optional<PartySong> resolve(String ref);

    /**
     * A song picked at random from the whole library (for autoplay); empty when the library is empty.
     *
     * @throws PartyException STORAGE when the library cannot be read
     */
    Optional<PartySong> random(RandomGenerator rnd);
}
