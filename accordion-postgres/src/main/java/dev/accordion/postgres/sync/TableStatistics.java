package dev.accordion.postgres.sync;

import static dev.accordion.postgres.PostgresSql.SQL;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accordion.sql.Literal;
import dev.accordion.sql.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What the planner says about a table, for a backfill's progress: cheap, and only an estimate. */
final class TableStatistics {

    /** About how many pages a never-analyzed table's sample reads: a few milliseconds, whatever the table's size. */
    private static final double SAMPLED_PAGES = 1_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private TableStatistics() {
    }

    /**
     * An estimate of the table's live rows, which does not grow with dead ones. Neither {@code pg_class.reltuples}
     * (the count at the last ANALYZE, far off for a table filled since, -1 for one never analyzed) nor the planner's
     * estimate (the last ANALYZE's rows per page times the pages on disk now, so a table whose rows were rewritten
     * twice since, as by a backfill and its rollback, counts about three times its rows) will do. A table is counted
     * instead on a sample of about {@value #SAMPLED_PAGES} pages ({@code TABLESAMPLE SYSTEM}), which sees only live
     * rows, or whole when it has no more pages than that: a few milliseconds, once per backfill. A partitioned table has
     * no pages of its own to size the sample by, so it keeps the planner's estimate over its partitions.
     */
    static long estimatedRows(Connection connection, QualifiedName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT relkind = 'r', pg_relation_size(oid) / current_setting('block_size')::bigint "
                        + "FROM pg_class WHERE oid = CAST(? AS regclass)")) {
            statement.setString(1, SQL.quote(table));
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    return sampledRows(connection, table, rs.getLong(2));
                }
            }
        }
        return plannedRows(connection, table);
    }

    private static long sampledRows(Connection connection, QualifiedName table, long pages) throws SQLException {
        double percent = Math.min(100, 100 * SAMPLED_PAGES / Math.max(1, pages));
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(SQL.format("SELECT count(*) FROM {} TABLESAMPLE SYSTEM ({})", table,
                     Literal.of(Double.toString(percent))))) {
            rs.next();
            return Math.round(rs.getLong(1) * 100 / percent);
        }
    }

    private static long plannedRows(Connection connection, QualifiedName table) throws SQLException {
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
