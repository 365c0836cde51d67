package dev.accordion.postgres.ops;

import dev.accordion.migration.Operation;

/**
 * rename_table, rename_column: only the views change at start, and complete gives the physical
 * objects their new names for all operations together ({@link NameSettling}).
 */
final class RenamePlanner implements OperationPlanner<Operation> {

    @Override
    public void plan(Operation op, OperationContext context) {
        // nothing to do per operation: the new version's views and NameSettling carry the rename
    }
}
