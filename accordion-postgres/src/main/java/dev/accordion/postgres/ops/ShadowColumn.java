package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

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
 * A shadow column: the new shape of a column, beside the old one until complete (DESIGN §2). Adding it registers
 * both directions with the table's sync trigger ({@code up} fills it from the old version's writes and the
 * backfill, {@code down} fills the old column from the new version's writes); complete drops the old column with
 * the trigger and NameSettling gives the shadow the column's name; rollback drops the shadow with the trigger.
 * A NOT NULL shadow gets a NOT VALID check once the backfill has filled it, validated at complete and then made NOT NULL
 * without a scan; its default, which only the new version's inserts need, also waits for the backfill.
 * Operations that change a column (alter_column, create_constraint, drop_constraint) all go through here.
 *
 * @param type the new column's SQL type
 */
record ShadowColumn(Column old, Identifier name, SqlExpr type, Optional<String> defaultValue, boolean nullable,
                    Optional<String> comment) {

    /** The shadow of {@code old} with the same shape; change parts of it with the {@code with…} methods. */
    static ShadowColumn of(Column old) {
        return new ShadowColumn(old, old.inShadow().physicalName(), SqlExpr.of(old.type()), old.defaultExpr(), old.nullable(),
                old.comment());
    }

    ShadowColumn withType(SqlExpr newType) {
        return new ShadowColumn(old, name, newType, defaultValue, nullable, comment);
    }

    ShadowColumn withDefault(Optional<String> newDefault) {
        return new ShadowColumn(old, name, type, newDefault, nullable, comment);
    }

    ShadowColumn withNullable(boolean newNullable) {
        return new ShadowColumn(old, name, type, defaultValue, newNullable, comment);
    }

    ShadowColumn withComment(Optional<String> newComment) {
        return new ShadowColumn(old, name, type, defaultValue, nullable, newComment);
    }

    /**
     * Plans the shadow's steps and its sync. {@code up} defaults to the old column's value and {@code down} to the
     * new one's ({@code newName} is the column's name in the new version), converted by assignment.
     */
    void plan(OperationContext context, Table table, Identifier newName, Optional<SqlExpr> up, Optional<SqlExpr> down) {
        QualifiedName physical = context.physical(table);
        List<String> sql = new ArrayList<>();
        // No default yet: existing rows would read it until the backfill (a unique index on the shadow would see
        // them all equal), and until the new version exists only the trigger writes the shadow.
        sql.add(SQL.format("ALTER TABLE {} ADD COLUMN {} {}", physical, name, type));
        DeferredNotNull notNull = DeferredNotNull.of(physical, name, old.physicalName());
        comment.ifPresent(text -> sql.add(SQL.format("COMMENT ON COLUMN {}.{} IS {}", physical, name, Literal.of(text))));
        context.start().inTransaction("shadow", "add shadow column " + SQL.quote(name) + " of type " + type
                + " for " + SQL.quote(old.physicalName()), List.of(Locks.accessExclusive(physical)), sql.toArray(String[]::new));

        TableSync sync = context.syncs().of(table);
        sync.up(name, up.orElse(SqlExpr.of(SQL.quote(old.physicalName()))));
        sync.down(old.physicalName(), down.orElse(SqlExpr.of(SQL.quote(newName))));
        sync.twoWay(name, old.physicalName());
        sync.dropAtComplete(old.physicalName());
        sync.dropAtRollback(name);
        // After the backfill: before it, an old-version update of another column of a row not yet filled would
        // fail the NOT NULL check.
        defaultValue.ifPresent(d -> sync.afterBackfill(SQL.format("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}", physical, name,
                SqlExpr.of(d))));
        if (!nullable) {
            sync.afterBackfill(notNull.startSql());
        }

        if (!nullable) {
            notNull.planComplete(context.complete());
        }
    }
}
