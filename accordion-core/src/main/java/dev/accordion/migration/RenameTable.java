package dev.accordion.migration;

import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.sql.Identifier;

public record RenameTable(Identifier from, Identifier to) implements Operation {

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        boolean named = Require.present(from, "from", problems) & Require.present(to, "to", problems);
        if (!named || Require.table(before, from, problems).isEmpty()) {
            return before;
        }
        Require.newTableName(before, to, problems);
        return before.mapTable(from, t -> t.renamed(to));
    }
}
