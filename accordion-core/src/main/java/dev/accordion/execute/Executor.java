package dev.accordion.execute;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.Hint;
import dev.accordion.plan.BatchedStep;
import dev.accordion.plan.Phase;
import dev.accordion.plan.SplittableStep;
import dev.accordion.plan.Step;
import dev.accordion.spi.BackfillBoard;
import dev.accordion.spi.BackfillProgress;
import dev.accordion.spi.BlockingSession;
import dev.accordion.spi.Checkpoint;
import dev.accordion.spi.ConnectionSource;
import dev.accordion.spi.Dialect;
import dev.accordion.spi.Journal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * Runs the steps of one phase on a worker connection: each with a short lock timeout, retried with
 * backoff while locks are busy, and journaled with its own transaction so that running the phase
 * again continues after the last finished step. A {@link BatchedStep} runs batch by batch, each batch
 * a transaction of its own that also saves the step's checkpoint; a lock timeout retries that batch only.
 */
public final class Executor {

    private final Dialect dialect;
    private final Connection worker;
    private final BlockerProbe probe;
    private final RetryPolicy policy;
    private final BackfillPolicy backfill;
    private final ExecutionListener listener;
    private final BackfillBoard board;
    private final BetweenBatches betweenBatches;
    private final ConnectionSource pieceConnections;
    private final Connection probeConnection;
    private final StopSignal stopSignal;
    private int workerPid = -1;

    public Executor(Dialect dialect, Connection worker, Connection probeConnection, RetryPolicy policy,
                    ExecutionListener listener) {
        this(dialect, worker, probeConnection, policy, BackfillPolicy.DEFAULT, listener);
    }

    public Executor(Dialect dialect, Connection worker, Connection probeConnection, RetryPolicy policy,
                    BackfillPolicy backfill, ExecutionListener listener) {
        this(dialect, worker, probeConnection, policy, backfill, BackfillThrottling.NONE, BackfillBoard.NONE, listener);
    }

    /**
     * With {@code throttling} and {@code board}: between batches a backfill waits while the board's pause stands or
     * a throttle says why, and each batch writes its progress to the board in its own transaction.
     */
    public Executor(Dialect dialect, Connection worker, Connection probeConnection, RetryPolicy policy,
                    BackfillPolicy backfill, BackfillThrottling throttling, BackfillBoard board, ExecutionListener listener) {
        this(dialect, worker, probeConnection, policy, backfill, throttling, board, listener, () -> {
            throw new SQLException("this executor was given no way to open connections for more than one backfill worker");
        });
    }

    /**
     * With {@code pieceConnections}, where a backfill with more than one worker opens the connections for the pieces of
     * its batches beyond the first (which runs on the worker); they are closed when the backfill step ends.
     */
    public Executor(Dialect dialect, Connection worker, Connection probeConnection, RetryPolicy policy,
                    BackfillPolicy backfill, BackfillThrottling throttling, BackfillBoard board, ExecutionListener listener,
                    ConnectionSource pieceConnections) {
        this(dialect, worker, probeConnection, policy, backfill, throttling, board, listener, pieceConnections, StopSignal.NONE);
    }

    /**
     * With {@code stopSignal}, asked on the probe connection before every step, backfill batch and lock retry: when it
     * answers, the phase stops there with {@link ErrorCode#STOPPED}, leaving what a crash at that point would.
     */
    public Executor(Dialect dialect, Connection worker, Connection probeConnection, RetryPolicy policy,
                    BackfillPolicy backfill, BackfillThrottling throttling, BackfillBoard board, ExecutionListener listener,
                    ConnectionSource pieceConnections, StopSignal stopSignal) {
        this.dialect = dialect;
        this.probeConnection = probeConnection;
        this.stopSignal = stopSignal;
        this.pieceConnections = pieceConnections;
        this.worker = worker;
        this.probe = new BlockerProbe(dialect, probeConnection);
        this.policy = policy;
        this.backfill = backfill;
        this.listener = listener;
        this.board = board;
        this.betweenBatches = new BetweenBatches(board, throttling, probeConnection, listener);
    }

    public void run(String migration, Phase phase, List<Step> steps, Journal journal) {
        Instant phaseStart = Instant.now();
        Set<?> finished = journal.finished();
        listener.phaseStarted(migration, phase, steps.size(),
                (int) steps.stream().filter(s -> finished.contains(s.id())).count());
        int number = 0;
        for (Step step : steps) {
            number++;
            if (finished.contains(step.id())) {
                listener.stepSkipped(step, number, steps.size());
                continue;
            }
            StepRun run = new StepRun(migration, phase, step, number, steps.size());
            stopIfAsked(run, "before");
            listener.stepStarted(step, number, steps.size());
            Instant stepStart = Instant.now();
            if (step instanceof BatchedStep batched) {
                runBatches(run, batched, journal);
            } else if (step.waitsWithoutBlockingClients()) {
                runWaitingOut(run, journal);
            } else {
                runWithRetry(run, () -> {
                    runOnce(step, journal, policy.lockTimeout());
                    return null;
                });
            }
            listener.stepFinished(step, Duration.between(stepStart, Instant.now()));
        }
        listener.phaseFinished(migration, phase, Duration.between(phaseStart, Instant.now()));
    }

