package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.migration.AlterColumn;
import dev.accordion.migration.ColumnSpec;
import dev.accordion.plan.LockLevel;
import dev.accordion.postgres.GeneratedNames;
import dev.accordion.postgres.Locks;
import dev.accordion.postgres.sync.ExpressionColumns;
import dev.accordion.postgres.sync.TableSync;
import dev.accordion.schema.Column;
import dev.accordion.schema.ConstraintType;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.Literal;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlBuilder.Fragment;
import dev.accordion.sql.SqlExpr;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * alter_column. A rename only changes the new version's view (complete settles the name); a comment is set on the
 * column itself. Every other change goes through a {@link ShadowColumn} of the new shape beside the old one.
 */
final class AlterColumnPlanner implements OperationPlanner<AlterColumn> {

    @Override
    public void plan(AlterColumn op, OperationContext context) {
        Table table = context.tableBefore(op.table());
        Column old = table.column(op.column()).orElseThrow();
        QualifiedName physical = context.physical(table);
        Identifier newName = op.name() != null ? op.name() : op.column();
        Table after = context.tableAfter(op.table());
        Optional<TableSync> existing = context.syncs().existing(table);
        if (!op.needsShadow()) {
            // Rules registered earlier over the names this operation changes now read them under the new ones.
            existing.ifPresent(sync -> NameBinding.rebindDown(sync,
                    NameBinding.fromNewVersion(table, after, old.name(), SqlExpr.of(SQL.quote(newName)))));
            if (op.comment() != null) {
                context.start().inTransaction("comment", "set the comment of column " + SQL.quote(old.physicalName()),
                        List.of(Locks.accessExclusive(physical)), comment(physical, old.physicalName(), op.comment().asOptional()));
                boolean original = existing.map(sync -> sync.oldVersion().columns().stream()
                        .anyMatch(c -> c.physicalName().equals(old.physicalName()))).orElse(true);
                if (original) { // a shadow goes with the rollback anyway
                    context.rollback().inTransaction("comment", "restore the comment of column " + SQL.quote(old.physicalName()),
                            List.of(Locks.accessExclusive(physical)), comment(physical, old.physicalName(), old.comment()));
                }
            }
            return; // a rename is the views' and NameSettling's business
        }
        if (!context.syncs().existedBefore(table)) {
            throw new IllegalArgumentException("alter_column of \"" + table.name() + "\".\"" + old.name() + "\": the table is created "
                    + "by this same migration, so no client knows it yet; declare the column as you want it in create_table");
        }
        if (!old.isShadow() && !context.syncs().oldVersionHasColumn(table, old.physicalName())) {
            // AddedColumnFolding folds such a change into its add_column; one it did not reach (the add and the alter
            // name the table or the column differently) would shadow a column the old version does not have.
            throw new IllegalArgumentException("alter_column of \"" + table.name() + "\".\"" + old.name() + "\": the column is added "
                    + "by this same migration, which the old version never sees; declare it as you want it in add_column");
        }
        refuseWhatTheShadowCannotCarryYet(op, table, old);

        TableSync sync = context.syncs().of(table);
        // up reads the names as this operation sees them; bound to the old version's row (through earlier shadows' up).
        Optional<SqlExpr> up = Optional.ofNullable(op.up()).map(expression ->
                NameBinding.bind(expression, NameBinding.fromOldVersion(table, sync)));
        SqlExpr alteredValue = op.down() != null ? op.down() : NameBinding.cast(SqlExpr.of(SQL.quote(newName)), old);
        NameBinding.rebindDown(sync, NameBinding.fromNewVersion(table, after, old.name(), alteredValue));

        Identifier shadowName;
        boolean reshaping = sync.upRules().stream().anyMatch(rule -> rule.target().equals(old.physicalName()));
        if (reshaping) {
            shadowName = old.physicalName();
            reshape(op, context, table, old, sync, up.orElse(NameBinding.bind(SqlExpr.of(SQL.quote(old.name())),
                    NameBinding.fromOldVersion(table, sync))));
        } else {
            ShadowColumn shadow = ShadowColumn.of(old);
            if (op.type() != null) {
                shadow = shadow.withType(op.type());
            }
            if (op.defaultValue() != null) {
                shadow = shadow.withDefault(op.defaultValue().asOptional());
            }
            if (op.nullable() != null) {
                shadow = shadow.withNullable(op.nullable());
            }
            if (op.comment() != null) {
                shadow = shadow.withComment(op.comment().asOptional());
            }
            shadow.plan(context, table, newName, up, Optional.ofNullable(op.down()));
            shadowName = shadow.name();
            FaithfulShadow.plan(context, table, old, shadowName, newName);
        }

        if (op.unique() != null) {
            planUnique(op, context, table, shadowName, newName);
        }
        if (op.check() != null) {
            planCheck(op.check(), context, table, after);
        }
        if (op.references() != null) {
            planReferences(op, context, table, shadowName, newName);
        }
    }

