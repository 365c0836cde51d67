package dev.accordion.migration;

import dev.accordion.schema.Constraint;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import java.util.Optional;

/** What drop_constraint and drop_multicolumn_constraint share: the constraint must exist, then it is gone. */
final class ConstraintRemoval {

    private ConstraintRemoval() {
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
        return before.mapTable(table, t -> t.withConstraints(t.constraints().stream().filter(c -> !c.name().equals(name)).toList()));
    }
}
