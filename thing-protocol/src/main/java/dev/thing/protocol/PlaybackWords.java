package dev.thing.protocol;

/**
 * The words that say who did what to a lobby's playback ("alice paused Long Sweep at 0:53"), written once: the
 * server sends them to people as a NOTIFY (RFC 10.1) and the terminal client builds the same line from EVENT BY and
 * the playback line after it.
 */
public final class PlaybackWords {
    private PlaybackWords() {
    }

    /**
     * What {@code who} did, given the playback line the action caused: a PLAY or PAUSE of {@code title} at
     * {@code positionMs}, or a STOP ({@code title} null). {@code before} is the title that was playing or paused
     * before the action, or null (for a SKIP's "skipped X").
     */
    public static String describe(String who, ServerMessage.PlaybackAction action, String title, long positionMs,
                                  String before) {
        String at = Positions.format(positionMs);
        return who + " " + switch (action) {
            case PLAY -> title == null ? "stopped playback" : "played " + title + (positionMs >= 1000 ? " from " + at : "");
            case RESUME -> "resumed " + title + " at " + at;
            case PAUSE -> "paused " + title + " at " + at;
            case SEEK -> title == null ? "stopped playback" : "moved " + title + " to " + at;
            case SKIP -> (before == null ? "skipped" : "skipped " + before)
                    + (title == null ? "; nothing is queued" : ", now playing " + title);
            case STOP -> before == null ? "stopped playback" : "stopped " + before;
        };
    }
}
