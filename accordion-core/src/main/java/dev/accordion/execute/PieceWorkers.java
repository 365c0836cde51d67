package dev.accordion.execute;

import dev.accordion.spi.ConnectionSource;
import dev.accordion.spi.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The connections and threads of a backfill's workers beyond the first, which run the pieces of split batches. The
 * first piece of a batch runs on the caller's connection and thread, the others here, one per connection.
 */
final class PieceWorkers implements AutoCloseable {

    /** One piece's work on a connection. */
    @FunctionalInterface
    interface PieceRun {
        void run(Connection connection, String piece) throws SQLException;
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final List<Connection> connections;
    private final List<Integer> pids;
    private final ExecutorService threads;

    private PieceWorkers(List<Connection> connections, List<Integer> pids) {
        this.connections = connections;
        this.pids = pids;
        this.threads = Executors.newFixedThreadPool(connections.size(), runnable -> {
            Thread thread = new Thread(runnable, "accordion-backfill-worker-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Opens {@code count} connections and asks each its server process; none is left open if one fails. */
    static PieceWorkers open(ConnectionSource source, int count, Dialect dialect) throws SQLException {
        List<Connection> opened = new ArrayList<>();
        List<Integer> pids = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                opened.add(source.open());
                pids.add(dialect.backendPid(opened.get(i)));
            }
        } catch (SQLException | RuntimeException e) {
            opened.forEach(PieceWorkers::closeQuietly);
            throw e;
        }
        return new PieceWorkers(opened, List.copyOf(pids));
    }

    /** The server processes of this pool's connections, for naming whom a piece waits for. */
    List<Integer> pids() {
        return pids;
    }

    /**
     * Runs each piece, the first on {@code first} in this thread and the rest on this pool's connections, and returns
     * once every piece has ended. When pieces fail, it throws after all have ended, so no piece still runs when the
     * batch is retried: a failure that {@code retryable} does not accept ahead of one it does, the others suppressed.
     */
    void runAll(Connection first, List<String> pieces, PieceRun run, Predicate<SQLException> retryable) throws SQLException {
        if (pieces.size() > connections.size() + 1) {
            throw new IllegalArgumentException(pieces.size() + " pieces for " + (connections.size() + 1) + " workers");
        }
        List<Future<?>> others = new ArrayList<>();
        for (int i = 1; i < pieces.size(); i++) {
            Connection connection = connections.get(i - 1);
            String piece = pieces.get(i);
            others.add(threads.submit(() -> {
                run.run(connection, piece);
                return null;
            }));
        }
        List<SQLException> failures = new ArrayList<>();
        if (!pieces.isEmpty()) {
            try {
                run.run(first, pieces.get(0));
            } catch (SQLException e) {
                failures.add(e);
            } catch (RuntimeException e) {
                failures.add(unexpected(e));
            }
        }
        for (Future<?> other : others) {
            awaitPiece(other, failures);
        }
        if (!failures.isEmpty()) {
            SQLException thrown = failures.stream().filter(retryable.negate()).findFirst().orElse(failures.get(0));
            failures.stream().filter(f -> f != thrown).forEach(thrown::addSuppressed);
            throw thrown;
        }
    }

    private static void awaitPiece(Future<?> piece, List<SQLException> failures) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    piece.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the piece holds a transaction on its connection: let it end first
                } catch (ExecutionException e) {
                    failures.add(e.getCause() instanceof SQLException sql ? sql : unexpected(e.getCause()));
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static SQLException unexpected(Throwable failure) {
        return new SQLException("a backfill worker failed: " + failure, failure);
    }

    @Override
    public void close() {
        threads.shutdownNow();
        connections.forEach(PieceWorkers::closeQuietly);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // a connection that fails to close is gone either way
        }
    }
}
