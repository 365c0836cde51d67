package dev.accordion.postgres.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A JUnit 5 extension that gives each test its own empty database on {@link PgTestServer} and drops it afterwards:
 * <pre>{@code @RegisterExtension final TestDatabase db = new TestDatabase();}</pre>
 * Nothing but the server is shared, so tests may run in parallel. An instance serves one test at a time, which is
 * what JUnit's default of a new test instance per test method gives.
 */
public final class TestDatabase implements BeforeEachCallback, AfterEachCallback {

    private static final SecureRandom RANDOM = new SecureRandom();

    private volatile String name;

    /** Creates the database; from template0, so nothing an external server keeps in template1 leaks into tests. */
    @Override
    public void beforeEach(ExtensionContext context) {
        String fresh = "acc_test_" + HexFormat.of().toHexDigits(RANDOM.nextInt());
        onMaintenanceDatabase("CREATE DATABASE " + quoted(fresh) + " TEMPLATE template0");
        name = fresh;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        String finished = name;
        if (finished == null) {
            return; // beforeEach failed: nothing to drop
        }
        name = null;
        // FORCE (PostgreSQL 13+) ends connections the test left open; without it they would make the drop fail.
        onMaintenanceDatabase("DROP DATABASE IF EXISTS " + quoted(finished) + " WITH (FORCE)");
    }

    /** Such as {@code acc_test_1f0c9a2e}. */
    public String name() {
        String current = name;
        if (current == null) {
            throw new IllegalStateException("no database outside a test: register TestDatabase with @RegisterExtension"
                    + " and use it from test methods");
        }
        return current;
    }

    public String jdbcUrl() {
        return PgTestServer.jdbcUrlFor(name());
    }

    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl());
        return dataSource;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** A client connection of one version: its search_path set to {@code versionSchema}, and named {@code applicationName}. */
    public Connection connectToVersion(String versionSchema, String applicationName) throws SQLException {
        Connection connection = connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + quoted(versionSchema));
            statement.execute("SET application_name TO '" + applicationName.replace("'", "''") + "'");
        }
        return connection;
    }

    /** The server pid of the session behind {@code connection}. */
    public static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Runs the statements in order on one connection, each in its own transaction (autocommit). */
    public void execute(String... statements) {
        String current = "(connecting to " + name() + ")";
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                current = sql;
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new StatementFailedException(current, e);
        }
    }

    /** The first column of every row, as text; SQL NULL stays {@code null}. */
    public List<String> queryStrings(String sql) {
        return query(sql, row -> row.getString(1));
    }

    /** The first column of the only row; fails the test unless the query returns exactly one row. */
    public String queryString(String sql) {
        List<String> values = queryStrings(sql);
        if (values.size() != 1) {
            throw new AssertionError("expected exactly one row from [" + sql + "] but got " + values.size()
                    + ": " + values);
        }
        return values.get(0);
    }

    /** Every row as column label to value, in column order. */
    public List<Map<String, Object>> queryRows(String sql) {
        return query(sql, row -> {
            ResultSetMetaData columns = row.getMetaData();
            Map<String, Object> values = new LinkedHashMap<>();
            for (int column = 1; column <= columns.getColumnCount(); column++) {
                values.put(columns.getColumnLabel(column), row.getObject(column));
            }
            return values;
        });
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private <T> List<T> query(String sql, RowReader<T> reader) {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(reader.read(rows));
            }
            return result;
        } catch (SQLException e) {
            throw new StatementFailedException(sql, e);
        }
    }

    private static void onMaintenanceDatabase(String sql) {
        try (Connection connection = DriverManager.getConnection(PgTestServer.adminJdbcUrl());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new StatementFailedException(sql + " (on " + PgTestServer.describe() + ")", e);
        }
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
