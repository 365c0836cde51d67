package dev.accordion.postgres.ops;

import dev.accordion.migration.RawSql;
import dev.accordion.plan.SqlStep;
import dev.accordion.plan.UndoStep;
import dev.accordion.sql.Identifier;
import java.util.List;

/**
 * User SQL runs as written, in one transaction with the usual lock timeout: {@code up} at start
 * (or at complete with onComplete), {@code down} at rollback. Which locks it takes is up to it.
 */
final class RawSqlPlanner implements OperationPlanner<RawSql> {

    @Override
    public void plan(RawSql op, OperationContext context) {
        if (!op.runsOnComplete() && op.down() != null) {
            context.start().inTransaction("up", "run the migration's SQL", List.of(), op.up().text());
        } else if (!op.runsOnComplete()) {
            // Without down, rollback cannot undo it: the step's journal entry outlives the rollback, so starting again
            // does not run it twice. Its id carries a hash of the SQL, so an edited statement does run.
            PhaseSteps start = context.start();
            start.add(new SqlStep(start.id("up-" + Identifier.shortHash(op.up().text())),
                    "run the migration's SQL (no down: rollback leaves its effects)", true, List.of(), List.of(op.up().text()), true));
        }
        // SQL that runs at complete may change columns the live new version's views depend on, so
        // MigrationPlanner runs it in one transaction with the rebuild of those views.
        if (op.down() != null && op.runsOnComplete()) {
            context.rollback().inTransaction("down", "run the migration's down SQL", List.of(), op.down().text());
        } else if (op.down() != null) {
            // A start that stopped before its up ran leaves nothing for down to undo.
            PhaseSteps rollback = context.rollback();
            rollback.add(new UndoStep(new SqlStep(rollback.id("down"), "run the migration's down SQL", true, List.of(),
                    List.of(op.down().text())), context.start().id("up")));
        }
    }
}
