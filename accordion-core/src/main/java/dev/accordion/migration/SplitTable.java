package dev.accordion.migration;

import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import java.util.Map;
import java.util.Optional;

/** Moves columns of {@code table} into a new 1:1 table {@code into}, keyed by {@code key}; {@code columns} maps old to new names. */
public record SplitTable(Identifier table, Identifier into, Identifier key, Map<Identifier, Identifier> columns) implements Operation {

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        boolean named = Require.present(table, "table", problems) & Require.present(into, "into", problems)
                & Require.present(key, "key", problems) & Require.present(columns, "columns", problems);
        Optional<Table> source = named ? Require.table(before, table, problems) : Optional.empty();
        if (source.isEmpty()) {
            return before;
        }
        columns.keySet().forEach(c -> Require.column(source.get(), c, problems));
        Require.newTableName(before, into, problems);
        problems.add("split_table is not supported yet");
        return before;
    }
}
