package dev.accordion.plan;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A rollback step that undoes one start step and runs only if that step ran: user SQL's {@code down} after a start
 * that stopped before its {@code up} would act on what is not there (drop a table never created).
 */
public record UndoStep(Step step, StepId startStep) implements Step {

    @Override
    public StepId id() {
        return step.id();
    }

    @Override
    public String summary() {
        return step.summary();
    }

    @Override
    public boolean transactional() {
        return step.transactional();
    }

    @Override
    public List<LockClaim> locks() {
        return step.locks();
    }

    @Override
    public List<String> plannedSql() {
        return step.plannedSql();
    }

    @Override
    public List<String> sqlToRun(Connection connection) throws SQLException {
        return step.sqlToRun(connection);
    }

    @Override
    public Optional<StepId> undoes() {
        return Optional.of(startStep);
    }
}
