package dev.accordion.spi;

import dev.accordion.plan.StepId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Where the backfills of one schema and the people watching them meet, in the state schema: the pause that
 * {@code accordion backfill pause} sets from another process, and each running backfill's progress.
 */
public interface BackfillBoard {

    /** No pause ever, and progress goes nowhere: for executors run without a state store. */
    BackfillBoard NONE = new BackfillBoard() {
        @Override
        public Optional<BackfillPause> pause(Connection connection) {
            return Optional.empty();
        }

        @Override
        public Optional<BackfillPause> pause() {
            return Optional.empty();
        }

        @Override
        public boolean setPause(Optional<String> reason, String pausedBy) {
            throw new UnsupportedOperationException("this state store keeps no pauses");
        }

        @Override
        public Optional<BackfillPause> clearPause() {
            return Optional.empty();
        }

        @Override
        public void saveProgress(Connection connection, BackfillProgress progress) {
        }

        @Override
        public void clearProgress(Connection connection, String migration, StepId step) {
        }

        @Override
        public List<BackfillProgress> progress(String migration) {
            return List.of();
        }
    };

    /** The pause, read on {@code connection} (the runner's second connection while it polls). */
    Optional<BackfillPause> pause(Connection connection) throws SQLException;

    /** The pause, read on a connection of its own. */
    Optional<BackfillPause> pause();

    /** Pauses, or replaces the reason of a pause already set; answers whether one was already set. */
    boolean setPause(Optional<String> reason, String pausedBy);

    /** Removes the pause; answers the one removed, if there was one. */
    Optional<BackfillPause> clearPause();

    /** Writes a backfill's progress on {@code connection}, in whatever transaction it has open (the batch's). */
    void saveProgress(Connection connection, BackfillProgress progress) throws SQLException;

    /** Removes a finished backfill's progress, in the transaction of its last batch. */
    void clearProgress(Connection connection, String migration, StepId step) throws SQLException;

    /** The progress of the migration's backfills that are under way (or were when their runner stopped). */
    List<BackfillProgress> progress(String migration);
}
