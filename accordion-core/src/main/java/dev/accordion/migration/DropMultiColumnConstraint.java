package dev.accordion.migration;

import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import java.util.Map;

/** Drops a constraint over several columns; {@code up}/{@code down} map each column to its expression. */
public record DropMultiColumnConstraint(Identifier table, Identifier name, Map<Identifier, SqlExpr> up,
                                        Map<Identifier, SqlExpr> down) implements Operation {

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        ConstraintRemoval.find(before, table, name).ifPresent(c -> {
            ConstraintRemoval.expressionsNameConstrainedColumns("up", up, name, c.columns(), problems);
            ConstraintRemoval.expressionsNameConstrainedColumns("down", down, name, c.columns(), problems);
        });
        return ConstraintRemoval.apply(before, table, name, problems);
    }
}
