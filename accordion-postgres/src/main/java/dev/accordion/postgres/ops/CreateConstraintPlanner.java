package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.migration.ConstraintSpec;
import dev.accordion.migration.CreateConstraint;
import dev.accordion.plan.LockLevel;
import dev.accordion.postgres.GeneratedNames;
import dev.accordion.postgres.Locks;
import dev.accordion.postgres.sync.ExpressionColumns;
import dev.accordion.schema.Column;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.Keyword;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * create_constraint (pgroll's model). Each constrained column gets a shadow column, and the constraint goes on the
 * shadows, so the old version keeps writing what it always wrote and {@code up} turns that into values that meet the
 * constraint, while the new version's writes must meet it at once (DESIGN §5, "Constraints without long locks"):
 * <ul>
 *   <li>foreign key: NOT VALID at start, validated at complete;</li>
 *   <li>unique and primary key: CREATE UNIQUE INDEX CONCURRENTLY at start, ADD CONSTRAINT … USING INDEX at complete
 *       (a primary key's shadows are NOT NULL through {@link DeferredNotNull} first);</li>
 *   <li>check: the user's expression names the columns, which the shadows only become at complete, and is never
 *       rewritten; so while the migration is active a NOT VALID check calls a function whose parameters carry the
 *       columns' names, and once complete has settled the names the real CHECK is added NOT VALID and validated, and
 *       the stand-in goes.</li>
 * </ul>
 * Complete drops the old columns with the sync trigger and the shadows take their names; the constraint keeps its name.
 * A table created by the same migration has no old version: the constraint goes straight onto it.
 */
final class CreateConstraintPlanner implements OperationPlanner<CreateConstraint> {

    @Override
    public void plan(CreateConstraint op, OperationContext context) {
        Table table = context.tableBefore(op.table());
        List<Column> columns = ConstraintColumns.of(table, op.columns());
        if (!context.syncs().existedBefore(table)) {
            planOnNewTable(op, context, table, columns);
            return;
        }
        String what = "create_constraint \"" + op.name() + "\" on \"" + table.name() + "\"";
        ConstraintColumns.refuseWhatTheShadowsCannotCarry(what, table, columns);
        boolean primaryKey = "primary_key".equals(op.type());
        UnaryOperator<ShadowColumn> shape = primaryKey ? s -> s.withNullable(false) : s -> s;
        ConstraintColumns.planShadows(context, table, columns, op.up(), op.down(), shape, Optional.empty());

        QualifiedName physical = context.physical(table);
        List<Identifier> shadows = columns.stream().map(c -> c.inShadow().physicalName()).toList();
        switch (op.type()) {
            case "check" -> planCheck(op, context, physical);
            case "foreign_key" -> planForeignKey(op, context, physical, shadows);
            case "unique", "primary_key" -> {
                planUniqueIndex(op, context, physical, shadows, primaryKey);
                for (Column column : columns) {
                    FaithfulShadow.settleIndexColumn(context.syncs().of(table), context.qualified(op.name()),
                            column.inShadow().physicalName(), column.name());
                }
            }
            default -> throw new IllegalArgumentException("validation let constraint type " + op.type() + " through");
        }
    }

    /** Nobody uses the table yet, so the constraint is added whole; the columns are renamed as the snapshot has them. */
    private static void planOnNewTable(CreateConstraint op, OperationContext context, Table table, List<Column> columns) {
        QualifiedName physical = context.physical(table);
        List<String> sql = new ArrayList<>();
        sql.add(SQL.format("ALTER TABLE {} ADD ", physical) + DefinitionSql.tableConstraint(context.schema(), table.physicalName(),
                spec(op, columns.stream().map(Column::physicalName).toList(), physicalReferences(op, context))));
        for (Column column : columns) {
            sql.add(SQL.format("ALTER TABLE {} RENAME COLUMN {} TO {}", physical, column.physicalName(), column.inShadow().physicalName()));
        }
        context.start().inTransaction("constraint", "add constraint " + SQL.quote(op.name()) + " to " + SQL.quote(physical)
                + ", which this migration creates", List.of(Locks.accessExclusive(physical)), sql.toArray(String[]::new));
    }

    private static void planForeignKey(CreateConstraint op, OperationContext context, QualifiedName physical, List<Identifier> shadows) {
        ConstraintSpec.ForeignKeyReference references = physicalReferences(op, context);
        QualifiedName referenced = context.qualified(references.table());
        context.start().inTransaction("foreign-key", "add foreign key " + SQL.quote(op.name()) + " on the shadow columns, NOT VALID",
                List.of(Locks.on(LockLevel.SHARE_ROW_EXCLUSIVE, physical), Locks.on(LockLevel.SHARE_ROW_EXCLUSIVE, referenced)),
                SQL.format("ALTER TABLE {} ADD ", physical)
                        + DefinitionSql.tableConstraint(context.schema(), physical.name(), spec(op, shadows, references)) + " NOT VALID");
        context.complete().inTransaction("validate", "validate foreign key " + SQL.quote(op.name()),
                List.of(Locks.on(LockLevel.SHARE_UPDATE_EXCLUSIVE, physical), Locks.on(LockLevel.ROW_SHARE, referenced)),
                SQL.format("ALTER TABLE {} VALIDATE CONSTRAINT {}", physical, op.name()));
        // Rollback: the constraint goes with the shadow columns, dropped with the sync trigger.
    }

    private static void planUniqueIndex(CreateConstraint op, OperationContext context, QualifiedName physical, List<Identifier> shadows,
                                        boolean primaryKey) {
        QualifiedName index = context.qualified(op.name());
        StringBuilder create = new StringBuilder(SQL.format("CREATE UNIQUE INDEX CONCURRENTLY {} ON {} ({})", op.name(), physical, shadows));
        if (Boolean.TRUE.equals(op.nullsNotDistinct())) {
            create.append(" NULLS NOT DISTINCT");
        }
        ConstraintSpec.IndexParameters parameters = op.indexParameters();
        if (parameters != null && parameters.includeColumns() != null && !parameters.includeColumns().isEmpty()) {
            throw new IllegalArgumentException("create_constraint \"" + op.name() + "\": index_parameters.include_columns is not "
                    + "supported yet on a table that clients already use");
        }
        if (parameters != null && parameters.storageParameters() != null) {
            create.append(SQL.format(" WITH ({})", parameters.storageParameters()));
        }
        if (parameters != null && parameters.tablespace() != null) {
            create.append(SQL.format(" TABLESPACE {}", parameters.tablespace()));
        }
        context.start().add(new ConcurrentIndexStep(context.start().id("index"), "build unique index " + SQL.quote(index)
                + " on the shadow columns concurrently", index, physical, create.toString()));
        String kind = primaryKey ? "PRIMARY KEY" : "UNIQUE";
        String deferrable = Boolean.TRUE.equals(op.deferrable())
                ? " DEFERRABLE" + (Boolean.TRUE.equals(op.initiallyDeferred()) ? " INITIALLY DEFERRED" : "") : "";
        context.complete().inTransaction("constraint", "make index " + SQL.quote(op.name()) + " the " + kind.toLowerCase()
                        + " constraint " + SQL.quote(op.name()), List.of(Locks.accessExclusive(physical)),
                SQL.format("ALTER TABLE {} ADD CONSTRAINT {} {} USING INDEX {}", physical, op.name(), Keyword.of(kind), op.name()) + deferrable);
        // Rollback: the index goes with the shadow columns, dropped with the sync trigger.
    }

    /**
     * The check's stand-in while the migration is active: a function of the columns the expression reads, whose
     * parameters carry the columns' names, called with the shadow columns (or the unchanged columns) as arguments.
     */
    private static void planCheck(CreateConstraint op, OperationContext context, QualifiedName physical) {
        Table newVersion = context.tableAfter(op.table());
        Set<Identifier> read = ExpressionColumns.readBy(op.check(), newVersion.columns().stream().map(Column::name).toList());
        List<Column> arguments = newVersion.columns().stream().filter(c -> read.contains(c.name())).toList();
        Identifier standIn = GeneratedNames.fit("_acc_chk_" + op.name().name());
        QualifiedName function = context.qualified(standIn);
        List<String> parameters = arguments.stream().map(c -> SQL.format("{} {}", c.name(), SqlExpr.of(c.type()))).toList();
        String body = SQL.format("SELECT ({})", op.check());
        String tag = dollarTag(body);
        String noInherit = Boolean.TRUE.equals(op.noInherit()) ? " NO INHERIT" : "";
        context.start().inTransaction("check", "add check " + SQL.quote(op.name()) + " on the shadow columns, NOT VALID, through "
                        + "function " + SQL.quote(function), List.of(Locks.accessExclusive(physical)),
                SQL.format("CREATE OR REPLACE FUNCTION {}(", function) + String.join(", ", parameters) + ") RETURNS boolean "
                        + "LANGUAGE sql AS " + tag + " " + body + " " + tag,
                SQL.format("ALTER TABLE {} ADD CONSTRAINT {} CHECK ({}({}))", physical, standIn, function,
                        arguments.stream().map(Column::physicalName).toList()) + noInherit + " NOT VALID");
        context.complete().inTransaction("validate-stand-in", "validate the stand-in of check " + SQL.quote(op.name())
                        + " before the old columns go", List.of(Locks.on(LockLevel.SHARE_UPDATE_EXCLUSIVE, physical)),
                SQL.format("ALTER TABLE {} VALIDATE CONSTRAINT {}", physical, standIn));
        QualifiedName settled = context.qualified(newVersion.name());
        context.complete().inTransactionAfterNames("check", "add check " + SQL.quote(op.name()) + " NOT VALID in place of its "
                        + "stand-in", List.of(Locks.accessExclusive(settled)),
                SQL.format("ALTER TABLE {} ADD CONSTRAINT {} CHECK ({})", settled, op.name(), op.check()) + noInherit + " NOT VALID",
                SQL.format("ALTER TABLE {} DROP CONSTRAINT {}", settled, standIn),
                SQL.format("DROP FUNCTION {}", function));
        context.complete().inTransactionAfterNames("validate", "validate check " + SQL.quote(op.name()),
                List.of(Locks.on(LockLevel.SHARE_UPDATE_EXCLUSIVE, settled)),
                SQL.format("ALTER TABLE {} VALIDATE CONSTRAINT {}", settled, op.name()));
        context.rollback().inTransaction("check", "drop the stand-in function of check " + SQL.quote(op.name()), List.of(),
                SQL.format("DROP FUNCTION IF EXISTS {}", function));
    }

    /** The foreign key's target by its names in the database: an earlier operation may have renamed it. */
    private static ConstraintSpec.ForeignKeyReference physicalReferences(CreateConstraint op, OperationContext context) {
        ConstraintSpec.ForeignKeyReference references = op.references();
        if (references == null) {
            return null;
        }
        Table target = context.tableBefore(references.table());
        List<Identifier> columns = references.columns().stream()
                .map(c -> target.column(c).map(Column::physicalName).orElse(c)).toList();
        return new ConstraintSpec.ForeignKeyReference(target.physicalName(), columns, references.onDelete(), references.onUpdate(),
                references.matchType(), references.onDeleteSetColumns());
    }

    /** The operation as a table constraint over the given physical columns. */
    private static ConstraintSpec spec(CreateConstraint op, List<Identifier> columns, ConstraintSpec.ForeignKeyReference references) {
        return new ConstraintSpec(op.name(), op.type(), columns, op.check(), op.noInherit(), op.nullsNotDistinct(), op.deferrable(),
                op.initiallyDeferred(), references, null, op.indexParameters());
    }

    private static String dollarTag(String body) {
        String tag = "$accordion$";
        for (int n = 1; body.contains(tag); n++) {
            tag = "$accordion" + n + "$";
        }
        return tag;
    }
}
