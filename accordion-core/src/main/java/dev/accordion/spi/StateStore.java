package dev.accordion.spi;

import dev.accordion.plan.Phase;
import dev.accordion.plan.StepId;
import dev.accordion.sql.Identifier;
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

    /** The pause and the backfill progress of a schema; a store that keeps neither answers {@link BackfillBoard#NONE}. */
    default BackfillBoard backfillBoard(Identifier schema) {
        return BackfillBoard.NONE;
    }
}
