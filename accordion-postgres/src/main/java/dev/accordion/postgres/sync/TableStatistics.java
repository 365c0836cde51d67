package dev.accordion.postgres.sync;

import static dev.accordion.postgres.PostgresSql.SQL;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accordion.sql.QualifiedName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What the planner says about a table, for a backfill's progress: cheap, and only an estimate. */
final class TableStatistics {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TableStatistics() {
    }

    /**
     * The planner's estimate of the table's rows. Not {@code pg_class.reltuples} alone: that is the count at the last
     * ANALYZE, unknown for a table never analyzed and far off for one just filled; the planner scales it to the
     * table's size on disk now (or, never analyzed, guesses from the row width), which costs no scan either.
     */
    static long estimatedRows(Connection connection, QualifiedName table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(SQL.format("EXPLAIN (FORMAT JSON) SELECT 1 FROM {}", table))) {
            if (!rs.next()) {
                return 0;
            }
            JsonNode plan = JSON.readTree(rs.getString(1)).path(0).path("Plan");
            return Math.max(0, plan.path("Plan Rows").asLong(0));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable EXPLAIN output for " + table, e);
        }
    }
}
