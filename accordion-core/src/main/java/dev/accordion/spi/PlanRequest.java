package dev.accordion.spi;

import dev.accordion.migration.Migration;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.sql.Identifier;
import java.util.Optional;

/**
 * Everything a dialect needs to plan a migration: the target schema as it was before the
 * migration, the version schema clients use now (none for the first migration) and the new one.
 */
public record PlanRequest(Identifier schema, Migration migration, SchemaSnapshot before,
                          Optional<Identifier> oldVersionSchema, Identifier newVersionSchema, Capabilities capabilities) {
}
