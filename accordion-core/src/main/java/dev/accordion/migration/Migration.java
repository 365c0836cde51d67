package dev.accordion.migration;

import dev.accordion.sql.Identifier;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A migration: its name (the file name without extension), an optional explicit version schema
 * name, and its operations in order.
 */
public record Migration(String name, Optional<Identifier> versionSchema, List<Operation> operations) {

    public Migration {
        Objects.requireNonNull(name, "name");
        versionSchema = Objects.requireNonNullElse(versionSchema, Optional.empty());
        operations = List.copyOf(operations);
    }

    public static Migration of(String name, Operation... operations) {
        return new Migration(name, Optional.empty(), List.of(operations));
    }

    /** Whether an operation runs user SQL whose effect on the schema cannot be known before it runs. */
    public boolean hasRawSql() {
        return operations.stream().anyMatch(RawSql.class::isInstance);
    }
}
