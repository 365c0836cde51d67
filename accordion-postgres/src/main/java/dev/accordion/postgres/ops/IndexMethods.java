package dev.accordion.postgres.ops;

import java.util.Map;

/** The index access methods PostgreSQL ships, as a closed list of keywords. */
final class IndexMethods {

    static final Map<String, String> ALL = Map.of("BTREE", "btree", "HASH", "hash", "GIST", "gist",
            "SPGIST", "spgist", "GIN", "gin", "BRIN", "brin");

    private IndexMethods() {
    }
}
