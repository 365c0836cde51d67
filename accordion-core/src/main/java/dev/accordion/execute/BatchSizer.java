package dev.accordion.execute;

import java.time.Duration;

/**
 * Chooses the size of a backfill's next batch. Adaptive sizing is multiplicative toward the target duration,
 * but damped: each batch moves the size at most half-way to what its own duration suggests, and that suggestion
 * is itself limited to halving or doubling, so one batch slowed by a checkpoint or a busy disk costs at most a
 * quarter of the size, while a sustained change is followed within a few batches. A batch that took at most half
 * the target doubles the size undamped: the next batch then still fits the target, and a large table reaches its
 * size in half as many small batches, each of which pays a commit and a few round trips.
 */
final class BatchSizer {

    static final int INITIAL = 1_000;
    static final int MIN = 100;
    static final int MAX = 100_000;

    private static final double MAX_FACTOR = 2.0;
    private static final double SMOOTHING = 0.5;

    private final BackfillPolicy policy;
    private double size = INITIAL;

    BatchSizer(BackfillPolicy policy) {
        this.policy = policy;
    }

    /** The number of rows to ask the next batch for. */
    int size() {
        return policy.fixedBatchSize().orElse((int) Math.round(size));
    }

    /** Learns from a batch of {@link #size()} rows that took {@code took} (the successful attempt only). */
    void observe(Duration took) {
        if (policy.fixedBatchSize().isPresent()) {
            return;
        }
        double target = policy.targetBatch().toNanos();
        double factor = took.isZero() || took.isNegative() ? MAX_FACTOR
                : Math.max(1 / MAX_FACTOR, Math.min(MAX_FACTOR, target / took.toNanos()));
        double step = factor >= MAX_FACTOR ? MAX_FACTOR : 1 + SMOOTHING * (factor - 1);
        size = Math.max(MIN, Math.min(MAX, size * step));
    }
}
