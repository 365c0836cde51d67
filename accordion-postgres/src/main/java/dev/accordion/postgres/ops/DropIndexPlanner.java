package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.migration.DropIndex;
import dev.accordion.plan.LockLevel;
import dev.accordion.postgres.Locks;
import dev.accordion.schema.Table;
import dev.accordion.sql.QualifiedName;
import java.util.List;

/** The old version may rely on the index until it is gone, so it is dropped (concurrently) at complete. */
final class DropIndexPlanner implements OperationPlanner<DropIndex> {

    @Override
    public void plan(DropIndex op, OperationContext context) {
        Table table = context.before().tableOfIndex(op.name()).orElseThrow();
        QualifiedName index = context.qualified(op.name());
        context.complete().alone("drop", "drop index " + SQL.quote(index) + " concurrently",
                List.of(Locks.on(LockLevel.SHARE_UPDATE_EXCLUSIVE, context.physical(table))),
                SQL.format("DROP INDEX CONCURRENTLY IF EXISTS {}", index));
    }
}
