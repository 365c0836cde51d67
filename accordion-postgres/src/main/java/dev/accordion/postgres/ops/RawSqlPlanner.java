package dev.accordion.postgres.ops;

import dev.accordion.migration.RawSql;
import java.util.List;

/**
 * User SQL runs as written, in one transaction with the usual lock timeout: {@code up} at start
 * (or at complete with onComplete), {@code down} at rollback. Which locks it takes is up to it.
 */
final class RawSqlPlanner implements OperationPlanner<RawSql> {

    @Override
    public void plan(RawSql op, OperationContext context) {
        if (!op.runsOnComplete()) {
            context.start().inTransaction("up", "run the migration's SQL", List.of(), op.up().text());
        }
        // SQL that runs at complete may change columns the live new version's views depend on, so
        // MigrationPlanner runs it in one transaction with the rebuild of those views.
        if (op.down() != null) {
            context.rollback().inTransaction("down", "run the migration's down SQL", List.of(), op.down().text());
        }
    }
}
