package dev.accordion.postgres.ops;

import dev.accordion.migration.Operation;

/**
 * Turns one operation into steps of the start, complete and rollback phases. Rollback steps must
 * succeed after a start that stopped anywhere, so they use {@code IF EXISTS}. Renames have no steps
 * of their own: complete settles every physical name at once ({@link NameSettling}).
 */
public interface OperationPlanner<O extends Operation> {

    void plan(O operation, OperationContext context);
}
