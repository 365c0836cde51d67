package dev.accordion.postgres.ops;

import dev.accordion.plan.LockClaim;
import dev.accordion.plan.Step;
import dev.accordion.plan.StepId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A transactional step whose statements are decided when it runs, from the catalog as it is then
 * (the views a version schema really holds, the tables user SQL created); {@code plannedSql} is
 * what the plan shows beforehand.
 */
record CatalogStep(StepId id, String summary, List<LockClaim> locks, List<String> plannedSql, AtRunTime atRunTime)
        implements Step {

    /**
     * Computes the statements from the connection that is about to run them. It runs inside the step's transaction,
     * with the step's lock timeout, so it may also run statements whose effect the rest depends on.
     */
    @FunctionalInterface
    interface AtRunTime {
        List<String> statements(Connection connection) throws SQLException;
    }

    CatalogStep {
        locks = List.copyOf(locks);
        plannedSql = List.copyOf(plannedSql);
    }

    @Override
    public boolean transactional() {
        return true;
    }

    @Override
    public List<String> sqlToRun(Connection connection) throws SQLException {
        return atRunTime.statements(connection);
    }
}
