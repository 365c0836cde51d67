package dev.accordion.postgres.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.migration.MigrationReader;
import dev.accordion.postgres.testing.TestDatabase;
import dev.accordion.spi.MigrationRecord;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Helpers of the column, constraint, replica identity and sql lifecycle tests: catalog facts of the
 * {@code public} schema, and a refused start that must leave the database exactly as it was.
 */
final class ColumnOpsSupport {

    private ColumnOpsSupport() {
    }

    /** A statement that is expected to fail. */
    @FunctionalInterface
    interface Statement {
        void run() throws SQLException;
    }

    /** The columns of a table of {@code public}, in order. */
    static List<String> tableColumns(TestDatabase db, String table) {
        return db.queryStrings("SELECT attname FROM pg_attribute WHERE attrelid = 'public." + table + "'::regclass "
                + "AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
    }

    /** The names of the constraints of a table of {@code public}, sorted. */
    static List<String> constraints(TestDatabase db, String table) {
        return db.queryStrings("SELECT conname FROM pg_constraint WHERE conrelid = 'public." + table + "'::regclass ORDER BY 1");
    }

    /** The names of the indexes of a table of {@code public}, sorted. */
    static List<String> indexes(TestDatabase db, String table) {
        return db.queryStrings("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'public." + table
                + "'::regclass ORDER BY 1");
    }

    /** Everything a refused migration must not have touched: columns with type, nullability and default, constraints, indexes, comments. */
    static List<String> schemaFacts(TestDatabase db) {
        return db.queryStrings("""
                SELECT format('column %s.%s %s notnull=%s default=%s comment=%s', c.relname, a.attname,
                              format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
                              col_description(c.oid, a.attnum))
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
                UNION ALL
                SELECT format('constraint %s.%s %s', c.relname, k.conname, pg_get_constraintdef(k.oid))
                FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public'
                UNION ALL
                SELECT format('index %s replident=%s %s', c.relname, i.indisreplident, pg_get_indexdef(i.indexrelid))
                FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public'
                UNION ALL
                SELECT format('table %s replident=%s', c.relname, c.relreplident)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'
                ORDER BY 1""");
    }

    /**
     * Starts a migration that must be refused with {@code code}, and checks that the message names
     * each of {@code named}, that no version schema or state row was made, and that the schema is unchanged.
     */
    static AccordionException assertRefused(TestDatabase db, Lifecycle lifecycle, String name, String yaml, ErrorCode code,
                                            String... named) {
        List<String> factsBefore = schemaFacts(db);
        List<String> versionSchemasBefore = versionSchemas(db);
        List<String> historyBefore = history(lifecycle);

        AccordionException refused = catchThrowableOfType(AccordionException.class,
                () -> lifecycle.accordion().start(MigrationReader.parseYaml(name, yaml), false));

        assertThat(refused).as("start of " + name).isNotNull();
        assertThat(refused.code()).as(refused.getMessage()).isEqualTo(code);
        assertThat(refused.getMessage()).contains(named);
        assertThat(versionSchemas(db)).as("version schemas").isEqualTo(versionSchemasBefore);
        assertThat(lifecycle.accordion().status().active()).as("active migration").isEmpty();
        assertThat(history(lifecycle)).as("history").isEqualTo(historyBefore);
        assertThat(schemaFacts(db)).as("schema").isEqualTo(factsBefore);
        return refused;
    }

    /** Runs a statement that PostgreSQL must refuse with the SQLSTATE given. */
    static void assertFailsWith(String sqlState, Statement statement) {
        SQLException failure = catchThrowableOfType(SQLException.class, statement::run);
        assertThat((Throwable) failure).as("statement expected to fail with SQLSTATE " + sqlState).isNotNull();
        assertThat(failure.getSQLState()).as(failure.getMessage()).isEqualTo(sqlState);
    }

    /** Each row as its values joined by {@code |}, SQL NULL as {@code null}: compact to compare, and NULL-safe unlike Map.of. */
    static List<String> lines(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> row.values().stream().map(String::valueOf).collect(Collectors.joining("|"))).toList();
    }

    static List<String> versionSchemas(TestDatabase db) {
        return db.queryStrings("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'public\\_%' ORDER BY 1");
    }

    private static List<String> history(Lifecycle lifecycle) {
        return lifecycle.accordion().status().history().stream().map(MigrationRecord::name).toList();
    }
}
