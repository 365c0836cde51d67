package dev.accordion.postgres.crash;

import dev.accordion.postgres.testing.PgTestServer;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Databases on the test server that are copies of each other: a scene is set up once and every case runs on a
 * {@code CREATE DATABASE … TEMPLATE} copy of it, which is much faster than setting the scene up again. A template
 * must have no open connection while it is copied. {@link #dropAll()} drops every database made here.
 */
final class ScratchDatabases {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<String> made = new ArrayList<>();

    /** A new empty database. */
    synchronized String fresh() {
        return copyOf("template0");
    }

    /** A new database holding what {@code template} holds now. */
    synchronized String copyOf(String template) {
        String name = "acc_crash_" + HexFormat.of().toHexDigits(RANDOM.nextInt());
        admin("CREATE DATABASE " + quoted(name) + " TEMPLATE " + quoted(template));
        made.add(name);
        return name;
    }

    synchronized void drop(String name) {
        admin("DROP DATABASE IF EXISTS " + quoted(name) + " WITH (FORCE)");
        made.remove(name);
    }

    synchronized void dropAll() {
        for (String name : List.copyOf(made)) {
            drop(name);
        }
    }

    static String url(String database) {
        return PgTestServer.jdbcUrlFor(database);
    }

    static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database));
    }

    static void execute(String database, String... statements) {
        String current = "(connecting to " + database + ")";
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                current = sql;
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + database + ": " + current + "\n" + e.getMessage(), e);
        }
    }

    private static void admin(String sql) {
        try (Connection connection = DriverManager.getConnection(PgTestServer.adminJdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + sql + "\n" + e.getMessage(), e);
        }
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
