package dev.accordion.postgres.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.migration.InvalidMigrationException;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.postgres.testing.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Helpers shared by the table-operation lifecycle tests (create, drop and rename table). */
final class TableLifecycleSupport {

    private TableLifecycleSupport() {
    }

    /** The statement fails with exactly this SQLSTATE (e.g. 23505 for a unique violation). */
    static void assertRejected(String sqlState, ThrowingCallable statement) {
        Throwable thrown = catchThrowable(statement);
        assertThat(thrown).as("the statement should fail with SQLSTATE " + sqlState).isInstanceOf(SQLException.class);
        assertThat(((SQLException) thrown).getSQLState()).as(thrown.getMessage()).isEqualTo(sqlState);
    }

    /**
     * Starting the migration fails as invalid and changes nothing in the database (schemas, tables,
     * columns, constraints, Accordion's state); {@code validate} reports the same problems. Returns them.
     */
    static List<String> assertRefused(Lifecycle lifecycle, TestDatabase db, String name, String yaml) {
        Migration migration = MigrationReader.parseYaml(name, yaml);
        List<String> before = fingerprint(db);
        Throwable thrown = catchThrowable(() -> lifecycle.accordion().start(migration, false));
        assertThat(thrown).isInstanceOf(InvalidMigrationException.class);
        assertThat(((AccordionException) thrown).code()).isEqualTo(ErrorCode.INVALID_MIGRATION);
        List<String> problems = ((InvalidMigrationException) thrown).problems();
        assertThat(thrown.getMessage()).contains(problems);
        assertThat(fingerprint(db)).as("the database after the refused start").isEqualTo(before);
        assertThat(lifecycle.accordion().validate(migration).problems()).isEqualTo(problems);
        return problems;
    }

    /** What a refused migration must leave as it was. */
    private static List<String> fingerprint(TestDatabase db) {
        List<String> facts = new ArrayList<>();
        facts.addAll(schemas(db));
        facts.addAll(relations(db, "public"));
        facts.addAll(db.queryStrings("SELECT format('%s.%s %s %s %s', table_schema, table_name, column_name, data_type, is_nullable) "
                + "FROM information_schema.columns WHERE table_schema LIKE 'public%' ORDER BY 1"));
        facts.addAll(db.queryStrings("SELECT format('%s %s', conrelid::regclass, conname) FROM pg_constraint c "
                + "JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' ORDER BY 1"));
        facts.addAll(db.queryStrings("SELECT format('%s %s %s', name, status, version_schema) FROM accordion.migrations ORDER BY 1"));
        facts.add("journal " + db.queryString("SELECT count(*) FROM accordion.journal"));
        return facts;
    }

    /** A row as {@link VersionClient#rows} returns it; unlike {@code Map.of}, values may be null. */
    static Map<String, Object> row(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    /** The relations (tables, views, indexes, sequences) of a schema with their kind, e.g. "users r". */
    static List<String> relations(TestDatabase db, String schema) {
        return db.queryStrings("SELECT c.relname || ' ' || c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = '" + schema + "' ORDER BY 1");
    }

    /** The names of the tables of the public schema (not the views), ordered. */
    static List<String> tables(TestDatabase db) {
        return db.queryStrings("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1");
    }

    /** Every schema of the database that is not PostgreSQL's own. */
    static List<String> schemas(TestDatabase db) {
        return db.queryStrings("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                + "AND nspname <> 'information_schema' ORDER BY 1");
    }

    /** A table's constraints as "name type definition", ordered by name. */
    static List<String> constraints(TestDatabase db, String table) {
        return db.queryStrings("SELECT conname || ' ' || contype::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                + "WHERE conrelid = to_regclass('public." + table + "') ORDER BY conname");
    }
}
