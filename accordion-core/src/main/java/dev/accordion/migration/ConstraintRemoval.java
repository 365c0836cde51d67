package dev.accordion.migration;

import dev.accordion.schema.Column;
import dev.accordion.schema.Constraint;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What drop_constraint and drop_multicolumn_constraint share: the constraint must exist, then it is gone, and the new
 * version sees each of its columns in a shadow column without it (pgroll's model), which takes the column's name at
 * complete.
 */
final class ConstraintRemoval {

    private ConstraintRemoval() {
    }

    /** The constraint {@code name} of {@code table}, if both exist (no problem is added when they do not). */
    static Optional<Constraint> find(SchemaSnapshot schema, Identifier table, Identifier name) {
        return table == null || name == null ? Optional.empty() : schema.table(table).flatMap(t -> t.constraint(name));
    }

    /** Problems for {@code up}/{@code down} entries that name a column the constraint does not cover (shared with create_constraint). */
    static void expressionsNameConstrainedColumns(String field, Map<Identifier, SqlExpr> expressions, Identifier constraint,
                                                  List<Identifier> columns, Problems problems) {
        if (expressions == null) {
            return;
        }
        for (Identifier column : expressions.keySet()) {
            if (!columns.contains(column)) {
                problems.add(field + " names column \"" + column + "\", which is not a column of constraint \"" + constraint
                        + "\"" + Require.known("columns", columns));
            }
        }
    }

    static SchemaSnapshot apply(SchemaSnapshot before, Identifier table, Identifier name, Problems problems) {
        boolean named = Require.present(table, "table", problems) & Require.present(name, "name", problems);
        Optional<Table> target = named ? Require.table(before, table, problems) : Optional.empty();
        if (target.isEmpty()) {
            return before;
        }
        if (target.get().constraint(name).isEmpty()) {
            problems.add("constraint \"" + name + "\" does not exist on table \"" + table + "\""
                    + Require.known("constraints", target.get().constraints().stream().map(Constraint::name).toList()));
            return before;
        }
        List<Identifier> columns = target.get().constraint(name).orElseThrow().columns();
        return before.mapTable(table, t -> {
            Table result = t.withConstraints(t.constraints().stream().filter(c -> !c.name().equals(name)).toList());
            for (Identifier column : columns) {
                result = result.mapColumn(column, Column::inShadow);
            }
            return result;
        });
    }
}
