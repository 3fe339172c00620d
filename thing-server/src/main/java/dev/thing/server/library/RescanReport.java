package dev.thing.server.library;

import java.util.List;

/**
 * What {@link Library#rescan} did to a running library: the songs it indexed from files dropped into the folder,
 * the songs it dropped because their file was gone, and the files it left out with the reason an upload of them
 * would have been refused for.
 */
public record RescanReport(List<Song> added, List<Song> removed, List<Skipped> skipped) {

    public RescanReport {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        skipped = List.copyOf(skipped);
    }

    /** A file of the folder that was not indexed, and why (for people). */
    public record Skipped(String file, String reason) {
    }
}
