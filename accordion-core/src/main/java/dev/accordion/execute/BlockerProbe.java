package dev.accordion.execute;

import dev.accordion.spi.BlockingSession;
import dev.accordion.spi.Dialect;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
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

    Watch watch(int waitingPid, Duration lockTimeout) {
        long delay = Math.max(1, lockTimeout.toMillis() * 7 / 10);
        return new Watch(SCHEDULER.schedule(() -> dialect.blockingSessions(probe, waitingPid), delay, TimeUnit.MILLISECONDS));
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