    /**
     * A second alter_column of a column that an earlier operation of this migration already gave a shadow: the shadow
     * is reused. Its up becomes this operation's up evaluated over the earlier result (see {@link NameBinding}), the old
     * column's down evaluates the earlier down over this operation's down, and the shape changes are applied to the
     * shadow, which holds no data yet (the trigger and the backfill come after every operation's steps).
     */
    private static void reshape(AlterColumn op, OperationContext context, Table table, Column shadowed, TableSync sync, SqlExpr up) {
        String what = "alter_column of \"" + table.name() + "\".\"" + shadowed.name() + "\"";
        if (op.type() != null && !op.type().text().equals(shadowed.type())) {
            throw new IllegalArgumentException(what + ": an earlier alter_column of this migration already changes the column, "
                    + "and changing its type a second time in one migration is not supported yet; give the final type in one of them");
        }
        if (Boolean.TRUE.equals(op.nullable()) && !shadowed.nullable()) {
            throw new IllegalArgumentException(what + ": an earlier alter_column of this migration already changes the column "
                    + "while it is NOT NULL, and making it nullable in the same migration is not supported yet; do it in the first one");
        }
        QualifiedName physical = context.physical(table);
        Identifier shadow = shadowed.physicalName();
        sync.replaceUp(shadow, up);
        if (op.comment() != null) {
            context.start().inTransaction("comment", "set the comment of shadow column " + SQL.quote(shadow),
                    List.of(Locks.accessExclusive(physical)), comment(physical, shadow, op.comment().asOptional()));
        }
        if (op.defaultValue() != null) {
            sync.afterBackfill(op.defaultValue().asOptional()
                    .map(d -> SQL.format("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}", physical, shadow, SqlExpr.of(d)))
                    .orElse(SQL.format("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT", physical, shadow)));
        }
        if (Boolean.FALSE.equals(op.nullable()) && shadowed.nullable()) {
            DeferredNotNull notNull = DeferredNotNull.of(physical, shadow, shadowed.name());
            sync.afterBackfill(notNull.startSql());
            notNull.planComplete(context.complete());
        }
    }

    /** A unique index built concurrently on the shadow, under the constraint's name; complete makes it the constraint. */
    private static void planUnique(AlterColumn op, OperationContext context, Table table, Identifier shadow, Identifier newName) {
        QualifiedName physical = context.physical(table);
        Identifier name = op.unique().name() != null ? op.unique().name()
                : GeneratedNames.fit(table.name().name() + "_" + newName.name() + "_key");
        QualifiedName index = context.qualified(name);
        context.start().add(new ConcurrentIndexStep(context.start().id("unique-index"),
                "build unique index " + SQL.quote(index) + " on the shadow concurrently", index, physical,
                SQL.format("CREATE UNIQUE INDEX CONCURRENTLY {} ON {} ({})", name, physical, shadow)));
        context.complete().inTransaction("unique", "make index " + SQL.quote(name) + " a unique constraint",
                List.of(Locks.accessExclusive(physical)),
                SQL.format("ALTER TABLE {} ADD CONSTRAINT {} UNIQUE USING INDEX {}", physical, name, name));
        settleIndexColumn(context, table, index, shadow, newName);
    }

    /** An index keeps the names its columns had when it was built, so one built on the shadow takes the column's name too. */
    private static void settleIndexColumn(OperationContext context, Table table, QualifiedName index, Identifier shadow,
                                          Identifier newName) {
        context.syncs().of(table).whenSettled(new TableSync.SettledStep("index-column-" + index.name().name(),
                "give the column of index " + SQL.quote(index) + " its name", List.of(Locks.accessExclusive(index)),
                List.of(SQL.format("ALTER TABLE {} RENAME COLUMN {} TO {}", index, shadow, newName))));
    }

