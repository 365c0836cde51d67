package dev.accordion.execute;

import dev.accordion.sql.QualifiedName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Asked between two batches of a backfill whether it should wait: for replicas to catch up, for sessions queued on
 * the table, for a busy server. The executor asks every throttle before each batch, never inside a batch's
 * transaction, and waits (backing off) while any gives a reason. A throttle that fails to answer (a replica that
 * cannot be reached) is a reason to wait too, not an error: the executor says so and asks again.
 */
public interface Throttle {

    /**
     * A sentence for the user saying why the backfill should wait now, with the numbers, e.g.
     * {@code replication lag 12.3 s on replica "standby1" is above 5 s}; empty to go on.
     */
    Optional<String> reasonToWait(Context context) throws SQLException;

    /** What it watches, for the message when it fails, e.g. {@code the probe query}. */
    String describe();

    /**
     * Whether its reason tells that the server or its replicas suffer (a slow probe query, replication lag), so that a
     * long enough wait on it may abort the start ({@link BackfillThrottling#abortAfter}); sessions queued on a lock are
     * a passing matter, not degradation.
     */
    default boolean tellsOfDegradation() {
        return false;
    }

    /**
     * What a throttle may use: the runner's second connection (the one that holds the runner lock; no transaction is
     * open on it), the worker's backend pid (to tell our own locks from others'), and the table the backfill works on.
     */
    record Context(Connection probe, int workerPid, Optional<QualifiedName> table) {
    }
}
