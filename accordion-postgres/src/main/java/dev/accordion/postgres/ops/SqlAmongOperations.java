package dev.accordion.postgres.ops;

import dev.accordion.schema.Column;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The new version's tables for a migration whose {@code sql} runs among other operations. The operations' result is
 * known, but not what the SQL changed, and the catalog alone cannot say it either: while the migration is active it
 * holds old names, shadow columns and columns dropped only at complete. So, read once the start's SQL has run: each
 * table the operations lead to, as they planned it, keeps the planned columns the catalog still has and gains the
 * columns the SQL added (neither the old version's nor Accordion's own); a table the SQL created comes from the
 * catalog as it is; a planned table the SQL dropped is left out.
 */
final class SqlAmongOperations {

    private static final String OURS = "_acc_";

    private SqlAmongOperations() {
    }

    static SchemaSnapshot newVersion(SchemaSnapshot oldVersion, SchemaSnapshot planned, SchemaSnapshot catalog) {
        List<Table> tables = new ArrayList<>();
        for (Table table : planned.tables()) {
            byPhysicalName(catalog, table.physicalName()).ifPresent(now -> tables.add(merged(table, now,
                    byPhysicalName(oldVersion, table.physicalName()))));
        }
        Set<Identifier> known = planned.tables().stream().map(Table::physicalName).collect(Collectors.toSet());
        oldVersion.tables().forEach(t -> known.add(t.physicalName())); // what the operations dropped or renamed aside stays out
        catalog.tables().stream().filter(t -> !known.contains(t.physicalName()) && !ours(t.physicalName())).forEach(tables::add);
        return new SchemaSnapshot(tables);
    }

    private static Table merged(Table planned, Table now, Optional<Table> old) {
        Set<Identifier> present = now.columns().stream().map(Column::physicalName).collect(Collectors.toSet());
        List<Column> columns = new ArrayList<>(planned.columns().stream().filter(c -> present.contains(c.physicalName())).toList());
        Set<Identifier> accounted = planned.columns().stream().map(Column::physicalName).collect(Collectors.toSet());
        old.ifPresent(t -> t.columns().forEach(c -> accounted.add(c.physicalName()))); // e.g. dropped by drop_column, until complete
        now.columns().stream().filter(c -> !accounted.contains(c.physicalName()) && !ours(c.physicalName())).forEach(columns::add);
        return planned.withColumns(columns);
    }

    private static Optional<Table> byPhysicalName(SchemaSnapshot snapshot, Identifier physical) {
        return snapshot.tables().stream().filter(t -> t.physicalName().equals(physical)).findFirst();
    }

    private static boolean ours(Identifier name) {
        return name.name().startsWith(OURS);
    }
}
