package dev.accordion.postgres.sync;

import dev.accordion.plan.LockClaim;
import dev.accordion.plan.Step;
import dev.accordion.plan.StepId;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The sync triggers one migration needs, one per table, keyed by the table's physical name (renames do not move it). */
public final class Syncs {

    private final SchemaSnapshot oldVersion;
    private final Map<Identifier, TableSync> byTable = new LinkedHashMap<>();
    private final List<ColumnDrop> columnDrops = new ArrayList<>();

    /**
     * Columns that a step of complete drops ({@code step}). When the table has a sync trigger once every operation is
     * planned, the trigger may fire on or read them, and PostgreSQL refuses to drop a column a trigger depends on: the
     * columns then go with the trigger's removal instead, and the step is replaced by {@code without} (what else it
     * does), or left out when that is empty (see {@link #resolveColumnDrops}).
     */
    public record ColumnDrop(Table table, List<Identifier> columns, StepId step, List<LockClaim> locks, Optional<Step> without) {
        public ColumnDrop {
            columns = List.copyOf(columns);
            locks = List.copyOf(locks);
        }
    }

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

    public void columnDroppedAtComplete(ColumnDrop drop) {
        columnDrops.add(drop);
    }

    /**
     * Moves each column drop of a table that has a sync into the trigger's removal at complete; returns the steps of
     * complete to replace, each with what replaces it (nothing: leave it out). Only once every operation is planned is
     * it known which tables have a sync: a later operation may be the one that asks for it.
     */
    public Map<StepId, Optional<Step>> resolveColumnDrops() {
        Map<StepId, Optional<Step>> replaced = new LinkedHashMap<>();
        for (ColumnDrop drop : columnDrops) {
            existing(drop.table()).ifPresent(sync -> {
                drop.columns().forEach(sync::dropAtComplete);
                sync.lockAtComplete(drop.locks());
                replaced.put(drop.step(), drop.without());
            });
        }
        return replaced;
    }

    /** Whether the old version's table has this physical column (one the migration adds it has not). */
    public boolean oldVersionHasColumn(Table table, Identifier physicalColumn) {
        return oldVersion.tables().stream().filter(t -> t.physicalName().equals(table.physicalName()))
                .anyMatch(t -> t.columns().stream().anyMatch(c -> c.physicalName().equals(physicalColumn)));
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
