package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.migration.SetReplicaIdentity;
import dev.accordion.postgres.Locks;
import dev.accordion.sql.QualifiedName;
import java.util.List;

/**
 * A catalog-only change that affects logical replication, not clients: applied at start. Like
 * pgroll, rollback leaves it in place (the previous identity is not recorded).
 */
final class SetReplicaIdentityPlanner implements OperationPlanner<SetReplicaIdentity> {

    @Override
    public void plan(SetReplicaIdentity op, OperationContext context) {
        QualifiedName physical = context.physical(context.tableBefore(op.table()));
        String identity = switch (op.identity().type().toLowerCase()) {
            case "default" -> "DEFAULT";
            case "full" -> "FULL";
            case "nothing" -> "NOTHING";
            case "index" -> SQL.format("USING INDEX {}", op.identity().index());
            default -> throw new IllegalArgumentException("replica identity type " + op.identity().type());
        };
        context.start().inTransaction("set", "set replica identity of " + SQL.quote(physical) + " to " + identity,
                List.of(Locks.accessExclusive(physical)), SQL.format("ALTER TABLE {} REPLICA IDENTITY ", physical) + identity);
    }
}
