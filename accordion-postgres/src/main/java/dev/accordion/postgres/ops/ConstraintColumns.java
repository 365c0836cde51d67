package dev.accordion.postgres.ops;

import dev.accordion.schema.Column;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The shadow columns of the constraint operations (create_constraint, drop_constraint, drop_multicolumn_constraint):
 * one {@link ShadowColumn} per column of the constraint, all registered with the table's one sync, each under its own
 * step scope ({@code <operation>/<column>}) so that their steps keep distinct ids; what they carry over together
 * (constraints and indexes over several of them at once) is planned once for all of them.
 */
final class ConstraintColumns {

    private ConstraintColumns() {
    }

    /** The columns, as the table has them before the operation. */
    static List<Column> of(Table table, List<Identifier> columns) {
        return columns.stream().distinct().map(c -> table.column(c).orElseThrow()).toList();
    }

    /**
     * Plans a shadow for each column, which carries what the column carries (see {@link FaithfulShadow}) but the
     * constraint {@code leaving}, which the operation drops, if any. {@code up}/{@code down} hold the expressions by
     * column name; a column without one gets ShadowColumn's defaults (the old value up, the new value down).
     * {@code shape} changes the shadow (a primary key makes it NOT NULL).
     */
    static void planShadows(OperationContext context, Table table, List<Column> columns, Map<Identifier, SqlExpr> up,
                            Map<Identifier, SqlExpr> down, UnaryOperator<ShadowColumn> shape, Optional<Identifier> leaving) {
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
        FaithfulShadow.plan(context, table, columns.stream()
                .map(c -> new FaithfulShadow.Replacement(c, c.inShadow().physicalName(), c.name())).toList(), leaving);
    }

    /**
     * What the shadows cannot take over is refused before anything runs (validation turns this into a problem, and
     * refuses what only the catalog shows, like indexes with expressions over a column).
     */
    static void refuseWhatTheShadowsCannotCarry(String what, Table table, List<Column> columns) {
        for (Column column : columns) {
            if (column.isShadow()) {
                throw new IllegalArgumentException(what + ": column \"" + column.name() + "\" is already changed by an earlier "
                        + "operation of this migration; change it again in a later migration");
            }
            FaithfulShadow.refuseWhatItCannotCarry(what, table, column);
        }
    }
}
