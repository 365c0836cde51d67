package dev.accordion.postgres.lifecycle;

import dev.accordion.postgres.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A client of one version: every statement runs with search_path set to that version schema, as an application would. */
public final class VersionClient {

    private final TestDatabase db;
    private final String versionSchema;

    VersionClient(TestDatabase db, String versionSchema) {
        this.db = db;
        this.versionSchema = versionSchema;
    }

    public String schema() {
        return versionSchema;
    }

    public void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    public List<Map<String, Object>> rows(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /** The column names this version sees for a table, in order. */
    public List<String> columns(String table) throws SQLException {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> row : rows("SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(current_schema() || '."
                + table + "') AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            names.add((String) row.get("attname"));
        }
        return names;
    }

    private Connection connect() throws SQLException {
        Connection connection = db.connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO \"" + versionSchema.replace("\"", "\"\"") + "\"");
        }
        return connection;
    }
}
