package dev.accordion.execute;

import dev.accordion.spi.BlockingSession;
import dev.accordion.spi.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Finds out who blocks a waiting statement while it still waits: once the lock wait is about to
 * time out the blockers are gone from view, so a second connection asks just before that.
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

    Watch watch(int waitingPid, Duration lockTimeout) {
        AtomicReference<List<BlockingSession>> seen = new AtomicReference<>(List.of());
        long delay = Math.max(1, lockTimeout.toMillis() * 7 / 10);
        ScheduledFuture<?> task = SCHEDULER.schedule(() -> {
            synchronized (probe) {
                try {
                    seen.set(dialect.blockingSessions(probe, waitingPid));
                } catch (SQLException e) {
                    seen.set(List.of());
                }
            }
        }, delay, TimeUnit.MILLISECONDS);
        return new Watch(task, seen, probe);
    }

    record Watch(ScheduledFuture<?> task, AtomicReference<List<BlockingSession>> seen, Object probeLock) {
        List<BlockingSession> blockers() {
            synchronized (probeLock) {
                return seen.get();
            }
        }

        void stop() {
            task.cancel(false);
            synchronized (probeLock) {
                // wait for a probe in flight, so that the probe connection is free when the watch ends
            }
        }
    }
}
