package dev.accordion;

import dev.accordion.spi.ConnectionSource;
import dev.accordion.spi.Dialect;
import dev.accordion.sql.Identifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The two connections one phase uses: a worker that runs steps, and a holder of the per-schema
 * runner lock, which doubles as the probe that looks up blocking sessions. Closing it releases the
 * lock; a crashed runner's lock dies with its connection.
 */
final class RunnerSession implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    final Connection worker;
    final Connection holder;
    private final Dialect dialect;
    private final Identifier schema;

    private RunnerSession(Connection worker, Connection holder, Dialect dialect, Identifier schema) {
        this.worker = worker;
        this.holder = holder;
        this.dialect = dialect;
        this.schema = schema;
    }

    /**
     * What a runner that finds the lock taken does about it, once, before it waits: it may ask the holder to stop (a
     * rollback asks a running start). It answers what it asked, for the message if the wait runs out.
     */
    @FunctionalInterface
    interface OnBusy {
        OnBusy JUST_WAIT = holder -> Optional.empty();

        Optional<String> askHolder(Connection holder) throws SQLException;
    }

    static RunnerSession open(ConnectionSource connections, Dialect dialect, Identifier schema, Duration wait) {
        return open(connections, dialect, schema, wait, OnBusy.JUST_WAIT);
    }

    static RunnerSession open(ConnectionSource connections, Dialect dialect, Identifier schema, Duration wait, OnBusy onBusy) {
        Connection holder = Connections.open(connections);
        try {
            Instant giveUp = Instant.now().plus(wait);
            Optional<String> other = dialect.tryLockSchema(holder, schema);
            Optional<String> asked = other.isPresent() ? onBusy.askHolder(holder) : Optional.empty();
            while (other.isPresent()) {
                if (Instant.now().isAfter(giveUp)) {
                    throw new AccordionException(ErrorCode.CONCURRENT_RUNNER, "another Accordion runner is working on schema \""
                            + schema + "\": " + other.get() + ". Waited " + waited(wait) + " for it. "
                            + asked.map(what -> what + " ").orElse("")
                            + "Let it finish (\"accordion status\" shows its progress), then run the command again "
                            + "(a longer runner wait waits longer); if that runner is stuck, end its session with pg_terminate_backend(<its pid>).",
                            Hint.RUNNER_WAIT);
                }
                Thread.sleep(POLL.toMillis());
                other = dialect.tryLockSchema(holder, schema);
            }
            return new RunnerSession(Connections.open(connections), holder, dialect, schema);
        } catch (SQLException e) {
            Connections.closeQuietly(holder);
            throw new AccordionException(ErrorCode.DATABASE, "cannot take the runner lock for schema \"" + schema + "\": " + e.getMessage().strip()
                    + "\nNothing was changed. Check the connection to the server, then run the command again.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Connections.closeQuietly(holder);
            throw new AccordionException(ErrorCode.INTERNAL, "interrupted while waiting for another runner", e);
        } catch (RuntimeException e) {
            Connections.closeQuietly(holder);
            throw e;
        }
    }

    private static String waited(Duration wait) {
        return wait.toMillis() % 1000 == 0 ? wait.toSeconds() + " s" : wait.toMillis() + " ms";
    }

    @Override
    public void close() {
        Connections.closeQuietly(worker);
        try {
            dialect.unlockSchema(holder, schema);
        } catch (SQLException ignored) {
            // closing the connection below releases the lock as well
        }
        Connections.closeQuietly(holder);
    }
}