    /**
     * A CHECK names the column as the new version does, which the shadow is not called until complete, and user SQL is
     * never rewritten. So the shadow gets a NOT VALID check calling a function whose parameters carry the new version's
     * names; once names are settled, complete adds the check as written (NOT VALID, then VALIDATE, which scans without
     * blocking writes) and drops the function and its check.
     */
    private static void planCheck(ColumnSpec.CheckSpec check, OperationContext context, Table table, Table after) {
        QualifiedName physical = context.physical(table);
        Set<Identifier> read = ExpressionColumns.readBy(check.constraint(), after.columns().stream().map(Column::name).toList());
        List<Column> parameters = after.columns().stream().filter(c -> read.contains(c.name())).toList();
        QualifiedName function = context.qualified(GeneratedNames.fit("_acc_chk_" + check.name().name()));
        Identifier temporary = GeneratedNames.fit("_acc_chk_" + check.name().name());
        List<Fragment> declared = parameters.stream().map(c -> SQL.fragment("{} {}", c.name(), SqlExpr.of(c.type()))).toList();
        List<Fragment> types = parameters.stream().map(c -> SQL.fragment("{}", SqlExpr.of(c.type()))).toList();
        List<Identifier> arguments = parameters.stream().map(Column::physicalName).toList();
        String body = SQL.format("SELECT ({})", check.constraint());
        String tag = dollarTag(body);
        context.start().inTransaction("check", "check " + SQL.quote(check.name()) + " on the shadow, NOT VALID",
                List.of(Locks.accessExclusive(physical)),
                SQL.format("CREATE FUNCTION {}({}) RETURNS boolean LANGUAGE sql AS ", function, declared) + tag + body + tag,
                SQL.format("ALTER TABLE {} ADD CONSTRAINT {} CHECK ({}({})) NOT VALID", physical, temporary, function, arguments));
        context.rollback().inTransaction("check", "drop the function of check " + SQL.quote(check.name()), List.of(),
                SQL.format("DROP FUNCTION IF EXISTS {}({}) CASCADE", function, types));

        QualifiedName settled = context.qualified(after.name());
        TableSync sync = context.syncs().of(table);
        sync.whenSettled(new TableSync.SettledStep("check-" + check.name().name(), "add check " + SQL.quote(check.name())
                + " as written, NOT VALID, instead of the shadow's", List.of(Locks.accessExclusive(settled)), List.of(
                SQL.format("ALTER TABLE {} ADD ", settled) + DefinitionSql.check(check.name(), check.constraint(), check.noInherit())
                        + " NOT VALID",
                SQL.format("ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}", settled, temporary),
                SQL.format("DROP FUNCTION IF EXISTS {}({})", function, types))));
        sync.whenSettled(new TableSync.SettledStep("validate-check-" + check.name().name(), "validate check "
                + SQL.quote(check.name()), List.of(Locks.on(LockLevel.SHARE_UPDATE_EXCLUSIVE, settled)),
                List.of(SQL.format("ALTER TABLE {} VALIDATE CONSTRAINT {}", settled, check.name()))));
    }

    /** A foreign key from the shadow, NOT VALID at start, validated at complete. */
    private static void planReferences(AlterColumn op, OperationContext context, Table table, Identifier shadow, Identifier newName) {
        QualifiedName physical = context.physical(table);
        ColumnSpec.ReferencesSpec references = context.physicalReference(op.references());
        Identifier name = op.references().name() != null ? op.references().name()
                : GeneratedNames.fit(table.name().name() + "_" + newName.name() + "_fkey");
        QualifiedName target = context.qualified(references.table());
        context.start().inTransaction("references", "foreign key " + SQL.quote(name) + " from the shadow, NOT VALID",
                List.of(Locks.accessExclusive(physical), Locks.on(LockLevel.SHARE_ROW_EXCLUSIVE, target)),
                SQL.format("ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) ", physical, name, shadow)
                        + DefinitionSql.references(context.schema(), references) + " NOT VALID");
        context.complete().inTransaction("validate-references", "validate foreign key " + SQL.quote(name),
                List.of(Locks.on(LockLevel.SHARE_UPDATE_EXCLUSIVE, physical), Locks.on(LockLevel.ROW_SHARE, target)),
                SQL.format("ALTER TABLE {} VALIDATE CONSTRAINT {}", physical, name));
    }

    /** A dollar-quote tag the body does not contain. */
    private static String dollarTag(String body) {
        String tag = "$accordion$";
        for (int n = 1; body.contains(tag); n++) {
            tag = "$accordion" + n + "$";
        }
        return tag;
    }

    private static String comment(QualifiedName table, Identifier column, Optional<String> text) {
        return SQL.format("COMMENT ON COLUMN {}.{} IS ", table, column) + text.map(t -> SQL.format("{}", Literal.of(t))).orElse("NULL");
    }

    /** A faithful shadow carries the column's constraints, indexes, key membership and serial sequence, but not all. */
    private static void refuseWhatTheShadowCannotCarryYet(AlterColumn op, Table table, Column old) {
        FaithfulShadow.refuseWhatItCannotCarry("alter_column of \"" + table.name() + "\".\"" + old.name() + "\"", table, old);
    }
}
