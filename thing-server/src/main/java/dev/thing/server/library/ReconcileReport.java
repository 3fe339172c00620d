package dev.thing.server.library;

/**
 * What {@link Library#open} found when it compared the folder with the index: files indexed anew,
 * rows dropped because their file vanished, files skipped (not valid MP3), crash leftovers deleted,
 * and how long it took.
 */
public record ReconcileReport(int added, int removed, int skipped, int leftoversCleaned, long millis) {
}
