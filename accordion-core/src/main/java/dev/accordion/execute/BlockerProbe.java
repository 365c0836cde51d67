package dev.accordion.execute;

import dev.accordion.spi.BlockingSession;
import dev.accordion.spi.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finds out who blocks a waiting statement while it still waits: once the lock wait has timed out
 * the blockers are gone from view, so a second connection asks shortly before that.
 */
final class BlockerProbe {

    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "accordion-blocker-probe");
        thread.setDaemon(true);
        return thread;
    });

    private final Dialect dialect;
    private final Connection probe;

    BlockerProbe(Dialect dialect, Connection probe) {
        this.dialect = dialect;
        this.probe = probe;
    }

    /** Who blocks any of {@code waitingPids} (the sessions of one attempt), looked up once, at 70% of the lock timeout. */
    Watch watch(List<Integer> waitingPids, Duration lockTimeout) {
        long delay = Math.max(1, lockTimeout.toMillis() * 7 / 10);
        return new Watch(SCHEDULER.schedule(() -> blockersOf(waitingPids), delay, TimeUnit.MILLISECONDS));
    }

    private List<BlockingSession> blockersOf(List<Integer> waitingPids) throws SQLException {
        Map<Integer, BlockingSession> blockers = new LinkedHashMap<>();
        for (int waiting : waitingPids) {
            dialect.blockingSessions(probe, waiting).forEach(blocker -> blockers.putIfAbsent(blocker.pid(), blocker));
        }
        return List.copyOf(blockers.values());
    }

    /** What a reporter tells: how long the statement has waited so far, and for whom (empty while it is not waiting). */
    @FunctionalInterface
    interface Report {
        void waiting(Duration waited, List<BlockingSession> blockers);
    }

    /**
     * Looks up who blocks {@code waitingPid} after {@code first}, then at doubling intervals up to a minute, and
     * reports each look-up that finds the statement waiting; until the reporter is closed.
     */
    Reporter report(int waitingPid, Duration first, Report report) {
        Reporter reporter = new Reporter(System.nanoTime());
        reporter.schedule(() -> {
            try {
                List<BlockingSession> blockers = dialect.blockingSessions(probe, waitingPid);
                if (!blockers.isEmpty()) {
                    report.waiting(Duration.ofNanos(System.nanoTime() - reporter.began), blockers);
                }
            } catch (SQLException e) {
                // a failed look-up only means one report fewer
            }
        }, Math.max(1, first.toMillis()));
        return reporter;
    }

    /** Periodic look-ups for one statement; closing it cancels the next and waits for one in flight. */
    static final class Reporter implements AutoCloseable {

        private static final long LONGEST_MILLIS = 60_000;

        private final long began;
        private ScheduledFuture<?> next;
        private boolean closed;

        private Reporter(long began) {
            this.began = began;
        }

        private synchronized void schedule(Runnable lookUp, long delayMillis) {
            if (closed) {
                return;
            }
            next = SCHEDULER.schedule(() -> {
                lookUp.run();
                schedule(lookUp, Math.min(LONGEST_MILLIS, delayMillis * 2));
            }, delayMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            ScheduledFuture<?> pending;
            synchronized (this) {
                closed = true;
                pending = next;
            }
            if (pending != null && !pending.cancel(false)) {
                try {
                    pending.get();
                } catch (CancellationException | ExecutionException e) {
                    // a failed look-up only means one report fewer
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** One attempt's look-up; the probe connection is free again once {@link #blockers()} or {@link #stop()} returns. */
    record Watch(ScheduledFuture<List<BlockingSession>> lookup) {

        /** The sessions seen blocking the attempt; waits for a look-up in flight, empty if none ran or it failed. */
        List<BlockingSession> blockers() {
            try {
                return lookup.isCancelled() ? List.of() : lookup.get();
            } catch (CancellationException | ExecutionException e) {
                return List.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }

        void stop() {
            if (!lookup.cancel(false)) {
                blockers();
            }
        }
    }
}
