package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.migration.DropConstraint;
import dev.accordion.migration.DropMultiColumnConstraint;
import dev.accordion.migration.Operation;
import dev.accordion.postgres.Locks;
import dev.accordion.schema.Column;
import dev.accordion.schema.Constraint;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlExpr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * drop_constraint and drop_multicolumn_constraint (pgroll's model): each column of the constraint gets a shadow
 * column without it, so the new version may write what the constraint forbade while the old version still meets it:
 * {@code up} turns old values into new ones (default: the value), {@code down} turns the new version's writes into
 * values the old columns accept. Complete drops the old columns, and the constraint with them, with the sync trigger;
 * the shadows take the columns' names. On a table created by the same migration the constraint is simply dropped.
 */
final class DropConstraintPlanner<O extends Operation> implements OperationPlanner<O> {

    /** The fields both operations share; drop_constraint's single expressions are keyed by its one column. */
    private record Fields(Identifier table, Identifier name, Map<Identifier, SqlExpr> up, Map<Identifier, SqlExpr> down) {
    }

    static DropConstraintPlanner<DropConstraint> single() {
        return new DropConstraintPlanner<>();
    }

    static DropConstraintPlanner<DropMultiColumnConstraint> multiColumn() {
        return new DropConstraintPlanner<>();
    }

    @Override
    public void plan(O operation, OperationContext context) {
        Fields fields = fields(operation, context);
        Table table = context.tableBefore(fields.table());
        Constraint constraint = table.constraint(fields.name()).orElseThrow();
        List<Column> columns = ConstraintColumns.of(table, constraint.columns());
        if (!context.syncs().existedBefore(table)) {
            planOnNewTable(context, table, constraint, columns);
            return;
        }
        String what = operation.kind() + " \"" + constraint.name() + "\" on \"" + table.name() + "\"";
        ConstraintColumns.refuseWhatTheShadowsCannotCarry(what, table, columns);
        ConstraintColumns.planShadows(context, table, columns, fields.up(), fields.down(), shadow -> shadow,
                Optional.of(constraint.name()));
    }

    private static Fields fields(Operation operation, OperationContext context) {
        if (operation instanceof DropMultiColumnConstraint drop) {
            return new Fields(drop.table(), drop.name(), drop.up(), drop.down());
        }
        DropConstraint drop = (DropConstraint) operation;
        Identifier column = context.tableBefore(drop.table()).constraint(drop.name()).orElseThrow().columns().get(0);
        Map<Identifier, SqlExpr> up = new HashMap<>();
        Map<Identifier, SqlExpr> down = new HashMap<>();
        Optional.ofNullable(drop.up()).ifPresent(e -> up.put(column, e));
        Optional.ofNullable(drop.down()).ifPresent(e -> down.put(column, e));
        return new Fields(drop.table(), drop.name(), up, down);
    }

    /** Nobody uses the table yet: the constraint goes at once, and the columns are renamed as the snapshot has them. */
    private static void planOnNewTable(OperationContext context, Table table, Constraint constraint, List<Column> columns) {
        QualifiedName physical = context.physical(table);
        List<String> sql = new ArrayList<>();
        sql.add(SQL.format("ALTER TABLE {} DROP CONSTRAINT {}", physical, constraint.name()));
        for (Column column : columns) {
            sql.add(SQL.format("ALTER TABLE {} RENAME COLUMN {} TO {}", physical, column.physicalName(), column.inShadow().physicalName()));
        }
        context.start().inTransaction("constraint", "drop constraint " + SQL.quote(constraint.name()) + " of " + SQL.quote(physical)
                + ", which this migration creates", List.of(Locks.accessExclusive(physical)), sql.toArray(String[]::new));
    }
}
