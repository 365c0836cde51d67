package dev.accordion.spi;

import dev.accordion.migration.Migration;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.sql.Identifier;
import java.time.Instant;
import java.util.Optional;

/**
 * A migration as the state store keeps it: what it was, the schema it started from (so that every
 * phase is planned from the same picture), its version schema and where it is in its life.
 * A baseline is a complete migration without operations.
 */
public record MigrationRecord(
        Identifier schema,
        String name,
        Optional<String> parent,
        Identifier versionSchema,
        Migration migration,
        SchemaSnapshot baseSchema,
        MigrationStatus status,
        boolean baseline,
        Instant startedAt,
        Optional<Instant> completedAt) {

    public MigrationRecord withStatus(MigrationStatus newStatus) {
        return new MigrationRecord(schema, name, parent, versionSchema, migration, baseSchema, newStatus, baseline,
                startedAt, completedAt);
    }
}
