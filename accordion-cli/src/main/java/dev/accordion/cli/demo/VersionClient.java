package dev.accordion.cli.demo;

import dev.accordion.postgres.PostgresUrls;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * An application client of one version: its connection's search_path is that version's schema,
 * set through the JDBC URL as {@code accordion latest url} prints it.
 */
final class VersionClient implements AutoCloseable {

    private final ClientVersion version;
    private final Connection connection;

    private VersionClient(ClientVersion version, Connection connection) {
        this.version = version;
        this.connection = connection;
    }

    static VersionClient connect(ClientVersion version, String databaseUrl, String versionSchema) throws SQLException {
        String url = PostgresUrls.withParameter(PostgresUrls.withParameter(databaseUrl, "currentSchema", versionSchema),
                "ApplicationName", "accordion-demo-" + version.label);
        return new VersionClient(version, DriverManager.getConnection(url));
    }

    String label() {
        return version.label;
    }

    String nameColumn() {
        return version.nameColumn;
    }

    /** The columns of {@code users} as this version sees them. */
    List<String> columns() throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT column_name FROM information_schema.columns"
                     + " WHERE table_schema = current_schema() AND table_name = 'users' ORDER BY ordinal_position")) {
            while (rows.next()) {
                columns.add(rows.getString(1));
            }
        }
        return columns;
    }

    long countUsers() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM users")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Inserts a user the way this version's code does, and answers the new id. */
    long insertUser(String name, String email) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(version.insertSql)) {
            insert.setString(1, name);
            insert.setString(2, email);
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The user's name as this version reads it (from its own column). */
    String nameOf(long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(version.selectNameSql)) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
