package dev.accordion.plan;

import dev.accordion.sql.QualifiedName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A step that works through a table in batches (a backfill). The executor runs each batch in its own
 * transaction with the step's lock timeout, and saves the returned position as a checkpoint in that same
 * transaction, so an interrupted run resumes after the last committed batch and memory stays flat
 * whatever the table size. {@link #transactional()} is false: no transaction spans the whole step.
 */
public interface BatchedStep extends Step {

    /**
     * Runs one batch of at most {@code size} rows after {@code after} (empty: from the beginning), inside the
     * transaction the executor opened on {@code connection}.
     */
    Batch runBatch(Connection connection, Optional<String> after, int size) throws SQLException;

    /** How many rows the whole step will visit, estimated cheaply (planner statistics), for progress. */
    long estimatedRows(Connection connection) throws SQLException;

    /**
     * The table the batches work on, so that the executor can yield to sessions waiting for a lock on it between
     * batches; empty when there is none to name.
     */
    default Optional<QualifiedName> tableWorkedOn() {
        return Optional.empty();
    }

    @Override
    default boolean transactional() {
        return false;
    }

    /**
     * What one batch did: where it stopped ({@code position}, opaque to the executor; empty when nothing was
     * left to visit), how many rows it visited, and whether the step is finished.
     */
    record Batch(Optional<String> position, long rowsVisited, boolean finished) {

        public static Batch last(Optional<String> position, long rowsVisited) {
            return new Batch(position, rowsVisited, true);
        }
    }
}
