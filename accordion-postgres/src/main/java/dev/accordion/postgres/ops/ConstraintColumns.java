package dev.accordion.postgres.ops;

import dev.accordion.schema.Column;
import dev.accordion.schema.Constraint;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The shadow columns of the constraint operations (create_constraint, drop_constraint, drop_multicolumn_constraint):
 * one {@link ShadowColumn} per column of the constraint, all registered with the table's one sync, each under its own
 * step scope ({@code <operation>/<column>}) so that their steps keep distinct ids.
 */
final class ConstraintColumns {

    private ConstraintColumns() {
    }

    /** The columns, as the table has them before the operation. */
    static List<Column> of(Table table, List<Identifier> columns) {
        return columns.stream().distinct().map(c -> table.column(c).orElseThrow()).toList();
    }

    /**
     * Plans a shadow for each column. {@code up}/{@code down} hold the expressions by column name; a column without
     * one gets ShadowColumn's defaults (the old value up, the new value down). {@code shape} changes the shadow
     * (a primary key makes it NOT NULL).
     */
    static void planShadows(OperationContext context, Table table, List<Column> columns, Map<Identifier, SqlExpr> up,
                            Map<Identifier, SqlExpr> down, UnaryOperator<ShadowColumn> shape) {
        String startScope = context.start().scope();
        String completeScope = context.complete().scope();
        String rollbackScope = context.rollback().scope();
        for (Column column : columns) {
            String own = "/" + column.name().name();
            context.start().scope(startScope + own);
            context.complete().scope(completeScope + own);
            context.rollback().scope(rollbackScope + own);
            shape.apply(ShadowColumn.of(column)).plan(context, table, column.name(),
                    Optional.ofNullable(up == null ? null : up.get(column.name())),
                    Optional.ofNullable(down == null ? null : down.get(column.name())));
        }
        context.start().scope(startScope);
        context.complete().scope(completeScope);
        context.rollback().scope(rollbackScope);
    }

    /**
     * A faithful shadow also carries the column's other constraints, indexes and identity (DESIGN §5); until
     * ShadowColumn does, an operation whose shadows would lose them is refused before anything runs (validation turns
     * this into a problem). {@code leaving} is the constraint the operation drops, if any.
     */
    static void refuseWhatTheShadowsCannotCarryYet(String what, Table table, List<Column> columns, Optional<Identifier> leaving) {
        for (Column column : columns) {
            if (column.physicalName().name().startsWith("_acc_new_")) {
                throw new IllegalArgumentException(what + ": column \"" + column.name() + "\" is already changed by an earlier "
                        + "operation of this migration; change it again in a later migration");
            }
            if (column.generation() != Column.Generation.NONE) {
                throw new IllegalArgumentException(what + ": column \"" + column.name() + "\" is an identity or generated column, "
                        + "which cannot be moved to a shadow column yet");
            }
            List<String> others = table.constraints().stream()
                    .filter(c -> c.columns().contains(column.name()) && leaving.map(l -> !l.equals(c.name())).orElse(true))
                    .map(Constraint::name).map(n -> "constraint \"" + n + "\"").toList();
            List<String> indexes = table.indexes().stream().filter(i -> i.columns().contains(column.name()))
                    .map(i -> "index \"" + i.name() + "\"").toList();
            if (!others.isEmpty() || !indexes.isEmpty()) {
                throw new IllegalArgumentException(what + ": column \"" + column.name() + "\" is also part of "
                        + String.join(", ", Stream.concat(others.stream(), indexes.stream()).toList())
                        + ", which its shadow column cannot carry over yet; drop those first, or wait for a version of "
                        + "Accordion whose shadow columns carry them");
            }
        }
    }
}
