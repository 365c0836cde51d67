package dev.accordion.schema;

import dev.accordion.sql.Identifier;
import java.util.List;
import java.util.Optional;

/** A table constraint; {@code columns} are logical names, {@code referencedTable} is set for foreign keys. */
public record Constraint(Identifier name, ConstraintType type, List<Identifier> columns,
                         Optional<Identifier> referencedTable) {

    public Constraint {
        columns = List.copyOf(columns);
    }

    public Constraint renamed(Identifier newName) {
        return new Constraint(newName, type, columns, referencedTable);
    }

    public Constraint withColumnRenamed(Identifier from, Identifier to) {
        return new Constraint(name, type, columns.stream().map(c -> c.equals(from) ? to : c).toList(), referencedTable);
    }

    /** Whether this constraint is backed by an index of the same name (PostgreSQL's rule). */
    public boolean hasIndex() {
        return type == ConstraintType.PRIMARY_KEY || type == ConstraintType.UNIQUE || type == ConstraintType.EXCLUDE;
    }
}
