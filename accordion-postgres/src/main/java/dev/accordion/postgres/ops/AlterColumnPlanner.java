package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.migration.AlterColumn;
import dev.accordion.plan.LockLevel;
import dev.accordion.postgres.GeneratedNames;
import dev.accordion.postgres.Locks;
import dev.accordion.postgres.sync.TableSync;
import dev.accordion.schema.Column;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.Literal;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * alter_column. A rename only changes the new version's view (complete settles the name); a comment is set on the
 * column itself. Every other change goes through a shadow column of the new shape beside the old one: the sync
 * trigger fills each side from the other's writes ({@code up}: old to new, {@code down}: new to old), the backfill
 * fills the shadow for existing rows, and complete drops the old column with the trigger and gives the shadow the
 * column's name. A new NOT NULL is a NOT VALID check on the shadow, validated at complete and then turned into
 * SET NOT NULL, which needs no scan once such a check is valid.
 */
final class AlterColumnPlanner implements OperationPlanner<AlterColumn> {

    @Override
    public void plan(AlterColumn op, OperationContext context) {
        Table table = context.tableBefore(op.table());
        Column old = table.column(op.column()).orElseThrow();
        QualifiedName physical = context.physical(table);
        if (!op.needsShadow()) {
            if (op.comment() != null) {
                context.start().inTransaction("comment", "set the comment of column " + SQL.quote(old.physicalName()),
                        List.of(Locks.accessExclusive(physical)), comment(physical, old.physicalName(), op.comment().asOptional()));
                context.rollback().inTransaction("comment", "restore the comment of column " + SQL.quote(old.physicalName()),
                        List.of(Locks.accessExclusive(physical)), comment(physical, old.physicalName(), old.comment()));
            }
            return; // a rename is the views' and NameSettling's business
        }
        if (!context.syncs().existedBefore(table)) {
            throw new IllegalArgumentException("alter_column of \"" + table.name() + "\".\"" + old.name() + "\": the table is created "
                    + "by this same migration, so no client knows it yet; declare the column as you want it in create_table");
        }
        refuseWhatTheShadowCannotCarryYet(op, table, old);

        Column shadow = old.inShadow();
        Identifier shadowName = shadow.physicalName();
        Identifier newName = op.name() != null ? op.name() : op.column();
        String type = op.type() != null ? op.type().text() : old.type();
        Optional<String> defaultValue = op.defaultValue() != null ? op.defaultValue().asOptional() : old.defaultExpr();
        Optional<String> comment = op.comment() != null ? op.comment().asOptional() : old.comment();
        boolean nullable = op.nullable() != null ? op.nullable() : old.nullable();

        List<String> sql = new ArrayList<>();
        sql.add(SQL.format("ALTER TABLE {} ADD COLUMN {} {}", physical, shadowName, SqlExpr.of(type))
                + defaultValue.map(d -> SQL.format(" DEFAULT {}", SqlExpr.of(d))).orElse(""));
        Identifier notNull = GeneratedNames.fit("_acc_nn_" + old.physicalName().name());
        if (!nullable) {
            sql.add(SQL.format("ALTER TABLE {} ADD CONSTRAINT {} CHECK ({} IS NOT NULL) NOT VALID", physical, notNull, shadowName));
        }
        comment.ifPresent(text -> sql.add(comment(physical, shadowName, Optional.of(text))));
        context.start().inTransaction("shadow", "add shadow column " + SQL.quote(shadowName) + " of type " + type
                + " for " + SQL.quote(old.physicalName()), List.of(Locks.accessExclusive(physical)), sql.toArray(String[]::new));

        TableSync sync = context.syncs().of(table);
        sync.up(shadowName, op.up() != null ? op.up() : SqlExpr.of(SQL.quote(old.physicalName())));
        sync.down(old.physicalName(), op.down() != null ? op.down() : SqlExpr.of(SQL.quote(newName)));
        sync.dropAtComplete(old.physicalName());
        sync.dropAtRollback(shadowName);

        if (!nullable) {
            context.complete().inTransaction("validate-not-null", "validate that " + SQL.quote(shadowName) + " holds no NULL",
                    List.of(Locks.on(LockLevel.SHARE_UPDATE_EXCLUSIVE, physical)),
                    SQL.format("ALTER TABLE {} VALIDATE CONSTRAINT {}", physical, notNull));
            context.complete().inTransaction("set-not-null", "make " + SQL.quote(shadowName) + " NOT NULL (no scan: the check is valid)",
                    List.of(Locks.accessExclusive(physical)),
                    SQL.format("ALTER TABLE {} ALTER COLUMN {} SET NOT NULL", physical, shadowName),
                    SQL.format("ALTER TABLE {} DROP CONSTRAINT {}", physical, notNull));
        }
    }

    private static String comment(QualifiedName table, Identifier column, Optional<String> text) {
        return SQL.format("COMMENT ON COLUMN {}.{} IS ", table, column) + text.map(t -> SQL.format("{}", Literal.of(t))).orElse("NULL");
    }

    /**
     * A faithful shadow also carries the column's constraints, indexes and identity (DESIGN §5); until it does,
     * a change that would lose them is refused before anything runs (validation turns this into a problem).
     */
    private static void refuseWhatTheShadowCannotCarryYet(AlterColumn op, Table table, Column old) {
        String what = "alter_column of \"" + table.name() + "\".\"" + old.name() + "\"";
        if (op.unique() != null || op.check() != null || op.references() != null) {
            throw new IllegalArgumentException(what + ": unique, check and references are not supported yet by this version of Accordion");
        }
        if (old.generation() != Column.Generation.NONE) {
            throw new IllegalArgumentException(what + ": the column is an identity or generated column, which cannot be changed "
                    + "through a shadow column yet");
        }
        boolean constrained = table.constraints().stream().anyMatch(c -> c.columns().contains(old.name()))
                || table.indexes().stream().anyMatch(i -> i.columns().contains(old.name()));
        if (constrained) {
            throw new IllegalArgumentException(what + ": the column is part of a constraint or an index, which a shadow column "
                    + "cannot carry over yet; drop them first, or change the column in a later version of Accordion");
        }
    }
}
