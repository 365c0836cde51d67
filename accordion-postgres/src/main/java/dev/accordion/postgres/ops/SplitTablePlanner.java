package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.migration.SplitTable;
import dev.accordion.plan.LockLevel;
import dev.accordion.plan.SqlStep;
import dev.accordion.plan.StepId;
import dev.accordion.postgres.Locks;
import dev.accordion.postgres.sync.SplitBackfill;
import dev.accordion.postgres.sync.SplitSync;
import dev.accordion.postgres.sync.Syncs;
import dev.accordion.schema.Column;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.Literal;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * split_table (DESIGN §2): at start, one transaction creates the split table with its key referencing the source
 * (ON DELETE CASCADE, and ON UPDATE CASCADE so that a change of a source key, which the old version may make, cannot
 * fail) and installs the triggers of {@link SplitSync}; then {@link SplitBackfill} copies the existing rows. The
 * source keeps its columns for the old version until complete, which drops the split table's trigger, then the
 * source's triggers with the moved columns; rollback drops the triggers and the split table.
 */
final class SplitTablePlanner implements OperationPlanner<SplitTable> {

    @Override
    public void plan(SplitTable op, OperationContext context) {
        Table table = context.tableBefore(op.table());
        if (!context.syncs().existedBefore(table)) {
            throw new IllegalArgumentException("split_table: table \"" + op.table() + "\" is created in this same migration, so no "
                    + "rows or old-version writes need to be split; declare table \"" + op.into() + "\" with create_table instead");
        }
        Column key = table.column(table.primaryKey().orElseThrow().columns().get(0)).orElseThrow();
        QualifiedName source = context.physical(table);
        QualifiedName into = context.qualified(op.into());
        List<SplitSync.Moved> moved = new ArrayList<>();
        for (Map.Entry<Identifier, Identifier> column : op.columns().entrySet()) {
            moved.add(new SplitSync.Moved(table.column(column.getKey()).orElseThrow().physicalName(), column.getValue()));
        }
        SplitSync sync = new SplitSync(source, key.physicalName(), into, op.key(), moved);

        List<String> start = new ArrayList<>(createTable(op, context.tableAfter(op.into()), into, source, key));
        start.addAll(sync.install());
        context.start().inTransaction("create", "create table " + SQL.quote(into) + " and the triggers that keep it in sync with "
                        + SQL.quote(source), List.of(Locks.on(LockLevel.SHARE_ROW_EXCLUSIVE, source)), start.toArray(String[]::new));
        context.start().add(new SplitBackfill(context.start().id("backfill"), source, key.physicalName(), SqlExpr.of(key.type()),
                into, op.key(), moved));

        // The old version's views are gone when complete gets here; the new version's views use no moved column.
        // Two transactions, each locking one table: clients of the new version lock the two tables in either order
        // (a join reads the source first, a write to the split table checks its key in the source next), so one
        // transaction taking both, in any order, deadlocks with some of them until its lock timeout, every attempt.
        // Between the two, the split table's writes no longer reach the moved columns, which no one reads any more.
        context.complete().inTransaction("drop-into-trigger", "stop copying writes of " + SQL.quote(into) + " back to "
                + SQL.quote(source), List.of(Locks.accessExclusive(into)), sync.removeIntoTrigger());
        List<String> removal = new ArrayList<>(sync.removeSourceTriggers());
        removal.addAll(sync.removeFunctions());
        List<String> complete = new ArrayList<>(removal);
        complete.add(SQL.format("ALTER TABLE {} ", source) + String.join(", ", moved.stream()
                .map(m -> SQL.format("DROP COLUMN IF EXISTS {}", m.source())).toList()));
        StepId drop = context.complete().id("drop");
        context.complete().inTransaction("drop", "drop the sync triggers and the moved columns of " + SQL.quote(source),
                List.of(Locks.accessExclusive(source)), complete.toArray(String[]::new));
        // Another operation's sync trigger on the source may read a moved column: they then go with that trigger.
        context.syncs().columnDroppedAtComplete(new Syncs.ColumnDrop(table, moved.stream().map(SplitSync.Moved::source).toList(),
                drop, List.of(), Optional.of(new SqlStep(drop, "drop the split's sync triggers of " + SQL.quote(source),
                true, List.of(Locks.accessExclusive(source)), removal))));

        // The new version schema is gone when rollback gets here, and the old version's clients lock the source
        // before the split table (its triggers and its foreign key's cascades write the split table), so this
        // transaction takes them in that order too. The split table takes its own trigger along.
        List<String> rollback = new ArrayList<>(sync.removeSourceTriggers());
        rollback.add(SQL.format("DROP TABLE IF EXISTS {}", into));
        rollback.addAll(sync.removeFunctions());
        context.rollback().inTransaction("drop", "drop the sync triggers and table " + SQL.quote(into),
                List.of(Locks.accessExclusive(source), Locks.accessExclusive(into)), rollback.toArray(String[]::new));
    }

    private static List<String> createTable(SplitTable op, Table split, QualifiedName into, QualifiedName source, Column key) {
        List<String> parts = new ArrayList<>();
        for (Column column : split.columns()) {
            String definition = SQL.format("{} {}", column.name(), SqlExpr.of(column.type()))
                    + column.defaultExpr().map(d -> SQL.format(" DEFAULT {}", SqlExpr.of(d))).orElse("")
                    + (column.nullable() ? "" : " NOT NULL");
            parts.add(definition);
        }
        parts.add(SQL.format("CONSTRAINT {} PRIMARY KEY ({})", op.primaryKeyName(), op.key()));
        parts.add(SQL.format("CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) ON UPDATE CASCADE ON DELETE CASCADE",
                op.foreignKeyName(), op.key(), source, key.physicalName()));
        List<String> sql = new ArrayList<>();
        sql.add(SQL.format("CREATE TABLE {} (\n  ", into) + String.join(",\n  ", parts) + "\n)");
        for (Column column : split.columns()) {
            column.comment().ifPresent(comment -> sql.add(SQL.format("COMMENT ON COLUMN {}.{} IS {}", into, column.name(),
                    Literal.of(comment))));
        }
        return sql;
    }
}
