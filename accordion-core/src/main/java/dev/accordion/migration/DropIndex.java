package dev.accordion.migration;

import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import java.util.Optional;

public record DropIndex(Identifier name) implements Operation {

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        if (!Require.present(name, "name", problems)) {
            return before;
        }
        Optional<Table> owner = before.tableOfIndex(name);
        if (owner.isEmpty()) {
            problems.add("index \"" + name + "\" does not exist (an index that backs a constraint is dropped with drop_constraint)");
            return before;
        }
        return before.mapTable(owner.get().name(),
                t -> t.withIndexes(t.indexes().stream().filter(i -> !i.name().equals(name)).toList()));
    }
}
