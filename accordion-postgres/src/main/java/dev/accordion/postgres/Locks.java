package dev.accordion.postgres;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.plan.LockClaim;
import dev.accordion.plan.LockLevel;
import dev.accordion.sql.QualifiedName;

/** Lock claims as plans print them, with the relation quoted the way the SQL names it. */
public final class Locks {

    private Locks() {
    }

    public static LockClaim on(LockLevel level, QualifiedName relation) {
        return new LockClaim(level, SQL.quote(relation));
    }

    public static LockClaim accessExclusive(QualifiedName relation) {
        return on(LockLevel.ACCESS_EXCLUSIVE, relation);
    }
}
