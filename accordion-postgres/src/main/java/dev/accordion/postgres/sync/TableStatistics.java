package dev.accordion.postgres.sync;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.sql.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What the planner's statistics say about a table, for a backfill's progress: cheap, and only an estimate. */
final class TableStatistics {

    private TableStatistics() {
    }

    /** The table's row count as last analyzed; 0 when it never was. */
    static long estimatedRows(Connection connection, QualifiedName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
            statement.setString(1, SQL.quote(table));
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
