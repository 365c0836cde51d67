package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.plan.LockLevel;
import dev.accordion.postgres.GeneratedNames;
import dev.accordion.postgres.Locks;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import java.util.List;

/**
 * NOT NULL on a column the backfill fills (DESIGN §5, "Constraints without long locks"): a NOT VALID check at start,
 * which new writes must already meet; at complete VALIDATE (no exclusive lock), then SET NOT NULL, which needs no
 * scan once such a check is valid, and the check goes.
 */
record DeferredNotNull(QualifiedName table, Identifier column, Identifier check) {

    /** {@code owner} names the check: the column whose new shape this is. */
    static DeferredNotNull of(QualifiedName table, Identifier column, Identifier owner) {
        return new DeferredNotNull(table, column, GeneratedNames.fit("_acc_nn_" + owner.name()));
    }

    String startSql() {
        return SQL.format("ALTER TABLE {} ADD CONSTRAINT {} CHECK ({} IS NOT NULL) NOT VALID", table, check, column);
    }

    void planComplete(PhaseSteps complete) {
        complete.inTransaction("validate-not-null", "validate that " + SQL.quote(column) + " holds no NULL",
                List.of(Locks.on(LockLevel.SHARE_UPDATE_EXCLUSIVE, table)),
                SQL.format("ALTER TABLE {} VALIDATE CONSTRAINT {}", table, check));
        complete.inTransaction("set-not-null", "make " + SQL.quote(column) + " NOT NULL (no scan: the check is valid)",
                List.of(Locks.accessExclusive(table)),
                SQL.format("ALTER TABLE {} ALTER COLUMN {} SET NOT NULL", table, column),
                SQL.format("ALTER TABLE {} DROP CONSTRAINT {}", table, check));
    }
}
