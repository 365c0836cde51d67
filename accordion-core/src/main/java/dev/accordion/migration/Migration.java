package dev.accordion.migration;

import dev.accordion.sql.Identifier;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A migration: its name (the file name without extension), an optional explicit version schema
 * name, and its operations in order. {@code source} is the file it was read from, as given, for the commands that
 * messages tell people to run; it is not part of what the migration says (its checksum leaves it out).
 */
public record Migration(String name, Optional<Identifier> versionSchema, List<Operation> operations, Optional<String> source) {

    public Migration {
        Objects.requireNonNull(name, "name");
        versionSchema = Objects.requireNonNullElse(versionSchema, Optional.empty());
        operations = List.copyOf(operations);
        source = Objects.requireNonNullElse(source, Optional.empty());
    }

    public Migration(String name, Optional<Identifier> versionSchema, List<Operation> operations) {
        this(name, versionSchema, operations, Optional.empty());
    }

    public Migration withSource(Optional<String> file) {
        return new Migration(name, versionSchema, operations, file);
    }

    public static Migration of(String name, Operation... operations) {
        return new Migration(name, Optional.empty(), List.of(operations));
    }

    /** Whether an operation runs user SQL whose effect on the schema cannot be known before it runs. */
    public boolean hasRawSql() {
        return operations.stream().anyMatch(RawSql.class::isInstance);
    }
}
