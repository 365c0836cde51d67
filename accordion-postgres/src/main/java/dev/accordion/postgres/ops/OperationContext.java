package dev.accordion.postgres.ops;

import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;

/**
 * What a planner sees of its operation's place in the migration: the logical schema just before
 * and just after it, and the three phases to add steps to.
 */
public record OperationContext(Identifier schema, SchemaSnapshot before, SchemaSnapshot after,
                               PhaseSteps start, PhaseSteps complete, PhaseSteps rollback) {

    /** The name a table has in the database while the migration is active. */
    public QualifiedName physical(Table table) {
        return new QualifiedName(schema, table.physicalName());
    }

    public QualifiedName qualified(Identifier name) {
        return new QualifiedName(schema, name);
    }

    public Table tableBefore(Identifier name) {
        return before.table(name).orElseThrow(() -> new IllegalStateException("validation let unknown table " + name + " through"));
    }

    public Table tableAfter(Identifier name) {
        return after.table(name).orElseThrow(() -> new IllegalStateException("validation let unknown table " + name + " through"));
    }
}