    /** Where a step stands in its phase, for messages. */
    private record StepRun(String migration, Phase phase, Step step, int number, int total) {
    }

    /** One attempt at some work that may time out waiting for a lock; it rolls back whatever it did before throwing. */
    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws SQLException;
    }

    /** Runs {@code attempt} until it does not time out on a lock, backing off between tries, until the deadline. */
    private <T> T runWithRetry(StepRun run, Attempt<T> attempt) {
        return runWithRetry(run, List.of(pid()), attempt);
    }

    /** The same for an attempt that runs on the sessions {@code waitingPids}: a lock retry names whom any of them waited for. */
    private <T> T runWithRetry(StepRun run, List<Integer> waitingPids, Attempt<T> attempt) {
        Instant deadline = Instant.now().plus(policy.deadline());
        for (int number = 1; ; number++) {
            BlockerProbe.Watch watch = probe.watch(waitingPids, policy.lockTimeout());
            try {
                return attempt.run();
            } catch (SQLException e) {
                if (!dialect.isLockTimeout(e)) {
                    throw failed(run, e);
                }
                List<BlockingSession> blockers = watch.blockers();
                Duration pause = policy.backoff(number);
                if (Instant.now().plus(pause).isAfter(deadline)) {
                    throw lockTimedOut(run, number, blockers);
                }
                listener.lockRetry(run.step(), number, pause, blockers);
                pause(pause, "waiting to retry a lock");
                stopIfAsked(run, "in");
            } finally {
                watch.stop();
            }
        }
    }

    /**
     * A step that blocks no client while it waits runs without a lock timeout; the listener hears, every
     * {@link RetryPolicy#lockTimeout()} at first and then less often, who it is waiting for.
     */
    private void runWaitingOut(StepRun run, Journal journal) {
        try (BlockerProbe.Reporter reporter = probe.report(pid(), policy.lockTimeout(),
                (waited, blockers) -> listener.stillWaiting(run.step(), waited, blockers))) {
            runOnce(run.step(), journal, Duration.ZERO);
        } catch (SQLException e) {
            throw failed(run, e);
        }
    }

    /**
     * One attempt: the step's statements and its journal entry, committed together when the step is transactional;
     * {@code lockTimeout} zero waits as long as it takes.
     */
    private void runOnce(Step step, Journal journal, Duration lockTimeout) throws SQLException {
        worker.setAutoCommit(!step.transactional());
        try {
            dialect.setLockTimeout(worker, lockTimeout, step.transactional());
            try (Statement statement = worker.createStatement()) {
                for (String sql : step.sqlToRun(worker)) {
                    statement.execute(sql);
                }
            }
            journal.record(worker, step.id());
            if (step.transactional()) {
                worker.commit();
            }
        } catch (SQLException | RuntimeException e) {
            if (step.transactional()) {
                worker.rollback();
            }
            throw e;
        } finally {
            worker.setAutoCommit(true);
        }
    }

    /**
     * A backfill: batches from the last checkpoint on, each committed with its checkpoint and progress row, retried
     * alone when it times out on a lock; the last batch's transaction also journals the step. Before each batch (the
     * first too: a backfill started while paused waits) it waits while paused or throttled. With more than one worker,
     * a step that can be cut runs each batch as pieces side by side.
     */
    private void runBatches(StepRun run, BatchedStep step, Journal journal) {
        if (backfill.workers() > 1 && step instanceof SplittableStep splittable) {
            try (PieceWorkers pieces = PieceWorkers.open(pieceConnections, backfill.workers() - 1, dialect)) {
                List<Integer> sessions = new ArrayList<>(List.of(pid()));
                sessions.addAll(pieces.pids());
                runBatches(run, step, journal, sessions,
                        (from, size, progressAt) -> runSplitBatch(splittable, pieces, journal, from, size, progressAt));
            } catch (SQLException e) {
                throw new AccordionException(ErrorCode.CONNECTION, "cannot open the connections of " + backfill.workers()
                        + " backfill workers: " + e.getMessage().strip()
                        + "\nCheck that the server accepts that many more connections, or run with fewer workers.", e);
            }
        } else {
            runBatches(run, step, journal, List.of(pid()), (from, size, progressAt) -> runBatch(step, journal, from, size, progressAt));
        }
    }

    /** How one batch runs: whole in one transaction, or cut into pieces. */
    @FunctionalInterface
    private interface BatchRunner {
        TimedBatch run(Checkpoint from, int size, LongFunction<BackfillProgress> progressAt) throws SQLException;
    }

    /** The batches, each run by {@code runner} on the sessions {@code waitingPids}. */
    private void runBatches(StepRun run, BatchedStep step, Journal journal, List<Integer> waitingPids, BatchRunner runner) {
        Checkpoint checkpoint = journal.checkpoint(step.id()).orElse(Checkpoint.NONE);
        long estimate = estimatedRows(run, step);
        Rate rate = new Rate(checkpoint.rowsDone(), System.nanoTime());
        BatchSizer sizer = new BatchSizer(backfill);
        boolean finished = false;
        while (!finished) {
            Checkpoint from = checkpoint;
            if (betweenBatches.awaitGo(step, pid(), progress(run, step, from.rowsDone(), estimate, rate),
                    () -> stopIfAsked(run, "in"))) {
                rate.restart(from.rowsDone());
            }
            int size = sizer.size();
            TimedBatch timed = runWithRetry(run, waitingPids,
                    () -> runner.run(from, size, done -> progress(run, step, done, estimate, rate)));
            BatchedStep.Batch batch = timed.batch();
            sizer.observe(timed.took());
            checkpoint = next(from, batch);
            finished = batch.finished();
            listener.backfillProgress(step, checkpoint.rowsDone(), Math.max(estimate, checkpoint.rowsDone()),
                    rate.perSecond(checkpoint.rowsDone()));
        }
    }

    /**
     * Rows per second in this run: rows done since it began over the time since; it begins again after a pause or a
     * throttle, so that the time left is not stretched by a wait that is over.
     */
    private static final class Rate {
        private long doneBefore;
        private long beganNanos;

        Rate(long doneBefore, long beganNanos) {
            this.doneBefore = doneBefore;
            this.beganNanos = beganNanos;
        }

        void restart(long rowsDone) {
            doneBefore = rowsDone;
            beganNanos = System.nanoTime();
        }

        double perSecond(long rowsDone) {
            double seconds = Math.max(1e-9, (System.nanoTime() - beganNanos) / 1e9);
            return (rowsDone - doneBefore) / seconds;
        }
    }

    private BackfillProgress progress(StepRun run, BatchedStep step, long rowsDone, long estimate, Rate rate) {
        return new BackfillProgress(run.migration(), step.id(), rowsDone, Math.max(estimate, rowsDone),
                rate.perSecond(rowsDone), BackfillProgress.State.RUNNING, Optional.empty(), Duration.ZERO);
    }

    /** A committed batch and how long its successful attempt took. */
    private record TimedBatch(BatchedStep.Batch batch, Duration took) {
    }

    /**
     * One batch, its checkpoint and its progress row (for the last, the journal entry instead of the progress row) in
     * one transaction.
     */
    private TimedBatch runBatch(BatchedStep step, Journal journal, Checkpoint from, int size,
                                LongFunction<BackfillProgress> progressAt) throws SQLException {
        long began = System.nanoTime();
        BatchedStep.Batch batch = inTransaction(worker, () -> {
            BatchedStep.Batch done = step.runBatch(worker, from.position(), size);
            recordBatch(step, journal, from, done, progressAt);
            return done;
        });
        return new TimedBatch(batch, Duration.ofNanos(System.nanoTime() - began));
    }

    /**
     * One batch cut into pieces: the cut (read only), the pieces side by side, each committed alone, and once all have
     * committed, the checkpoint and progress row as {@link #runBatch} saves them. A piece that times out on a lock fails
     * the batch, which is then retried whole; its pieces that committed run again and find their rows done.
     */
    private TimedBatch runSplitBatch(SplittableStep step, PieceWorkers pieces, Journal journal, Checkpoint from, int size,
                                     LongFunction<BackfillProgress> progressAt) throws SQLException {
        long began = System.nanoTime();
        SplittableStep.SplitBatch split = inTransaction(worker,
                () -> step.splitBatch(worker, from.position(), size, backfill.workers()));
        pieces.runAll(worker, split.pieces(), (connection, piece) -> inTransaction(connection, () -> {
            step.runPiece(connection, piece);
            return null;
        }), dialect::isLockTimeout);
        inTransaction(worker, () -> {
            recordBatch(step, journal, from, split.batch(), progressAt);
            return null;
        });
        return new TimedBatch(split.batch(), Duration.ofNanos(System.nanoTime() - began));
    }

    /** Saves a committed batch's checkpoint and progress row; for the last batch, the journal entry instead of the row. */
    private void recordBatch(BatchedStep step, Journal journal, Checkpoint from, BatchedStep.Batch batch,
                             LongFunction<BackfillProgress> progressAt) throws SQLException {
        Checkpoint reached = next(from, batch);
        journal.saveCheckpoint(worker, step.id(), reached);
        BackfillProgress progress = progressAt.apply(reached.rowsDone());
        if (batch.finished()) {
            journal.record(worker, step.id());
            board.clearProgress(worker, progress.migration(), step.id());
        } else {
            board.saveProgress(worker, progress);
        }
    }

    /** Runs {@code work} in a transaction of its own on {@code connection}, with the lock timeout; rolls back if it fails. */
    private <T> T inTransaction(Connection connection, Attempt<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            dialect.setLockTimeout(connection, policy.lockTimeout(), true);
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** A batch that found nothing left reports no position; the checkpoint then keeps the last one. */
    private static Checkpoint next(Checkpoint from, BatchedStep.Batch batch) {
        return new Checkpoint(batch.position().or(from::position), from.rowsDone() + batch.rowsVisited());
    }

    private long estimatedRows(StepRun run, BatchedStep step) {
        try {
            return step.estimatedRows(worker);
        } catch (SQLException e) {
            throw failed(run, e);
        }
    }

    /** The worker's backend: asked once, since every batch of a backfill would otherwise ask again. */
    private int pid() {
        if (workerPid >= 0) {
            return workerPid;
        }
        try {
            workerPid = dialect.backendPid(worker);
            return workerPid;
        } catch (SQLException e) {
            throw new AccordionException(ErrorCode.CONNECTION, "lost the connection to the database: " + e.getMessage(), e);
        }
    }

    /** Waits {@code pause}; {@code forWhat} finishes "interrupted while …" if the thread is interrupted meanwhile. */
    public static void pause(Duration pause, String forWhat) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AccordionException(ErrorCode.INTERNAL, "interrupted while " + forWhat, e);
        }
    }

    /** Stops the phase, {@code where} ("before" or "in") the step of {@code run}, when another process asked it to. */
    private void stopIfAsked(StepRun run, String where) {
        Optional<String> reason;
        try {
            reason = stopSignal.stopRequested(probeConnection);
        } catch (SQLException e) {
            throw new AccordionException(ErrorCode.DATABASE, "cannot read whether another process asked "
                    + run.phase().label() + " to stop: " + e.getMessage().strip()
                    + "\nCheck the connection to the server, then run the same command again; finished steps are kept.", e);
        }
        if (reason.isPresent()) {
            throw new AccordionException(ErrorCode.STOPPED, String.format(
                    "%s of migration \"%s\" stopped %s step %d of %d (%s): %s.%n"
                            + "It stopped between two units of work, so nothing is half done.",
                    capitalized(run.phase()), run.migration(), where, run.number(), run.total(), run.step().summary(),
                    reason.get()));
        }
    }

    private AccordionException failed(StepRun run, SQLException e) {
        return new AccordionException(ErrorCode.DATABASE, String.format(
                "%s of migration \"%s\" stopped at step %d of %d (%s, id %s): the database refused it: %s%n"
                        + "Steps before it are done and journaled%s. Fix the cause, then run the same command again to continue%s.",
                capitalized(run.phase()), run.migration(), run.number(), run.total(), run.step().summary(), run.step().id(),
                e.getMessage().strip(), keptProgress(run.step()),
                run.phase() == Phase.ROLLBACK ? "" : ", or run \"accordion rollback\" to undo the migration"), e);
    }

    private static String keptProgress(Step step) {
        return step instanceof BatchedStep ? "; this step's committed batches are checkpointed and are not redone" : "";
    }

    private AccordionException lockTimedOut(StepRun run, int attempts, List<BlockingSession> blockers) {
        String migration = run.migration();
        Phase phase = run.phase();
        Step step = run.step();
        Instant now = Instant.now();
        String who = blockers.isEmpty() ? "  (the blocking sessions had gone by the time they were looked up)"
                : blockers.stream().map(b -> "  - " + b.describe(now)).collect(Collectors.joining("\n"));
        return new AccordionException(ErrorCode.LOCK_TIMEOUT, String.format(
                "%s of migration \"%s\" could not take the locks to %s (%s): %d attempts of %d ms each "
                        + "failed within the %d s deadline. Sessions holding the lock:%n%s%n"
                        + "Wait for them to finish (or end them), then run the same command again; finished steps are kept%s.",
                capitalized(phase), migration, step.summary(), String.join(", ", step.locks().stream().map(Object::toString).toList()),
                attempts, policy.lockTimeout().toMillis(), policy.deadline().toSeconds(), who,
                step instanceof BatchedStep ? ", and so are this step's committed batches" : ""), Hint.LOCK_RETRY_DEADLINE);
    }

    private static String capitalized(Phase phase) {
        String label = phase.label();
        return Character.toUpperCase(label.charAt(0)) + label.substring(1);
    }
}
