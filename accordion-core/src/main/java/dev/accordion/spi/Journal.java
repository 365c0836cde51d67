package dev.accordion.spi;

import dev.accordion.plan.StepId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** The finished steps of one phase of one migration, and the checkpoints of that phase's batched steps. */
public interface Journal {

    Set<StepId> finished();

    /** Records a step as finished, on the connection that ran it, so it commits with the step's own transaction. */
    void record(Connection connection, StepId step) throws SQLException;

    /** Where a batched step of this phase stopped, if an earlier run committed any of its batches. */
    Optional<Checkpoint> checkpoint(StepId step);

    /** Saves a batched step's progress on the connection that ran the batch, so it commits with the batch. */
    void saveCheckpoint(Connection connection, StepId step, Checkpoint checkpoint) throws SQLException;

    /** When this phase last made progress: its latest journaled step or committed batch; empty before the first. */
    default Optional<Instant> lastProgress() {
        return Optional.empty();
    }
}
