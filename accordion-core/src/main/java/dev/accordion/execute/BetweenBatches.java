package dev.accordion.execute;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.plan.BatchedStep;
import dev.accordion.spi.BackfillBoard;
import dev.accordion.spi.BackfillPause;
import dev.accordion.spi.BackfillProgress;
import dev.accordion.spi.BackfillProgress.State;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a backfill does between two batches: it waits while the schema's backfills are paused or a throttle gives a
 * reason, on the runner's second connection, with no transaction open on the worker, so nothing is locked while it
 * waits. Each change of state goes to the backfill's progress row, so other processes see why it waits, and then to
 * the listener (which may look at the row).
 */
final class BetweenBatches {

    /** How often a waiting backfill renews its progress row, so that status can tell a waiting runner from a gone one. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private final BackfillBoard board;
    private final BackfillThrottling throttling;
    private final Connection probe;
    private final ExecutionListener listener;

    BetweenBatches(BackfillBoard board, BackfillThrottling throttling, Connection probe, ExecutionListener listener) {
        this.board = board;
        this.throttling = throttling;
        this.probe = probe;
        this.listener = listener;
    }

    /**
     * Returns when the next batch may run, and whether it waited; {@code progress} is where the backfill stands, for
     * its progress row. {@code stopIfAsked} throws when the phase is asked to stop, which a pause does not hold back.
     */
    boolean awaitGo(BatchedStep step, int workerPid, BackfillProgress progress, Runnable stopIfAsked) {
        Throttle.Context context = new Throttle.Context(probe, workerPid, step.tableWorkedOn());
        long waitingSince = 0;
        long degradedSince = 0;
        State state = State.RUNNING;
        String said = null;
        Duration backoff = throttling.firstBackoff();
        long savedAt = System.nanoTime();
        while (true) {
            stopIfAsked.run();
            if (state != State.RUNNING && System.nanoTime() - savedAt > HEARTBEAT.toNanos()) {
                save(progress.in(state, Optional.ofNullable(said)));
                savedAt = System.nanoTime();
            }
            Optional<BackfillPause> pause = readPause();
            if (pause.isPresent()) {
                if (state != State.PAUSED) {
                    said = pause.get().describe();
                    save(progress.in(State.PAUSED, Optional.of(said)));
                    savedAt = System.nanoTime();
                    listener.backfillPaused(step, said);
                }
                waitingSince = waitingSince == 0 ? System.nanoTime() : waitingSince;
                state = State.PAUSED;
                sleep(throttling.pausePoll());
                continue;
            }
            Optional<Reason> because = throttleReason(context);
            Optional<String> reason = because.map(Reason::text);
            degradedSince = because.filter(r -> r.throttle().tellsOfDegradation()).isEmpty() ? 0
                    : degradedSince == 0 ? System.nanoTime() : degradedSince;
            if (degradedSince != 0) {
                abortIfDegradedTooLong(step, System.nanoTime() - degradedSince, reason.get());
            }
            if (reason.isPresent()) {
                if (state != State.THROTTLED || !Objects.equals(said, reason.get())) {
                    said = reason.get();
                    save(progress.in(State.THROTTLED, reason));
                    savedAt = System.nanoTime();
                    listener.backfillThrottled(step, said);
                }
                if (state != State.THROTTLED) {
                    backoff = throttling.firstBackoff();
                }
                waitingSince = waitingSince == 0 ? System.nanoTime() : waitingSince;
                state = State.THROTTLED;
                sleep(backoff);
                backoff = throttling.backoffAfter(backoff);
                continue;
            }
            if (state != State.RUNNING) {
                save(progress.in(State.RUNNING, Optional.empty()));
                listener.backfillContinued(step, Duration.ofNanos(System.nanoTime() - waitingSince));
            }
            return state != State.RUNNING;
        }
    }

    private Optional<BackfillPause> readPause() {
        try {
            return board.pause(probe);
        } catch (SQLException e) {
            throw new AccordionException(ErrorCode.DATABASE, "cannot read whether backfills are paused: " + e.getMessage().strip()
                    + "\nCheck the connection to the server, then run the same command again; committed batches are kept.", e);
        }
    }

    /** A throttle's reason to wait, and which throttle gave it. */
    private record Reason(Throttle throttle, String text) {
    }

    private void abortIfDegradedTooLong(BatchedStep step, long degradedNanos, String reason) {
        Optional<Duration> limit = throttling.abortAfter();
        if (limit.isPresent() && degradedNanos >= limit.get().toNanos()) {
            throw new AccordionException(ErrorCode.DEGRADED, String.format(java.util.Locale.ROOT, "the backfill of %s was held back "
                    + "for %.1f s without a break, longer than the abort limit of %.1f s, because %s", step.summary(),
                    degradedNanos / 1e9, limit.get().toMillis() / 1000.0, reason));
        }
    }

    /** The first throttle's reason to wait; a throttle that fails gives its failure as the reason. */
    private Optional<Reason> throttleReason(Throttle.Context context) {
        for (Throttle throttle : throttling.throttles()) {
            Optional<String> reason;
            try {
                reason = throttle.reasonToWait(context);
            } catch (SQLException | RuntimeException e) {
                reason = Optional.of(throttle.describe() + " failed (" + String.valueOf(e.getMessage()).strip()
                        + "), so the backfill waits until it answers; fix it, or run without that option to go on without it");
            }
            if (reason.isPresent()) {
                return Optional.of(new Reason(throttle, reason.get()));
            }
        }
        return Optional.empty();
    }

    private void save(BackfillProgress progress) {
        try {
            board.saveProgress(probe, progress);
        } catch (SQLException e) {
            throw new AccordionException(ErrorCode.DATABASE, "cannot record the backfill's progress: " + e.getMessage().strip()
                    + "\nCheck the connection to the server, then run the same command again; committed batches are kept.", e);
        }
    }

    private static void sleep(Duration duration) {
        Executor.pause(duration, "the backfill waited");
    }
}
