package dev.accordion.spi;

import dev.accordion.execute.StopSignal;
import dev.accordion.plan.Phase;
import dev.accordion.plan.StepId;
import dev.accordion.sql.Identifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Where Accordion keeps migration history, the step journal and checkpoints, inside the database. */
public interface StateStore {

    /** Creates the state schema and tables if missing. Idempotent and safe to run concurrently. */
    void init();

    boolean isInitialized();

    /**
     * Whether every table this version of Accordion uses exists; false when an older Accordion created the state
     * schema, which {@link #init()} then brings up to date.
     */
    default boolean isCurrent() {
        return isInitialized();
    }

    /** Every migration of a schema, oldest first, including the active one. */
    List<MigrationRecord> history(Identifier schema);

    default Optional<MigrationRecord> latest(Identifier schema) {
        List<MigrationRecord> all = history(schema);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    default Optional<MigrationRecord> active(Identifier schema) {
        return latest(schema).filter(r -> r.status().isActive());
    }

    /** The latest migration that is complete: its version schema is the one to keep at rollback. */
    default Optional<MigrationRecord> latestComplete(Identifier schema) {
        return history(schema).stream().filter(r -> !r.status().isActive()).reduce((a, b) -> b);
    }

    void insert(MigrationRecord record);

    void updateStatus(Identifier schema, String name, MigrationStatus status);

    /** Removes a rolled-back migration, its journal and its checkpoints. */
    void delete(Identifier schema, String name);

    /**
     * Removes a rolled-back migration but keeps the journal entries of start steps that rollback cannot undo, so
     * that starting the same migration again does not redo what is still there.
     */
    default void delete(Identifier schema, String name, Set<StepId> keptStartSteps) {
        delete(schema, name);
    }

    Journal journal(Identifier schema, String migration, Phase phase);

    /**
     * Asks the start of {@code migration} that another runner is running to stop, so that a rollback can undo it. The
     * request is made on {@code requester}, the asking runner's own connection, and lapses when that connection ends.
     * Answers false, asking nothing, when the migration is not starting (its start has already finished).
     */
    default boolean requestRollback(Connection requester, Identifier schema, String migration) throws SQLException {
        return false;
    }

    /** What the start of {@code migration} asks to learn whether a rollback wants it to stop. */
    default StopSignal rollbackRequests(Identifier schema, String migration) {
        return StopSignal.NONE;
    }

    /**
     * Marks a starting migration active, unless a rollback asked for it to stop in the meantime: then it answers that
     * request's words (as {@link StopSignal#stopRequested}) and changes nothing. One of the two always wins whole:
     * a request that comes after the migration became active finds nothing to stop.
     */
    default Optional<String> activate(Identifier schema, String name) {
        updateStatus(schema, name, MigrationStatus.ACTIVE);
        return Optional.empty();
    }

    /**
     * Keeps the scans each index that {@code migration}'s complete drops has now (when its start begins, and again when
     * complete refuses because they grew), replacing what was kept.
     */
    default void saveIndexScans(Identifier schema, String migration, List<IndexUse> scans) {
    }

    /** What {@link #saveIndexScans} kept last. */
    default List<IndexUse> indexScans(Identifier schema, String migration) {
        return List.of();
    }

    /** Keeps the last watch of each version schema of {@code schema}, replacing the one before. */
    default void saveClientWatch(Identifier schema, dev.accordion.ClientWatch watch) {
    }

    /** The last watch of each version schema of {@code schema}, in the order they ended. */
    default List<dev.accordion.ClientWatch> clientWatches(Identifier schema) {
        return List.of();
    }

    /** The pause and the backfill progress of a schema; a store that keeps neither answers {@link BackfillBoard#NONE}. */
    default BackfillBoard backfillBoard(Identifier schema) {
        return BackfillBoard.NONE;
    }
}
