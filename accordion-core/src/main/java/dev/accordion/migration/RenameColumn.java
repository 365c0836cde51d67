package dev.accordion.migration;

import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import java.util.Optional;

public record RenameColumn(Identifier table, Identifier from, Identifier to) implements Operation {

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        boolean named = Require.present(table, "table", problems) & Require.present(from, "from", problems)
                & Require.present(to, "to", problems);
        Optional<Table> target = named ? Require.table(before, table, problems) : Optional.empty();
        if (target.isEmpty() || Require.column(target.get(), from, problems).isEmpty()) {
            return before;
        }
        Require.newColumnName(target.get(), to, problems);
        return before.mapTable(table, t -> t.withColumnRenamed(from, to));
    }
}
