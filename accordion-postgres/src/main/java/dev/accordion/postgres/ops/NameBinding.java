package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.postgres.sync.ExpressionColumns;
import dev.accordion.postgres.sync.SyncRule;
import dev.accordion.postgres.sync.TableSync;
import dev.accordion.schema.Column;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlBuilder.Fragment;
import dev.accordion.sql.SqlExpr;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How several operations of one migration compose on a table's sync rules without rewriting user SQL. An expression
 * written over the names one operation sees is evaluated inside a sub-select whose columns carry those names, each
 * computed from the names the trigger and the backfill bind:
 * {@code (SELECT (<expression>) FROM (SELECT <value> AS "name", …) AS "_acc_bind")}. When every name the expression
 * reads is bound to itself, the expression is left as it is.
 */
final class NameBinding {

    private static final Identifier ALIAS = Identifier.of("_acc_bind");

    private NameBinding() {
    }

    /** {@code expression} over the names of {@code values}' keys, evaluated with each name bound to its value. */
    static SqlExpr bind(SqlExpr expression, Map<Identifier, SqlExpr> values) {
        Set<Identifier> read = ExpressionColumns.readBy(expression, values.keySet());
        boolean identity = read.stream().allMatch(name -> values.get(name).text().equals(SQL.quote(name)));
        if (identity) {
            return expression;
        }
        List<Fragment> columns = values.entrySet().stream().filter(e -> read.contains(e.getKey()))
                .map(e -> SQL.fragment("({}) AS {}", e.getValue(), e.getKey())).toList();
        return SqlExpr.of(SQL.format("(SELECT ({}) FROM (SELECT {}) AS {})", expression, columns, ALIAS));
    }

    /**
     * The columns of {@code table} as an operation sees it, each as an expression over the old version's names: an
     * original column is itself, a column an earlier operation gives a shadow is that shadow's up expression (cast to
     * the type this operation sees). A column the old version lacks and nothing fills is left out.
     */
    static Map<Identifier, SqlExpr> fromOldVersion(Table table, TableSync sync) {
        Map<Identifier, SqlExpr> values = new LinkedHashMap<>();
        for (Column column : table.columns()) {
            Optional<SyncRule> filled = sync.upRules().stream().filter(r -> r.target().equals(column.physicalName())).findFirst();
            Optional<Column> original = sync.oldVersion().columns().stream()
                    .filter(c -> c.physicalName().equals(column.physicalName())).findFirst();
            if (filled.isPresent()) {
                values.put(column.name(), cast(filled.get().expression(), column));
            } else {
                original.ifPresent(c -> values.put(column.name(), SqlExpr.of(SQL.quote(c.name()))));
            }
        }
        return values;
    }

    /**
     * The columns of {@code before} as expressions over the names of {@code after}: the same physical column under its
     * name there, and the altered column ({@code altered}, as {@code before} names it) as {@code alteredValue}.
     */
    static Map<Identifier, SqlExpr> fromNewVersion(Table before, Table after, Identifier altered, SqlExpr alteredValue) {
        Map<Identifier, SqlExpr> values = new LinkedHashMap<>();
        for (Column column : before.columns()) {
            if (column.name().equals(altered)) {
                values.put(column.name(), alteredValue);
            } else {
                after.columns().stream().filter(c -> c.physicalName().equals(column.physicalName())).findFirst()
                        .ifPresent(c -> values.put(column.name(), SqlExpr.of(SQL.quote(c.name()))));
            }
        }
        return values;
    }

    /** Rebinds every new-version rule of the table to the names the table has after this operation. */
    static void rebindDown(TableSync sync, Map<Identifier, SqlExpr> values) {
        for (SyncRule rule : sync.downRules()) {
            SqlExpr bound = bind(rule.expression(), values);
            if (!bound.equals(rule.expression())) {
                sync.replaceDown(rule.target(), bound);
            }
        }
    }

    static SqlExpr cast(SqlExpr expression, Column column) {
        return SqlExpr.of(SQL.format("CAST(({}) AS {})", expression, SqlExpr.of(column.type())));
    }
}
