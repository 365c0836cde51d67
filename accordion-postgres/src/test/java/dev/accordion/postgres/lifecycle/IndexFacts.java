package dev.accordion.postgres.lifecycle;

import dev.accordion.postgres.testing.TestDatabase;
import java.util.List;

/** What the catalog says about the indexes of schema {@code public}: definitions, validity, identity. */
final class IndexFacts {

    private final TestDatabase db;

    IndexFacts(TestDatabase db) {
        this.db = db;
    }

    boolean exists(String index) {
        return !db.queryStrings(lookup("1", index)).isEmpty();
    }

    /** {@code pg_get_indexdef}, as PostgreSQL itself would recreate the index. */
    String definition(String index) {
        return db.queryString(lookup("pg_get_indexdef(i.indexrelid)", index));
    }

    /** {@code pg_index.indisvalid}: whether queries may use the index (false for a failed concurrent build). */
    boolean isValid(String index) {
        return Boolean.parseBoolean(db.queryString(lookup("i.indisvalid::text", index)));
    }

    /** The index's oid: it changes when an index is dropped and built again. */
    long oid(String index) {
        return Long.parseLong(db.queryString(lookup("i.indexrelid::bigint", index)));
    }

    /** The names of every index on a table, sorted. */
    List<String> onTable(String table) {
        return db.queryStrings("SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "WHERE i.indrelid = 'public." + table + "'::regclass ORDER BY 1");
    }

    private static String lookup(String what, String index) {
        return "SELECT " + what + " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = '" + index + "'";
    }
}
