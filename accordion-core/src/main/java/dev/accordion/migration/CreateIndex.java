package dev.accordion.migration;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.accordion.schema.Index;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

public record CreateIndex(
        Identifier table,
        Identifier name,
        List<IndexField> columns,
        String method,
        Boolean unique,
        SqlExpr predicate,
        @JsonProperty("storage_parameters") SqlExpr storageParameters) implements Operation {

    /** The index methods PostgreSQL ships; an extension's method is refused rather than guessed at. */
    public static final Set<String> METHODS = Set.of("btree", "hash", "gist", "spgist", "gin", "brin");

    public CreateIndex {
        columns = columns == null ? List.of() : List.copyOf(columns);
    }

    public boolean isUnique() {
        return Boolean.TRUE.equals(unique);
    }

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        boolean named = Require.present(table, "table", problems) & Require.present(name, "name", problems);
        Optional<Table> target = named ? Require.table(before, table, problems) : Optional.empty();
        if (target.isEmpty()) {
            return before;
        }
        if (columns.isEmpty()) {
            problems.add("index \"" + name + "\" needs at least one column");
        }
        columns.forEach(field -> Require.column(target.get(), field.column(), problems));
        for (IndexField field : columns) {
            if (field.sort() != null && !Set.of("ASC", "DESC").contains(field.sort().toUpperCase())) {
                problems.add("index \"" + name + "\": sort of column \"" + field.column() + "\" must be ASC or DESC, not \"" + field.sort() + "\"");
            }
            if (field.nulls() != null && !Set.of("FIRST", "LAST").contains(field.nulls().toUpperCase())) {
                problems.add("index \"" + name + "\": nulls of column \"" + field.column() + "\" must be FIRST or LAST, not \"" + field.nulls() + "\"");
            }
        }
        if (method != null && !METHODS.contains(method.toLowerCase())) {
            problems.add("index \"" + name + "\" has unknown method \"" + method + "\" (methods: brin, btree, gin, gist, hash, spgist)");
        }
        Require.newTableName(before, name, problems);
        List<Index> indexes = new ArrayList<>(target.get().indexes());
        indexes.add(new Index(name, columns.stream().map(IndexField::column).toList(), isUnique()));
        return before.mapTable(table, t -> t.withIndexes(indexes));
    }
}
