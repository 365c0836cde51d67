package dev.accordion.migration;

import dev.accordion.schema.Constraint;
import dev.accordion.schema.ConstraintType;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Adds a column; {@code up} computes its value for rows written through the old version. */
public record AddColumn(Identifier table, ColumnSpec column, SqlExpr up) implements Operation {

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        boolean named = Require.present(table, "table", problems) & Require.present(column, "column", problems);
        if (!named) {
            return before;
        }
        Optional<Table> target = Require.table(before, table, problems);
        if (target.isEmpty() || !Require.present(column.name(), "column.name", problems)) {
            return before;
        }
        Require.present(column.type(), "column.type", problems);
        Require.newColumnName(target.get(), column.name(), problems);
        if (column.isPrimaryKey()) {
            problems.add("column \"" + column.name() + "\" cannot be added as a primary key; add it, then use create_constraint with type primary_key");
        }
        if (column.references() != null) {
            Require.table(before, column.references().table(), problems)
                    .ifPresent(t -> Require.column(t, column.references().column(), problems));
        }
        if (column.check() != null) {
            Require.present(column.check().name(), "column.check.name", problems);
            Require.present(column.check().constraint(), "column.check.constraint", problems);
        }
        List<Constraint> constraints = new ArrayList<>(target.get().constraints());
        if (column.check() != null && column.check().name() != null) {
            constraints.add(new Constraint(column.check().name(), ConstraintType.CHECK, List.of(column.name()), Optional.empty()));
        }
        return before.mapTable(table, t -> t.withColumn(column.toColumn()).withConstraints(constraints));
    }
}
