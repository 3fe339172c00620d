package dev.thing.client.console;

import java.util.Locale;
import java.util.function.LongSupplier;

/** Formats an upload's progress line: bar, bytes, rate and time left. */
public final class ProgressBar {
    private static final int WIDTH = 24;
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
        String left = done >= total ? "done" : rate <= 0 ? "--:-- left" : clock((long) ((total - done) / rate)) + " left";
        return String.format(Locale.ROOT, "%s %s %3d%% %s/%s %s/s %s", label, bar, Math.round(fraction * 100),
                bytes(done), bytes(total), bytes((long) rate), left);
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
