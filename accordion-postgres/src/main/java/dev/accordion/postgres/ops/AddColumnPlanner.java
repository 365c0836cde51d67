package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.migration.AddColumn;
import dev.accordion.migration.ColumnSpec;
import dev.accordion.plan.LockLevel;
import dev.accordion.postgres.GeneratedNames;
import dev.accordion.postgres.Locks;
import dev.accordion.postgres.SerialTypes;
import dev.accordion.postgres.sync.SequenceFill;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.Literal;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adds the column at start, invisible to the old version. A non-volatile default makes this a
 * catalog-only change. CHECK and FOREIGN KEY are added NOT VALID and validated at complete;
 * UNIQUE is built concurrently and attached with ADD CONSTRAINT ... USING INDEX.
 */
final class AddColumnPlanner implements OperationPlanner<AddColumn> {

    @Override
    public void plan(AddColumn op, OperationContext context) {
        Table table = context.tableBefore(op.table());
        QualifiedName physical = context.physical(table);
        ColumnSpec column = op.column();
        List<String> sql = new ArrayList<>();
        boolean hasRows = context.syncs().existedBefore(table);
        // A serial on a table with rows is added as its parts (see SerialTypes); on a table this migration creates,
        // which is empty, as written.
        Optional<SqlExpr> serialInteger = hasRows && op.up() == null ? SerialTypes.integerOf(column.type()) : Optional.empty();
        QualifiedName sequence = context.qualified(GeneratedNames.fit(table.physicalName().name() + "_" + column.name().name() + "_seq"));
        if (serialInteger.isPresent()) {
            sql.add(SQL.format("CREATE SEQUENCE {} AS {}", sequence, serialInteger.get()));
            column = new ColumnSpec(column.name(), serialInteger.get(), column.nullable(), null, column.unique(), column.pk(),
                    column.comment(), column.check(), column.references(), column.generated());
        }
        boolean filledByUp = op.up() != null && hasRows;
        // Existing rows get their value from the backfill (or the sequence's fill), so a NOT NULL column without a
        // default can only be NOT NULL once it has run: a NOT VALID check until complete, then SET NOT NULL without a scan.
        boolean notNullAfterBackfill = (filledByUp || serialInteger.isPresent()) && !column.isNullable();
        DeferredNotNull notNull = DeferredNotNull.of(physical, column.name(), column.name());
        // Existing rows get up's value from the backfill, so the default only serves new rows: set apart from ADD
        // COLUMN, it never rewrites the table, even when it is volatile.
        sql.add(SQL.format("ALTER TABLE {} ADD COLUMN ", physical)
                + DefinitionSql.column(notNullAfterBackfill ? column.asNullable() : column, !filledByUp));
        if (filledByUp && column.defaultValue() != null) {
            sql.add(SQL.format("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}", physical, column.name(), column.defaultValue()));
        }
        if (serialInteger.isPresent()) {
            // Set apart from ADD COLUMN, the sequence's default only serves new rows: no rewrite. Owned by the column, the
            // sequence goes with it (rollback) and keeps its name's meaning (pg_get_serial_sequence).
            sql.add(SQL.format("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT nextval(CAST({} AS regclass))", physical, column.name(),
                    Literal.of(SQL.quote(sequence))));
            sql.add(SQL.format("ALTER SEQUENCE {} OWNED BY {}.{}", sequence, physical, column.name()));
        }
        if (filledByUp) {
            context.syncs().of(table).up(column.name(), op.up());
        }
        if (notNullAfterBackfill && filledByUp) {
            // Not before: until the backfill has run, rows the old version updates may still hold NULL here.
            context.syncs().of(table).afterBackfill(notNull.startSql());
        }
        if (column.check() != null) {
            sql.add(SQL.format("ALTER TABLE {} ADD ", physical)
                    + DefinitionSql.check(column.check().name(), column.check().constraint(), column.check().noInherit()) + " NOT VALID");
        }
        Identifier foreignKey = null;
        if (column.references() != null) {
            foreignKey = column.references().name() != null ? column.references().name()
                    : GeneratedNames.fit(table.physicalName().name() + "_" + column.name().name() + "_fkey");
            sql.add(SQL.format("ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) ", physical, foreignKey, column.name())
                    + DefinitionSql.references(context.schema(), context.physicalReference(column.references())) + " NOT VALID");
        }
        if (column.comment() != null) {
            sql.add(SQL.format("COMMENT ON COLUMN {}.{} IS {}", physical, column.name(), Literal.of(column.comment())));
        }
        var locks = new ArrayList<>(List.of(Locks.accessExclusive(physical)));
        if (column.references() != null) {
            locks.add(Locks.on(LockLevel.SHARE_ROW_EXCLUSIVE, context.physical(context.tableBefore(column.references().table()))));
        }
        context.start().inTransaction("add", "add column " + SQL.quote(column.name()) + " to " + SQL.quote(physical),
                locks, sql.toArray(String[]::new));
        if (serialInteger.isPresent()) {
            // No trigger needed: the old version's inserts take the default, and nothing recomputes a value once given.
            context.start().add(new SequenceFill(context.start().id("fill"), physical, column.name(), sequence));
            if (notNullAfterBackfill) {
                context.start().inTransaction("not-null", "check that " + SQL.quote(column.name()) + " holds no NULL from now on",
                        List.of(Locks.accessExclusive(physical)), notNull.startSql());
            }
        }

        if (column.isUnique()) {
            Identifier index = GeneratedNames.fit(table.physicalName().name() + "_" + column.name().name() + "_key");
            QualifiedName indexName = context.qualified(index);
            context.start().add(new ConcurrentIndexStep(context.start().id("unique-index"),
                    "build unique index " + SQL.quote(indexName) + " concurrently", indexName, physical,
                    SQL.format("CREATE UNIQUE INDEX CONCURRENTLY {} ON {} ({})", index, physical, column.name())));
            context.start().inTransaction("unique", "make index " + SQL.quote(index) + " a unique constraint",
                    List.of(Locks.accessExclusive(physical)),
                    SQL.format("ALTER TABLE {} ADD CONSTRAINT {} UNIQUE USING INDEX {}", physical, index, index));
        }
        if (notNullAfterBackfill) {
            notNull.planComplete(context.complete());
        }
        if (column.check() != null) {
            context.complete().inTransaction("validate-check", "validate check " + SQL.quote(column.check().name()),
                    List.of(Locks.on(LockLevel.SHARE_UPDATE_EXCLUSIVE, physical)),
                    SQL.format("ALTER TABLE {} VALIDATE CONSTRAINT {}", physical, column.check().name()));
        }
        if (foreignKey != null) {
            context.complete().inTransaction("validate-fk", "validate foreign key " + SQL.quote(foreignKey),
                    List.of(Locks.on(LockLevel.SHARE_UPDATE_EXCLUSIVE, physical),
                            Locks.on(LockLevel.ROW_SHARE, context.physical(context.tableBefore(column.references().table())))),
                    SQL.format("ALTER TABLE {} VALIDATE CONSTRAINT {}", physical, foreignKey));
        }
        var dropLocks = new ArrayList<>(List.of(Locks.accessExclusive(physical)));
        if (column.references() != null) {
            dropLocks.add(Locks.accessExclusive(context.physical(context.tableBefore(column.references().table()))));
        }
        List<String> drop = new ArrayList<>(List.of(SQL.format("ALTER TABLE {} DROP COLUMN IF EXISTS {}", physical, column.name())));
        if (serialInteger.isPresent()) {
            drop.add(SQL.format("DROP SEQUENCE IF EXISTS {}", sequence)); // the column takes it along; in case it was not yet owned
        }
        context.rollback().inTransaction("drop", "drop column " + SQL.quote(column.name()) + " from " + SQL.quote(physical),
                dropLocks, drop.toArray(String[]::new));
    }
}
