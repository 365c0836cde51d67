package dev.accordion.postgres.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.postgres.testing.TestDatabase;
import java.sql.SQLException;
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

    /** The call fails with an {@link AccordionException} of this code; returns its message. */
    static String assertFails(ErrorCode code, ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(AccordionException.class);
        assertThat(((AccordionException) thrown).code()).as(thrown.getMessage()).isEqualTo(code);
        return thrown.getMessage();
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

    /** The names of the recorded migrations with their status, e.g. "01_base complete". */
    static List<String> migrations(TestDatabase db) {
        return db.queryStrings("SELECT name || ' ' || status FROM accordion.migrations ORDER BY started_at, name");
    }

    /** A table's constraints as "name type definition", ordered by name. */
    static List<String> constraints(TestDatabase db, String table) {
        return db.queryStrings("SELECT conname || ' ' || contype::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                + "WHERE conrelid = to_regclass('public." + table + "') ORDER BY conname");
    }
}
