package dev.accordion.execute;

import dev.accordion.plan.Phase;
import dev.accordion.plan.Step;
import dev.accordion.spi.BlockingSession;
import java.time.Duration;
import java.util.List;

/** What the executor tells the outside world while it works. Every method has a do-nothing default. */
public interface ExecutionListener {

    ExecutionListener NONE = new ExecutionListener() {
    };

    default void phaseStarted(String migration, Phase phase, int steps, int alreadyFinished) {
    }

    default void stepStarted(Step step, int number, int of) {
    }

    default void stepSkipped(Step step, int number, int of) {
    }

    default void stepFinished(Step step, Duration took) {
    }

    /** A step's lock wait timed out; it runs again after {@code pause}. */
    default void lockRetry(Step step, int attempt, Duration pause, List<BlockingSession> blockers) {
    }

    /**
     * A batch of a backfill committed: {@code rowsDone} rows visited so far (counting earlier runs), of about
     * {@code estimatedTotal}, at {@code rowsPerSecond} in this run. Called after every batch; listeners throttle.
     */
    default void backfillProgress(Step step, long rowsDone, long estimatedTotal, double rowsPerSecond) {
    }

    default void phaseFinished(String migration, Phase phase, Duration took) {
    }
}
