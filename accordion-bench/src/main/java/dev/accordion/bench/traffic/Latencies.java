package dev.accordion.bench.traffic;

import java.time.Duration;
import java.util.Arrays;

/** Statement latencies of one client in one phase, kept whole (a demo or a test runs thousands, not millions). */
final class Latencies {

    private long[] nanos = new long[1024];
    private int count;

    void add(long elapsedNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = elapsedNanos;
    }

    int count() {
        return count;
    }

    /** The latency below which {@code percent} of the statements finished (nearest rank); zero when there are none. */
    Duration percentile(double percent) {
        if (count == 0) {
            return Duration.ZERO;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * count);
        return Duration.ofNanos(sorted[Math.max(0, Math.min(count, rank) - 1)]);
    }

    Duration max() {
        return count == 0 ? Duration.ZERO : Duration.ofNanos(Arrays.stream(nanos, 0, count).max().orElse(0));
    }
}
