package dev.accordion.plan;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * One unit of a phase: statements that run together, inside one transaction or (for
 * {@code CONCURRENTLY} work) alone outside any. A step is journaled once it has run, so it runs at
 * most once per phase even across crashes.
 */
public interface Step {

    StepId id();

    /** What the step does, for people. */
    String summary();

    boolean transactional();

    /** The strongest lock each relation gets; empty when the step locks no table. */
    List<LockClaim> locks();

    /** The statements as planned, for {@code accordion plan} and golden tests. */
    List<String> plannedSql();

    /**
     * The statements to run now. Most steps run what they planned; a step whose work depends on what
     * the database holds at that moment (an index a crashed run left invalid) decides here.
     */
    default List<String> sqlToRun(Connection connection) throws SQLException {
        return plannedSql();
    }

    /**
     * Whether the step may wait for its locks as long as it takes instead of timing out: a {@code CONCURRENTLY}
     * statement, outside any transaction, whose locks are at most SHARE UPDATE EXCLUSIVE. Such a lock lets every read
     * and write through while it is waited for (no client queues behind it), and {@code CREATE INDEX CONCURRENTLY}
     * also waits for every older transaction in the database, which a lock timeout would turn into a failed build,
     * an invalid index and a rebuild from scratch on each retry.
     */
    default boolean waitsWithoutBlockingClients() {
        return !transactional() && !locks().isEmpty()
                && locks().stream().allMatch(claim -> claim.level().compareTo(LockLevel.SHARE_UPDATE_EXCLUSIVE) <= 0);
    }

    /**
     * Whether the step only checks, changing nothing: complete runs such checks first and {@code complete --force}
     * leaves them out, and a complete that stopped at one can still be rolled back.
     */
    default boolean checksOnly() {
        return false;
    }

    /**
     * Whether rollback leaves what this start step did in place (user SQL without {@code down}); its journal entry
     * then outlives the rollback, so that starting the migration again does not run it a second time.
     */
    default boolean survivesRollback() {
        return false;
    }

    /** For a rollback step that only undoes one start step: that step. It then runs only if the start step ran. */
    default Optional<StepId> undoes() {
        return Optional.empty();
    }
}
