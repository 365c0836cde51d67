package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.plan.BatchedStep;
import dev.accordion.plan.LockClaim;
import dev.accordion.postgres.Locks;
import dev.accordion.postgres.sync.AgreementCheck;
import dev.accordion.postgres.sync.Backfill;
import dev.accordion.postgres.sync.CtidBackfill;
import dev.accordion.postgres.sync.SyncRule;
import dev.accordion.postgres.sync.SyncTrigger;
import dev.accordion.postgres.sync.TableSync;
import dev.accordion.schema.Column;
import dev.accordion.schema.ConstraintType;
import dev.accordion.schema.Index;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlExpr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The migration-wide steps of the tables whose columns two versions write differently: at start, after the
 * operations' own steps, the sync trigger and then the backfill; at complete, after the operations' steps, the
 * trigger goes in one transaction with the old side's columns (a NOT NULL old column must not outlive the trigger
 * that fills it); at rollback, right after the new version schema, it goes with the new side's columns.
 */
final class SyncSteps {

    private SyncSteps() {
    }

    static void start(Identifier schema, Identifier newVersionSchema, List<TableSync> syncs, PhaseSteps start) {
        for (TableSync sync : syncs) {
            QualifiedName table = new QualifiedName(schema, sync.oldVersion().physicalName());
            SyncTrigger trigger = new SyncTrigger(table, newVersionSchema, sync);
            PhaseSteps steps = start.scope("sync-" + sync.oldVersion().physicalName().name());
            steps.inTransaction("trigger", "install the sync trigger of " + table.name(), List.of(Locks.accessExclusive(table)),
                    trigger.install().toArray(String[]::new));
            if (sync.needsBackfill()) {
                steps.add(key(sync.oldVersion())
                        .<BatchedStep>map(key -> new Backfill(steps.id("backfill"), table, key, sync.upRules()))
                        .orElseGet(() -> new CtidBackfill(steps.id("backfill"), table, sync.upRules())));
            }
            if (!sync.afterBackfillSql().isEmpty()) {
                steps.inTransaction("after-backfill",
                        "set the defaults and NOT NULL checks of " + table.name() + " that had to wait for the backfill",
                        List.of(Locks.accessExclusive(table)), sync.afterBackfillSql().toArray(String[]::new));
            }
        }
    }

    /**
     * Complete's first steps: for each table with columns in two shapes, a check that every row agrees between the
     * versions ({@link AgreementCheck}). The new side's expected values are {@code up} over the table's columns (the old
     * version's names are the physical ones); the old side's are {@code down}, whose new-version names are bound to
     * the physical columns. Each is cast to its column's type, as the trigger's assignment converts it. A table without
     * a key to walk is not checked.
     */
    static void agreementChecks(Identifier schema, List<TableSync> syncs, PhaseSteps complete) {
        for (TableSync sync : syncs) {
            Optional<List<Backfill.KeyColumn>> key = key(sync.oldVersion());
            if (sync.twoWayColumns().isEmpty() || key.isEmpty()) {
                continue;
            }
            Map<Identifier, SqlExpr> newNames = new LinkedHashMap<>();
            sync.newVersion().columns().forEach(c -> newNames.put(c.name(), SqlExpr.of(SQL.quote(c.physicalName()))));
            List<AgreementCheck.Expected> newSide = new ArrayList<>();
            List<AgreementCheck.Expected> oldSide = new ArrayList<>();
            for (TableSync.TwoWay column : sync.twoWayColumns()) {
                newSide.add(new AgreementCheck.Expected(column.shadow(), NameBinding.cast(rule(sync.upRules(), column.shadow()),
                        physical(sync.newVersion(), column.shadow()))));
                oldSide.add(new AgreementCheck.Expected(column.old(), NameBinding.cast(NameBinding.bind(rule(sync.downRules(),
                        column.old()), newNames), physical(sync.oldVersion(), column.old()))));
            }
            QualifiedName table = new QualifiedName(schema, sync.oldVersion().physicalName());
            PhaseSteps steps = complete.scope("sync-" + sync.oldVersion().physicalName().name());
            steps.add(new AgreementCheck(steps.id("agreement"), table, key.get(), newSide, oldSide));
        }
    }

    private static SqlExpr rule(List<SyncRule> rules, Identifier target) {
        return rules.stream().filter(r -> r.target().equals(target)).map(SyncRule::expression).findFirst()
                .orElseThrow(() -> new IllegalStateException("no sync rule fills " + target));
    }

    private static Column physical(Table table, Identifier physicalName) {
        return table.columns().stream().filter(c -> c.physicalName().equals(physicalName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("table " + table.name() + " has no column " + physicalName));
    }

    static void complete(Identifier schema, Identifier newVersionSchema, List<TableSync> syncs, PhaseSteps complete) {
        remove(schema, newVersionSchema, syncs, complete, true);
    }

    /** The steps of complete that need every name settled, after NameSettling. */
    static void settled(List<TableSync> syncs, PhaseSteps complete) {
        for (TableSync sync : syncs) {
            PhaseSteps steps = complete.scope("settled-" + sync.oldVersion().physicalName().name());
            for (TableSync.SettledStep step : sync.settledSteps()) {
                steps.inTransaction(step.key(), step.summary(), step.locks(), step.sql().toArray(String[]::new));
            }
        }
    }

    static void rollback(Identifier schema, Identifier newVersionSchema, List<TableSync> syncs, PhaseSteps rollback) {
        remove(schema, newVersionSchema, syncs, rollback, false);
    }

    private static void remove(Identifier schema, Identifier newVersionSchema, List<TableSync> syncs, PhaseSteps phase,
                               boolean completing) {
        for (TableSync sync : syncs) {
            QualifiedName table = new QualifiedName(schema, sync.oldVersion().physicalName());
            SyncTrigger trigger = new SyncTrigger(table, newVersionSchema, sync);
            List<Identifier> columns = completing ? sync.droppedAtComplete() : sync.droppedAtRollback();
            List<LockClaim> locks = new ArrayList<>(List.of(Locks.accessExclusive(table)));
            if (completing) {
                locks.addAll(sync.locksAtComplete());
            }
            phase.scope("sync-" + sync.oldVersion().physicalName().name())
                    .inTransaction("trigger", "remove the sync trigger of " + table.name()
                                    + (columns.isEmpty() ? "" : (completing ? " and the old columns" : " and the new columns")),
                            locks, trigger.remove(columns).toArray(String[]::new));
        }
    }

    /**
     * The key a backfill walks: the primary key, or else a unique index over NOT NULL columns; empty when the table
     * has neither, and the backfill walks its pages. Its column names are the old version's, the physical ones.
     */
    static Optional<List<Backfill.KeyColumn>> key(Table table) {
        Optional<List<Identifier>> columns = table.primaryKey().map(pk -> pk.columns())
                .or(() -> table.indexes().stream().filter(Index::unique).map(Index::columns).filter(c -> allNotNull(table, c)).findFirst())
                .or(() -> table.constraints().stream().filter(c -> c.type() == ConstraintType.UNIQUE).map(c -> c.columns())
                        .filter(c -> allNotNull(table, c)).findFirst());
        return columns.map(names -> names.stream().map(name -> table.column(name).orElseThrow())
                .map(column -> new Backfill.KeyColumn(column.physicalName(), SqlExpr.of(column.type()))).toList());
    }

    private static boolean allNotNull(Table table, List<Identifier> columns) {
        return columns.stream().allMatch(c -> table.column(c).map(column -> !column.nullable()).orElse(false));
    }
}
