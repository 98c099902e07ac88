package io.certflow.devstack.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Durations of one measured step over many certificates, with the percentiles a report prints. Exists so
 * that every figure of a benchmark is computed one way (nearest-rank percentiles).
 */
public final class Latencies {

    private final List<Duration> samples = new ArrayList<>();

    /** Adds one sample (thread-safe). */
    public synchronized void add(Duration d) {
        samples.add(d);
    }

    public synchronized int count() {
        return samples.size();
    }

    /** The nearest-rank percentile {@code p} (0 < p <= 100), or null without samples. */
    public synchronized Duration percentile(double p) {
        if (samples.isEmpty()) {
            return null;
        }
        List<Duration> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** {@code p50 / p95 / p99} in seconds with two decimals, or {@code -} without samples. */
    public String summary() {
        if (count() == 0) {
            return "-";
        }
        return "%s / %s / %s".formatted(seconds(percentile(50)), seconds(percentile(95)), seconds(percentile(99)));
    }

    static String seconds(Duration d) {
        return d == null ? "-" : String.format(java.util.Locale.ROOT, "%.2f s", d.toMillis() / 1000.0);
    }
}
