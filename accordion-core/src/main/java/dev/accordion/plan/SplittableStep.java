package dev.accordion.plan;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A batched step whose batch can be cut into pieces that run side by side, each on a connection and in a transaction
 * of its own. The executor commits the batch's checkpoint only once every piece has committed, so a run stopped in
 * between does a batch again: running a piece twice must leave what running it once does (a backfill skips the rows
 * it already marked).
 */
public interface SplittableStep extends BatchedStep {

    /**
     * Cuts the batch of at most {@code size} rows after {@code after} into at most {@code pieces} pieces of about equal
     * size, reading only; the returned batch says where the whole batch ends, as {@link #runBatch} would.
     */
    SplitBatch splitBatch(Connection connection, Optional<String> after, int size, int pieces) throws SQLException;

    /** Runs one piece of a split batch inside the transaction the executor opened on {@code connection}. */
    void runPiece(Connection connection, String piece) throws SQLException;

    /** A batch cut into pieces (opaque to the executor), and what the whole batch does. */
    record SplitBatch(List<String> pieces, Batch batch) {
        public SplitBatch {
            pieces = List.copyOf(pieces);
        }
    }
}
