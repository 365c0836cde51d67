package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.migration.AlterColumn;
import dev.accordion.postgres.Locks;
import dev.accordion.schema.Column;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.Literal;
import dev.accordion.sql.QualifiedName;
import java.util.List;
import java.util.Optional;

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

        Identifier newName = op.name() != null ? op.name() : op.column();
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
        shadow.plan(context, table, newName, Optional.ofNullable(op.up()), Optional.ofNullable(op.down()));
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
