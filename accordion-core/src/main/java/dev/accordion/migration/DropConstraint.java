package dev.accordion.migration;

import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;

/**
 * Drops a single-column constraint; {@code up}/{@code down} convert the column's values (old to new, new to old).
 * A constraint over several columns is dropped with {@link DropMultiColumnConstraint}.
 */
public record DropConstraint(Identifier table, Identifier name, SqlExpr up, SqlExpr down) implements Operation {

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        ConstraintRemoval.find(before, table, name).filter(c -> c.columns().size() != 1).ifPresent(c -> problems.add(
                "constraint \"" + name + "\" covers " + c.columns().size() + " columns " + c.columns().stream()
                        .map(col -> "\"" + col + "\"").toList() + "; drop it with drop_multicolumn_constraint, whose up and down "
                        + "give an expression per column"));
        return ConstraintRemoval.apply(before, table, name, problems);
    }
}
