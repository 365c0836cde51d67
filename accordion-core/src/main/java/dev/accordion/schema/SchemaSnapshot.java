package dev.accordion.schema;

import dev.accordion.migration.Operation;
import dev.accordion.sql.Identifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * An immutable picture of one schema's tables as one version sees them. Operations are applied to
 * it to validate a migration and to learn the shape of the new version; nothing here touches a
 * database.
 */
public record SchemaSnapshot(List<Table> tables) {

    public static final SchemaSnapshot EMPTY = new SchemaSnapshot(List.of());

    public SchemaSnapshot {
        tables = List.copyOf(tables);
    }

    public Optional<Table> table(Identifier name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Whether a table, or an index or index-backed constraint, already uses this name in the schema. */
    public boolean relationNameTaken(Identifier name) {
        return tables.stream().anyMatch(t -> t.name().equals(name) || t.physicalName().equals(name)
                || t.indexes().stream().anyMatch(i -> i.name().equals(name))
                || t.constraints().stream().anyMatch(c -> c.hasIndex() && c.name().equals(name)));
    }

    /** The table that holds the named index, if any. */
    public Optional<Table> tableOfIndex(Identifier indexName) {
        return tables.stream().filter(t -> t.index(indexName).isPresent()).findFirst();
    }

    public SchemaSnapshot apply(Operation operation, Problems problems) {
        return operation.applyTo(this, problems);
    }

    public SchemaSnapshot withTable(Table table) {
        List<Table> all = new ArrayList<>(tables);
        all.add(table);
        return new SchemaSnapshot(all);
    }

    public SchemaSnapshot withoutTable(Identifier name) {
        return new SchemaSnapshot(tables.stream().filter(t -> !t.name().equals(name)).toList());
    }

    public SchemaSnapshot mapTable(Identifier name, UnaryOperator<Table> change) {
        return new SchemaSnapshot(tables.stream().map(t -> t.name().equals(name) ? change.apply(t) : t).toList());
    }

    /** The schema once the migration is complete: every physical name equals its logical name. */
    public SchemaSnapshot settled() {
        return new SchemaSnapshot(tables.stream().map(Table::settled).toList());
    }
}
