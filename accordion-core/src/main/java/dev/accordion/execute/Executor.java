package dev.accordion.execute;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.plan.Phase;
import dev.accordion.plan.Step;
import dev.accordion.spi.BlockingSession;
import dev.accordion.spi.Dialect;
import dev.accordion.spi.Journal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs the steps of one phase on a worker connection: each with a short lock timeout, retried with
 * backoff while locks are busy, and journaled with its own transaction so that running the phase
 * again continues after the last finished step.
 */
public final class Executor {

    private final Dialect dialect;
    private final Connection worker;
    private final BlockerProbe probe;
    private final RetryPolicy policy;
    private final ExecutionListener listener;

    public Executor(Dialect dialect, Connection worker, Connection probeConnection, RetryPolicy policy,
                    ExecutionListener listener) {
        this.dialect = dialect;
        this.worker = worker;
        this.probe = new BlockerProbe(dialect, probeConnection);
        this.policy = policy;
        this.listener = listener;
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
            listener.stepStarted(step, number, steps.size());
            Instant stepStart = Instant.now();
            runWithRetry(migration, phase, step, number, steps.size(), journal);
            listener.stepFinished(step, Duration.between(stepStart, Instant.now()));
        }
        listener.phaseFinished(migration, phase, Duration.between(phaseStart, Instant.now()));
    }

    private void runWithRetry(String migration, Phase phase, Step step, int number, int total, Journal journal) {
        Instant deadline = Instant.now().plus(policy.deadline());
        for (int attempt = 1; ; attempt++) {
            BlockerProbe.Watch watch = probe.watch(pid(), policy.lockTimeout());
            try {
                runOnce(step, journal);
                return;
            } catch (SQLException e) {
                if (!dialect.isLockTimeout(e)) {
                    throw failed(migration, phase, step, number, total, e);
                }
                List<BlockingSession> blockers = watch.blockers();
                Duration pause = policy.backoff(attempt);
                if (Instant.now().plus(pause).isAfter(deadline)) {
                    throw lockTimedOut(migration, phase, step, attempt, blockers);
                }
                listener.lockRetry(step, attempt, pause, blockers);
                pause(pause);
            } finally {
                watch.stop();
            }
        }
    }

    /** One attempt: the step's statements and its journal entry, committed together when the step is transactional. */
    private void runOnce(Step step, Journal journal) throws SQLException {
        worker.setAutoCommit(!step.transactional());
        try {
            dialect.setLockTimeout(worker, policy.lockTimeout(), step.transactional());
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

    private int pid() {
        try {
            return dialect.backendPid(worker);
        } catch (SQLException e) {
            throw new AccordionException(ErrorCode.CONNECTION, "lost the connection to the database: " + e.getMessage(), e);
        }
    }

    private static void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AccordionException(ErrorCode.INTERNAL, "interrupted while waiting to retry a lock", e);
        }
    }

    private AccordionException failed(String migration, Phase phase, Step step, int number, int total, SQLException e) {
        return new AccordionException(ErrorCode.DATABASE, String.format(
                "%s of migration \"%s\" stopped at step %d of %d (%s, id %s): the database refused it: %s%n"
                        + "Steps before it are done and journaled. Fix the cause, then run the same command again to continue%s.",
                capitalized(phase), migration, number, total, step.summary(), step.id(), e.getMessage().strip(),
                phase == Phase.ROLLBACK ? "" : ", or run \"accordion rollback\" to undo the migration"), e);
    }

    private AccordionException lockTimedOut(String migration, Phase phase, Step step, int attempts,
                                            List<BlockingSession> blockers) {
        Instant now = Instant.now();
        String who = blockers.isEmpty() ? "  (the blocking sessions had gone by the time they were looked up)"
                : blockers.stream().map(b -> "  - " + b.describe(now)).collect(Collectors.joining("\n"));
        return new AccordionException(ErrorCode.LOCK_TIMEOUT, String.format(
                "%s of migration \"%s\" could not take the locks for step \"%s\" (%s): %d attempts of %d ms each "
                        + "failed within the %d s deadline. Sessions holding the lock:%n%s%n"
                        + "Wait for them to finish (or end them), then run the same command again; finished steps are kept.",
                capitalized(phase), migration, step.summary(), String.join(", ", step.locks().stream().map(Object::toString).toList()),
                attempts, policy.lockTimeout().toMillis(), policy.deadline().toSeconds(), who));
    }

    private static String capitalized(Phase phase) {
        String label = phase.label();
        return Character.toUpperCase(label.charAt(0)) + label.substring(1);
    }
}
