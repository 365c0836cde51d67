package dev.accordion.bench;

import dev.accordion.execute.ExecutionListener;
import dev.accordion.plan.BatchedStep;
import dev.accordion.plan.Step;
import java.time.Duration;

/** Times the backfill step of a phase from the executor's own events, and counts its batches. */
final class BackfillTimer implements ExecutionListener {

    private long startedAt;
    private Duration took = Duration.ZERO;
    private int batches;
    private long rows;

    @Override
    public void stepStarted(Step step, int number, int of) {
        if (step instanceof BatchedStep) {
            startedAt = System.nanoTime();
        }
    }

    @Override
    public void stepFinished(Step step, Duration stepTook) {
        if (step instanceof BatchedStep) {
            took = took.plusNanos(System.nanoTime() - startedAt);
        }
    }

    @Override
    public void backfillProgress(Step step, long rowsDone, long estimatedTotal, double rowsPerSecond) {
        batches++;
        rows = rowsDone;
    }

    /** Zero when no backfill step ran. */
    Duration took() {
        return took;
    }

    int batches() {
        return batches;
    }

    long rows() {
        return rows;
    }
}
