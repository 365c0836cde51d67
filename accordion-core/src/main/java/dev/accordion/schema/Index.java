package dev.accordion.schema;

import dev.accordion.sql.Identifier;
import java.util.List;

/** An index; {@code columns} are the logical names of the plain columns it covers. */
public record Index(Identifier name, List<Identifier> columns, boolean unique) {

    public Index {
        columns = List.copyOf(columns);
    }

    public Index withColumnRenamed(Identifier from, Identifier to) {
        return new Index(name, columns.stream().map(c -> c.equals(from) ? to : c).toList(), unique);
    }
}
