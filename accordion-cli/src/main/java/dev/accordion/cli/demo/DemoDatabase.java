package dev.accordion.cli.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The demo's own database, created afresh each run, with the application's table as it is before any migration. */
final class DemoDatabase {

    static final String NAME = "accordion_demo";

    private DemoDatabase() {
    }

    /** Drops and creates the database, so that every run starts from the same state. */
    static void recreate(DemoServer server) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.maintenanceUrl());
             Statement statement = connection.createStatement()) {
            // FORCE (PostgreSQL 13+) ends sessions a previous, interrupted demo left behind
            statement.execute("DROP DATABASE IF EXISTS accordion_demo WITH (FORCE)");
            statement.execute("CREATE DATABASE accordion_demo");
        }
    }

    /** Creates {@code users} with {@code count} sample rows, as the application had it before Accordion. */
    static void createUsers(Connection connection, int count) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, email text)");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO users (name, email)"
                + " SELECT 'User ' || n, 'user' || n || '@example.com' FROM generate_series(1, ?) AS n")) {
            insert.setInt(1, count);
            insert.executeUpdate();
        }
    }

    static String serverVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW server_version")) {
            rows.next();
            return rows.getString(1);
        }
    }

    static boolean schemaExists(Connection connection, String schema) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)")) {
            select.setString(1, schema);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }
}
