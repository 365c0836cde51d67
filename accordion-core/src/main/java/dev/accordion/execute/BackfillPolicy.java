package dev.accordion.execute;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * How big a backfill's batches are: sized so that one batch takes about {@code targetBatch} (short batches hold
 * row locks briefly; long ones amortize round trips), unless {@code fixedBatchSize} pins the number of rows; and on
 * how many connections each batch runs ({@code workers}): more than one cuts a batch into that many key ranges
 * updated side by side, which a step that can be cut so does (see {@link dev.accordion.plan.SplittableStep}).
 */
public record BackfillPolicy(Duration targetBatch, OptionalInt fixedBatchSize, int workers) {

    public static final int MAX_WORKERS = 16;

    public static final BackfillPolicy DEFAULT = new BackfillPolicy(Duration.ofMillis(200), OptionalInt.empty(), 1);

    public BackfillPolicy {
        if (targetBatch.isNegative() || targetBatch.isZero()) {
            throw new IllegalArgumentException("the target batch duration must be positive, not " + targetBatch);
        }
        if (fixedBatchSize.isPresent() && fixedBatchSize.getAsInt() <= 0) {
            throw new IllegalArgumentException("a fixed batch size must be positive, not " + fixedBatchSize.getAsInt());
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("the backfill workers must be from 1 to " + MAX_WORKERS + ", not " + workers);
        }
    }

    public BackfillPolicy(Duration targetBatch, OptionalInt fixedBatchSize) {
        this(targetBatch, fixedBatchSize, 1);
    }

    public BackfillPolicy withTargetBatch(Duration target) {
        return new BackfillPolicy(target, fixedBatchSize, workers);
    }

    public BackfillPolicy withFixedBatchSize(int rows) {
        return new BackfillPolicy(targetBatch, OptionalInt.of(rows), workers);
    }

    public BackfillPolicy withWorkers(int count) {
        return new BackfillPolicy(targetBatch, fixedBatchSize, count);
    }
}
