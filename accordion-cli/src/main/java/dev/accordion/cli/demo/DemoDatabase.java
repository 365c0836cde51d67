package dev.accordion.cli.demo;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.sql.Identifier;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The demo's own database, created afresh each run. */
public final class DemoDatabase {

    /** The database the demo works in unless told another. */
    public static final String DEFAULT_NAME = "accordion_demo";

    private DemoDatabase() {
    }

    /** Drops and creates the database, so that every run starts from the same state. */
    static void recreate(DemoServer server, String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.maintenanceUrl());
             Statement statement = connection.createStatement()) {
            // FORCE (PostgreSQL 13+) ends sessions a previous, interrupted demo left behind
            statement.execute(SQL.format("DROP DATABASE IF EXISTS {} WITH (FORCE)", Identifier.of(name)));
            statement.execute(SQL.format("CREATE DATABASE {}", Identifier.of(name)));
        }
    }

    static String serverVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW server_version")) {
            rows.next();
            return rows.getString(1);
        }
    }
}
