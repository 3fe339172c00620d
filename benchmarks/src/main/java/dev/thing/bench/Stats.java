package dev.thing.bench;

import java.util.Arrays;
import java.util.Collection;

/** Percentiles over samples (nearest-rank). */
final class Stats {
    private final double[] sorted;

    Stats(double[] values) {
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    static Stats of(Collection<? extends Number> values) {
        return new Stats(values.stream().mapToDouble(Number::doubleValue).toArray());
    }

    int count() {
        return sorted.length;
    }

    /** Nearest-rank percentile, p in [0, 100]; NaN when empty. */
    double p(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    double median() {
        return p(50);
    }

    double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    double min() {
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }
}
