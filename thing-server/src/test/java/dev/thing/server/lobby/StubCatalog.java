package dev.thing.server.lobby;

import dev.thing.server.party.PartySong;
import dev.thing.server.party.SongCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** A few songs in memory, found by title (any case) or #id. */
final class StubCatalog implements SongCatalog {
    private final Map<Long, PartySong> songs = new LinkedHashMap<>();

    StubCatalog add(PartySong song) {
        songs.put(song.id(), song);
        return this;
    }

    @Override
    public Optional<PartySong> resolve(String ref) {
        if (ref.matches("#[0-9]+")) {
            return Optional.ofNullable(songs.get(Long.parseLong(ref.substring(1))));
        }
        String key = ref.toLowerCase(Locale.ROOT);
        return songs.values().stream().filter(s -> s.title().toLowerCase(Locale.ROOT).equals(key)).findFirst();
    }

    @Override
    public Optional<PartySong> random(RandomGenerator rnd) {
        List<PartySong> all = new ArrayList<>(songs.values());
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(rnd.nextInt(all.size())));
    }
}
