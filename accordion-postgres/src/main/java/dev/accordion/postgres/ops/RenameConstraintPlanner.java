package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.migration.RenameConstraint;
import dev.accordion.postgres.Locks;
import dev.accordion.sql.QualifiedName;
import java.util.List;

/** Constraint names are not part of either version's views; the rename happens at complete. */
final class RenameConstraintPlanner implements OperationPlanner<RenameConstraint> {

    @Override
    public void plan(RenameConstraint op, OperationContext context) {
        QualifiedName physical = context.physical(context.tableBefore(op.table()));
        context.complete().inTransaction("rename", "rename constraint " + SQL.quote(op.from()) + " to " + SQL.quote(op.to()),
                List.of(Locks.accessExclusive(physical)),
                SQL.format("ALTER TABLE {} RENAME CONSTRAINT {} TO {}", physical, op.from(), op.to()));
    }
}
