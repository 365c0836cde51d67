package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.plan.LockClaim;
import dev.accordion.plan.LockLevel;
import dev.accordion.plan.Step;
import dev.accordion.plan.StepId;
import dev.accordion.postgres.Locks;
import dev.accordion.sql.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code CREATE INDEX CONCURRENTLY}, made safe to run again. A build that failed or timed out
 * leaves an INVALID index behind, which {@code IF NOT EXISTS} would silently accept; so the step
 * looks at {@code pg_index.indisvalid} itself: a valid index is kept, an invalid one is dropped
 * and built again.
 */
record ConcurrentIndexStep(StepId id, String summary, QualifiedName index, QualifiedName table, String createSql)
        implements Step {

    @Override
    public boolean transactional() {
        return false;
    }

    @Override
    public List<LockClaim> locks() {
        return List.of(Locks.on(LockLevel.SHARE_UPDATE_EXCLUSIVE, table));
    }

    @Override
    public List<String> plannedSql() {
        return List.of(createSql);
    }

    @Override
    public List<String> sqlToRun(Connection connection) throws SQLException {
        return buildOrRebuild(connection, index, () -> createSql);
    }

    /** The CREATE INDEX CONCURRENTLY statement, written only when it is needed. */
    @FunctionalInterface
    interface Creation {
        String sql() throws SQLException;
    }

    /**
     * What a concurrent build runs now: nothing for a valid index of that name, the build for a missing one, and for
     * an INVALID leftover of an earlier build (which IF NOT EXISTS would silently accept) a drop, then the build.
     */
    static List<String> buildOrRebuild(Connection connection, QualifiedName index, Creation creation) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?""")) {
            statement.setString(1, index.schema().name());
            statement.setString(2, index.name().name());
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return List.of(creation.sql());
                }
                if (rs.getBoolean(1)) {
                    return List.of();
                }
                return List.of(SQL.format("DROP INDEX CONCURRENTLY IF EXISTS {}", index), creation.sql());
            }
        }
    }
}
