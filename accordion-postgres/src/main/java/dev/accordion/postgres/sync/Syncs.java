package dev.accordion.postgres.sync;

import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The sync triggers one migration needs, one per table, keyed by the table's physical name (renames do not move it). */
public final class Syncs {

    private final SchemaSnapshot oldVersion;
    private final Map<Identifier, TableSync> byTable = new LinkedHashMap<>();

    public Syncs(SchemaSnapshot oldVersion) {
        this.oldVersion = oldVersion;
    }

    /** The sync of a table that the old version has; an operation on a table the migration creates needs none. */
    public TableSync of(Table table) {
        return byTable.computeIfAbsent(table.physicalName(), physical -> new TableSync(oldVersion.tables().stream()
                .filter(t -> t.physicalName().equals(physical)).findFirst()
                .orElseThrow(() -> new IllegalStateException("table " + physical + " is new in this migration: it needs no sync"))));
    }

    /** The sync of a table if an earlier operation of the migration asked for one. */
    public Optional<TableSync> existing(Table table) {
        return Optional.ofNullable(byTable.get(table.physicalName()));
    }

    /** Whether the old version has the table; only such a table has writes to sync and rows to backfill. */
    public boolean existedBefore(Table table) {
        return oldVersion.tables().stream().anyMatch(t -> t.physicalName().equals(table.physicalName()));
    }

    /** Every table's sync, with the table as the new version sees it filled in from the migration's result. */
    public List<TableSync> all(SchemaSnapshot newVersion) {
        for (TableSync sync : byTable.values()) {
            newVersion.tables().stream().filter(t -> t.physicalName().equals(sync.oldVersion().physicalName())).findFirst()
                    .ifPresent(sync::newVersion);
        }
        return List.copyOf(byTable.values());
    }
}
