package dev.accordion.migration;

import dev.accordion.schema.ConstraintType;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import java.util.List;

public record DropTable(Identifier name) implements Operation {

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        if (!Require.present(name, "name", problems) || Require.table(before, name, problems).isEmpty()) {
            return before;
        }
        List<Identifier> referencing = before.tables().stream()
                .filter(t -> !t.name().equals(name))
                .filter(t -> t.constraints().stream().anyMatch(c -> c.type() == ConstraintType.FOREIGN_KEY
                        && c.referencedTable().filter(name::equals).isPresent()))
                .map(Table::name).toList();
        if (!referencing.isEmpty()) {
            problems.add("table \"" + name + "\" is referenced by foreign keys of " + Require.list(referencing) + "; drop those constraints first (drop_constraint)");
        }
        return before.withoutTable(name);
    }
}
