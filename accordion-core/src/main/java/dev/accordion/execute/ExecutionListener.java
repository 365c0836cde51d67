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

    /** A listener that tells each of {@code listeners} everything, in order. */
    static ExecutionListener all(ExecutionListener... listeners) {
        List<ExecutionListener> each = List.of(listeners);
        return new ExecutionListener() {
            @Override
            public void phaseStarted(String migration, Phase phase, int steps, int alreadyFinished) {
                each.forEach(l -> l.phaseStarted(migration, phase, steps, alreadyFinished));
            }

            @Override
            public void stepStarted(Step step, int number, int of) {
                each.forEach(l -> l.stepStarted(step, number, of));
            }

            @Override
            public void stepSkipped(Step step, int number, int of) {
                each.forEach(l -> l.stepSkipped(step, number, of));
            }

            @Override
            public void stepFinished(Step step, Duration took) {
                each.forEach(l -> l.stepFinished(step, took));
            }

            @Override
            public void lockRetry(Step step, int attempt, Duration pause, List<BlockingSession> blockers) {
                each.forEach(l -> l.lockRetry(step, attempt, pause, blockers));
            }

            @Override
            public void stillWaiting(Step step, Duration waited, List<BlockingSession> blockers) {
                each.forEach(l -> l.stillWaiting(step, waited, blockers));
            }

            @Override
            public void backfillProgress(Step step, long rowsDone, long estimatedTotal, double rowsPerSecond) {
                each.forEach(l -> l.backfillProgress(step, rowsDone, estimatedTotal, rowsPerSecond));
            }

            @Override
            public void backfillPaused(Step step, String reason) {
                each.forEach(l -> l.backfillPaused(step, reason));
            }

            @Override
            public void backfillThrottled(Step step, String reason) {
                each.forEach(l -> l.backfillThrottled(step, reason));
            }

            @Override
            public void backfillContinued(Step step, Duration waited) {
                each.forEach(l -> l.backfillContinued(step, waited));
            }

            @Override
            public void phaseFinished(String migration, Phase phase, Duration took) {
                each.forEach(l -> l.phaseFinished(migration, phase, took));
            }

            @Override
            public void decided(String migration, String decision) {
                each.forEach(l -> l.decided(migration, decision));
            }

            @Override
            public void clientsWatched(String migration, dev.accordion.ClientWatch watch, boolean watchingAgain) {
                each.forEach(l -> l.clientsWatched(migration, watch, watchingAgain));
            }
        };
    }

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
     * A step that waits without blocking clients ({@link Step#waitsWithoutBlockingClients()}) has been waiting for
     * {@code waited}, for {@code blockers}; said again periodically while it waits.
     */
    default void stillWaiting(Step step, Duration waited, List<BlockingSession> blockers) {
    }

    /**
     * A batch of a backfill committed: {@code rowsDone} rows visited so far (counting earlier runs), of about
     * {@code estimatedTotal}, at {@code rowsPerSecond} in this run. Called after every batch; listeners throttle.
     */
    default void backfillProgress(Step step, long rowsDone, long estimatedTotal, double rowsPerSecond) {
    }

    /**
     * A backfill waits before its next batch because its schema's backfills are paused ({@code accordion backfill
     * pause}); {@code reason} says who paused it, since when and why. Said once per pause.
     */
    default void backfillPaused(Step step, String reason) {
    }

    /** A backfill waits before its next batch because a throttle said why; said again when the reason changes. */
    default void backfillThrottled(Step step, String reason) {
    }

    /** A paused or throttled backfill goes on after waiting {@code waited}. */
    default void backfillContinued(Step step, Duration waited) {
    }

    /** A watch of a version schema for its clients ended; {@code watchingAgain} when complete waits for them to go. */
    default void clientsWatched(String migration, dev.accordion.ClientWatch watch, boolean watchingAgain) {
    }

    default void phaseFinished(String migration, Phase phase, Duration took) {
    }

    /**
     * The runner chose between ways to go on on its own (such as taking an edited file over the copy recorded by a
     * start that changed nothing); an operator should read why.
     */
    default void decided(String migration, String decision) {
    }
}
