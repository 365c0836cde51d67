package dev.accordion.postgres.ops;

import dev.accordion.migration.ColumnSpec;
import dev.accordion.schema.Column;
import dev.accordion.postgres.sync.Syncs;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;

/**
 * What a planner sees of its operation's place in the migration: the logical schema just before
 * and just after it, and the three phases to add steps to.
 */
public record OperationContext(Identifier schema, SchemaSnapshot before, SchemaSnapshot after,
                               PhaseSteps start, PhaseSteps complete, PhaseSteps rollback, Syncs syncs) {

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

    /**
     * A column's foreign key as the database must be told it: the file names the referenced table and column as the new
     * version knows them, but an earlier operation may have renamed them, and until complete they keep their old names.
     */
    public ColumnSpec.ReferencesSpec physicalReference(ColumnSpec.ReferencesSpec references) {
        Table target = tableBefore(references.table());
        Identifier column = target.column(references.column()).map(Column::physicalName).orElse(references.column());
        return new ColumnSpec.ReferencesSpec(references.name(), target.physicalName(), column, references.onDelete(),
                references.onUpdate(), references.matchType(), references.deferrable(), references.initiallyDeferred());
    }

    public Table tableAfter(Identifier name) {
        return after.table(name).orElseThrow(() -> new IllegalStateException("validation let unknown table " + name + " through"));
    }
}
