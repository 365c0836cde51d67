package dev.accordion.postgres;

import dev.accordion.sql.Identifier;

/**
 * Names Accordion gives the objects it creates. PostgreSQL silently truncates names to 63 bytes,
 * which could make two generated names collide, so a long name keeps its start and ends in a short
 * hash of the whole.
 */
public final class GeneratedNames {

    public static final int MAX_BYTES = Identifier.MAX_GENERATED_BYTES;
    private static final String DELETED_TABLE_PREFIX = "_acc_del_";

    private GeneratedNames() {
    }

    /** The name a dropped table has until complete. */
    public static Identifier deletedTable(Identifier table) {
        return fit(DELETED_TABLE_PREFIX + table.name());
    }

    /** The version schema of a migration: {@code <schema>_<migration>}. */
    public static Identifier versionSchema(Identifier schema, String migration) {
        return fit(schema.name() + "_" + migration);
    }

    public static Identifier fit(String name) {
        return Identifier.generated(name);
    }
}
