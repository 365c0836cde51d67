package dev.accordion.spi;

import dev.accordion.migration.Migration;
import dev.accordion.migration.ReleaseFile;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.sql.Identifier;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A migration as the state store keeps it: what it was, the schema it started from (so that every
 * phase is planned from the same picture), its version schema and where it is in its life.
 * A baseline is a complete migration without operations. A release (several files as one migration) lists its
 * files in {@code releaseFiles}; an ordinary migration, started from one file, has none.
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
        Optional<Instant> completedAt,
        List<ReleaseFile> releaseFiles) {

    public MigrationRecord {
        releaseFiles = List.copyOf(releaseFiles);
    }

    /** A migration of one file, not a release. */
    public MigrationRecord(Identifier schema, String name, Optional<String> parent, Identifier versionSchema, Migration migration,
                           SchemaSnapshot baseSchema, MigrationStatus status, boolean baseline, Instant startedAt,
                           Optional<Instant> completedAt) {
        this(schema, name, parent, versionSchema, migration, baseSchema, status, baseline, startedAt, completedAt, List.of());
    }

    public MigrationRecord withStatus(MigrationStatus newStatus) {
        return new MigrationRecord(schema, name, parent, versionSchema, migration, baseSchema, newStatus, baseline,
                startedAt, completedAt, releaseFiles);
    }

    public boolean isRelease() {
        return !releaseFiles.isEmpty();
    }

    /** The names of the files this record applies: a release's files, else the migration's own name. */
    public List<String> fileNames() {
        return isRelease() ? releaseFiles.stream().map(ReleaseFile::name).toList() : List.of(name);
    }
}
