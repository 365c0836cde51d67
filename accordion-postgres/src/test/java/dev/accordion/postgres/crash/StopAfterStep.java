package dev.accordion.postgres.crash;

import dev.accordion.execute.ExecutionListener;
import dev.accordion.plan.Phase;
import dev.accordion.plan.Step;
import java.time.Duration;

/**
 * The test seam that stands in for a crash: a listener that throws {@link Stopped} once step {@code k} of the phase
 * has committed ({@code k = 0}: before the first step; or, with {@code afterFirstBatch}, once the first batch of step {@code k}, a backfill, has committed).
 * The executor calls listeners after a step's transaction commits, so the database is left exactly as a runner that
 * died at that moment would leave it; the exception unwinds the phase without running anything more.
 */
final class StopAfterStep implements ExecutionListener {

    /** Thrown where the simulated crash happens; nothing in Accordion catches it. */
    static final class Stopped extends RuntimeException {
        Stopped(String where) {
            super("stopped by the test " + where);
        }
    }

    private final int k;
    private final boolean afterFirstBatch;
    private int current;
    private Step stoppedAt;

    StopAfterStep(int k, boolean afterFirstBatch) {
        this.k = k;
        this.afterFirstBatch = afterFirstBatch;
    }

    /** The step the runner stopped after (or inside, for a batch), once it has stopped; null before the first step. */
    Step stoppedAt() {
        return stoppedAt;
    }

    /** {@code k = 0}: the phase has been marked as under way, and no step has run. */
    @Override
    public void phaseStarted(String migration, Phase phase, int steps, int alreadyFinished) {
        if (k == 0) {
            throw new Stopped("before the first step of " + phase.label());
        }
    }

    @Override
    public void stepStarted(Step step, int number, int of) {
        current = number;
    }

    @Override
    public void stepSkipped(Step step, int number, int of) {
        current = number;
    }

    @Override
    public void backfillProgress(Step step, long rowsDone, long estimatedTotal, double rowsPerSecond) {
        if (afterFirstBatch && current == k) {
            stop(step, "after the first batch of step " + k);
        }
    }

    @Override
    public void stepFinished(Step step, Duration took) {
        if (current == k) {
            stop(step, "after step " + k);
        }
    }

    private void stop(Step step, String where) {
        stoppedAt = step;
        throw new Stopped(where + " (" + step.id() + ")");
    }
}
