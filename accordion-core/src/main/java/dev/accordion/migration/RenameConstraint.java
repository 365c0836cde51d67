package dev.accordion.migration;

import dev.accordion.schema.Constraint;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import java.util.Optional;

public record RenameConstraint(Identifier table, Identifier from, Identifier to) implements Operation {

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        boolean named = Require.present(table, "table", problems) & Require.present(from, "from", problems)
                & Require.present(to, "to", problems);
        Optional<Table> target = named ? Require.table(before, table, problems) : Optional.empty();
        if (target.isEmpty()) {
            return before;
        }
        Optional<Constraint> existing = target.get().constraint(from);
        if (existing.isEmpty()) {
            problems.add("constraint \"" + from + "\" does not exist on table \"" + table + "\""
                    + Require.known("constraints", target.get().constraints().stream().map(Constraint::name).toList()));
            return before;
        }
        if (target.get().constraint(to).isPresent() || (existing.get().hasIndex() && before.relationNameTaken(to))) {
            problems.add("constraint \"" + to + "\" already exists, or the name is taken by a table or index; choose another name");
        }
        return before.mapTable(table, t -> t.withConstraints(
                t.constraints().stream().map(c -> c.name().equals(from) ? c.renamed(to) : c).toList()));
    }
}
