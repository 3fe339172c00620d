package dev.thing.server.party;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** An in-memory library for tests. */
final class FakeCatalog implements SongCatalog {
    private final Map<Long, PartySong> songs = new LinkedHashMap<>();

    FakeCatalog add(PartySong... added) {
        for (PartySong s : added) {
            songs.put(s.id(), s);
        }
        return this;
    }

    void delete(long id) {
        songs.remove(id);
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
        if (songs.isEmpty()) {
            return Optional.empty();
        }
        List<PartySong> all = new ArrayList<>(songs.values());
        return Optional.of(all.get(rnd.nextInt(all.size())));
    }
}
