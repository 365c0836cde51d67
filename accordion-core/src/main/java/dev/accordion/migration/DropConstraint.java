package dev.accordion.migration;

import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;

/** Drops a single-column constraint; {@code up}/{@code down} convert the column's values. */
public record DropConstraint(Identifier table, Identifier name, SqlExpr up, SqlExpr down) implements Operation {

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        return ConstraintRemoval.apply(before, table, name, problems);
    }
}
