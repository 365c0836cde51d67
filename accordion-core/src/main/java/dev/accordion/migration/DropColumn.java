package dev.accordion.migration;

import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import java.util.Optional;

/** Drops a column; {@code down} computes it for rows written through the new version. */
public record DropColumn(Identifier table, Identifier column, SqlExpr down) implements Operation {

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        boolean named = Require.present(table, "table", problems) & Require.present(column, "column", problems);
        Optional<Table> target = named ? Require.table(before, table, problems) : Optional.empty();
        if (target.isEmpty() || Require.column(target.get(), column, problems).isEmpty()) {
            return before;
        }
        if (target.get().columns().size() == 1) {
            problems.add("column \"" + column + "\" is the only column of table \"" + table + "\"; drop the table instead");
        }
        target.get().primaryKey().filter(pk -> pk.columns().contains(column)).ifPresent(pk ->
                problems.add("column \"" + column + "\" is part of primary key \"" + pk.name() + "\" of table \"" + table
                        + "\"; drop or replace the primary key first"));
        return before.mapTable(table, t -> t.withoutColumn(column));
    }
}
