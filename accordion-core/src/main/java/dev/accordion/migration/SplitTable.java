package dev.accordion.migration;

import dev.accordion.schema.Column;
import dev.accordion.schema.Constraint;
import dev.accordion.schema.ConstraintType;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Moves columns of {@code table} into a new 1:1 table {@code into}, keyed by {@code key}; {@code columns} maps old to new
 * names. The new table's key has the type of the source's single-column primary key and references it; each moved
 * column keeps its type, default and comment and is nullable there: a source row has a row in {@code into} exactly
 * when at least one moved column is not null. The new version sees the source without the moved columns.
 */
public record SplitTable(Identifier table, Identifier into, Identifier key, Map<Identifier, Identifier> columns) implements Operation {

    /** The name of the new table's primary key. */
    public Identifier primaryKeyName() {
        return Identifier.generated(into.name() + "_pkey");
    }

    /** The name of the new table's foreign key to the source. */
    public Identifier foreignKeyName() {
        return Identifier.generated(into.name() + "_" + key.name() + "_fkey");
    }

    @Override
    public SchemaSnapshot applyTo(SchemaSnapshot before, Problems problems) {
        boolean named = Require.present(table, "table", problems) & Require.present(into, "into", problems)
                & Require.present(key, "key", problems) & Require.present(columns, "columns", problems);
        Optional<Table> found = named ? Require.table(before, table, problems) : Optional.empty();
        if (found.isEmpty()) {
            return before;
        }
        Table source = found.get();
        if (columns.isEmpty()) {
            problems.add("split_table of table \"" + table + "\" moves no columns; name at least one in \"columns\"");
        }
        Require.newTableName(before, into, problems);
        if (!before.relationNameTaken(into) && before.relationNameTaken(primaryKeyName())) {
            problems.add("a table or index named \"" + primaryKeyName() + "\" already exists; split_table names the primary key of \""
                    + into + "\" so; choose another name for the new table");
        }
        Optional<Column> sourceKey = singleColumnPrimaryKey(source, problems);
        List<Column> moved = new ArrayList<>();
        Set<Identifier> newNames = new HashSet<>(Set.of(key));
        columns.forEach((from, to) -> {
            Optional<Column> column = Require.column(source, from, problems);
            if (to == null) {
                problems.add("column \"" + from + "\" needs a new name in \"columns\" (old name: new name)");
                return;
            }
            if (!newNames.add(to)) {
                problems.add("table \"" + into + "\" would get two columns named \"" + to + "\"; give each moved column its own name, "
                        + "other than the key \"" + key + "\"");
            }
            column.ifPresent(c -> movable(source, c, sourceKey, problems).ifPresent(m -> moved.add(m.renamed(to))));
        });
        if (sourceKey.isEmpty() || moved.size() != columns.size()) {
            return before;
        }
        List<Column> intoColumns = new ArrayList<>();
        intoColumns.add(new Column(key, key, sourceKey.get().type(), false, Optional.empty(), Optional.empty(), Column.Generation.NONE));
        moved.stream().map(c -> new Column(c.name(), c.name(), c.type(), true, c.defaultExpr(), c.comment(), Column.Generation.NONE))
                .forEach(intoColumns::add);
        Table newTable = Table.of(into, intoColumns).withConstraints(List.of(
                new Constraint(primaryKeyName(), ConstraintType.PRIMARY_KEY, List.of(key), Optional.empty()),
                new Constraint(foreignKeyName(), ConstraintType.FOREIGN_KEY, List.of(key), Optional.of(table))));
        SchemaSnapshot after = before.mapTable(table, t -> {
            Table without = t;
            for (Identifier column : columns.keySet()) {
                without = without.withoutColumn(column);
            }
            return without;
        });
        return after.withTable(newTable);
    }

    private Optional<Column> singleColumnPrimaryKey(Table source, Problems problems) {
        Optional<Constraint> primaryKey = source.primaryKey();
        if (primaryKey.isEmpty() || primaryKey.get().columns().size() != 1) {
            problems.add("table \"" + table + "\" needs a primary key of one column for split_table, which keys the new table \""
                    + into + "\" by it" + primaryKey.map(pk -> " (primary key \"" + pk.name() + "\" has " + pk.columns().size()
                    + " columns)").orElse(" (it has none)"));
            return Optional.empty();
        }
        return source.column(primaryKey.get().columns().get(0));
    }

    /** A column that may move: not the key, not generated by the database, and free to be null. */
    private Optional<Column> movable(Table source, Column column, Optional<Column> sourceKey, Problems problems) {
        if (sourceKey.isPresent() && sourceKey.get().name().equals(column.name())) {
            problems.add("column \"" + column.name() + "\" is the primary key of table \"" + table + "\"; it stays, and the new table \""
                    + into + "\" gets it as \"" + key + "\"");
            return Optional.empty();
        }
        if (column.generation() != Column.Generation.NONE) {
            problems.add("column \"" + column.name() + "\" of table \"" + table + "\" is generated by the database, so it cannot be "
                    + "written from table \"" + into + "\"; split_table moves plain columns only");
            return Optional.empty();
        }
        if (!column.nullable()) {
            problems.add("column \"" + column.name() + "\" of table \"" + table + "\" is NOT NULL, but a row of \"" + table
                    + "\" need not have a row in \"" + into + "\"; make it nullable first (alter_column with nullable: true)");
            return Optional.empty();
        }
        return Optional.of(column);
    }
}
