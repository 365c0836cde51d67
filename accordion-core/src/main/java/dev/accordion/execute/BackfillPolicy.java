package dev.accordion.execute;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * How big a backfill's batches are: sized so that one batch takes about {@code targetBatch} (short batches hold
 * row locks briefly; long ones amortize round trips), unless {@code fixedBatchSize} pins the number of rows.
 */
public record BackfillPolicy(Duration targetBatch, OptionalInt fixedBatchSize) {

    public static final BackfillPolicy DEFAULT = new BackfillPolicy(Duration.ofMillis(200), OptionalInt.empty());

    public BackfillPolicy {
        if (targetBatch.isNegative() || targetBatch.isZero()) {
            throw new IllegalArgumentException("the target batch duration must be positive, not " + targetBatch);
        }
        if (fixedBatchSize.isPresent() && fixedBatchSize.getAsInt() <= 0) {
            throw new IllegalArgumentException("a fixed batch size must be positive, not " + fixedBatchSize.getAsInt());
        }
    }

    public BackfillPolicy withTargetBatch(Duration target) {
        return new BackfillPolicy(target, fixedBatchSize);
    }

    public BackfillPolicy withFixedBatchSize(int rows) {
        return new BackfillPolicy(targetBatch, OptionalInt.of(rows));
    }
}
