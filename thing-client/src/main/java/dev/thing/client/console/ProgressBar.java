package dev.thing.client.console;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Formats an upload's progress line to fit 80 columns: label (shortened past 20 characters), bar, percentage, bytes,
 * then the time left, or the mean rate once done.
 */
public final class ProgressBar {
    private static final int WIDTH = 16;
    private static final int MAX_LABEL = 20;
    private final String label;
    private final long total;
    private final LongSupplier nanos;
    private final long startNanos;

    public ProgressBar(String label, long total, LongSupplier nanos) {
        this.label = label;
        this.total = total;
        this.nanos = nanos;
        this.startNanos = nanos.getAsLong();
    }

    public String render(long done) {
        double fraction = total <= 0 ? 1 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled ? '#' : '.');
        }
        bar.append(']');
        double seconds = Math.max(1e-9, (nanos.getAsLong() - startNanos) / 1e9);
        double rate = done / seconds;
        String end = done >= total ? "done, " + bytes((long) rate) + "/s"
                : rate <= 0 ? "--:-- left" : clock((long) ((total - done) / rate)) + " left";
        String shown = label.length() > MAX_LABEL ? label.substring(0, MAX_LABEL - 3) + "..." : label;
        return String.format(Locale.ROOT, "%s %s %3d%% %s/%s %s", shown, bar, Math.round(fraction * 100),
                bytes(done), bytes(total), end);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    static String clock(long seconds) {
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
