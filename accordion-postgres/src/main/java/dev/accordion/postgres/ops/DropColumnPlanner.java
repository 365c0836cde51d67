package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.migration.DropColumn;
import dev.accordion.plan.LockClaim;
import dev.accordion.postgres.Locks;
import dev.accordion.postgres.sync.Syncs;
import dev.accordion.schema.Column;
import dev.accordion.schema.Table;
import dev.accordion.sql.QualifiedName;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The new version's view leaves the column out at start; complete drops it once the old version is gone: in a step of
 * its own, or with the sync trigger of the table when the migration gives it one (a trigger may depend on the column).
 */
final class DropColumnPlanner implements OperationPlanner<DropColumn> {

    @Override
    public void plan(DropColumn op, OperationContext context) {
        Table table = context.tableBefore(op.table());
        Column column = table.column(op.column()).orElseThrow();
        QualifiedName physical = context.physical(table);
        List<LockClaim> locks = Stream.concat(Stream.of(Locks.accessExclusive(physical)),
                DropTablePlanner.referencedTables(table, c -> c.columns().contains(column.name()), context).stream()
                        .map(Locks::accessExclusive)).toList();
        if (op.down() != null && context.syncs().existedBefore(table)) {
            // The new version's writes fill the column through down until complete drops it with the trigger, in one
            // transaction: a NOT NULL column must not outlive the trigger that fills it.
            context.syncs().of(table).down(column.physicalName(), op.down());
            context.syncs().of(table).dropAtComplete(column.physicalName());
            return;
        }
        context.syncs().columnDroppedAtComplete(new Syncs.ColumnDrop(table, List.of(column.physicalName()),
                context.complete().id("drop"), locks.subList(1, locks.size()), Optional.empty()));
        context.complete().inTransaction("drop", "drop column " + SQL.quote(column.physicalName()) + " of " + SQL.quote(physical),
                locks,
                SQL.format("ALTER TABLE {} DROP COLUMN IF EXISTS {}", physical, column.physicalName()));
    }
}
