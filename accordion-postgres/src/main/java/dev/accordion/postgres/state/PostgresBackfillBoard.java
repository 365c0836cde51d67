package dev.accordion.postgres.state;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.AccordionException;
import dev.accordion.plan.StepId;
import dev.accordion.spi.BackfillBoard;
import dev.accordion.spi.BackfillPause;
import dev.accordion.spi.BackfillProgress;
import dev.accordion.spi.ConnectionSource;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The pause and progress tables of the state schema for one target schema: {@code backfill_pause} (one row per paused
 * schema) and {@code backfill_progress} (one row per backfill under way, written in its batches' transactions and
 * removed in its last one).
 */
final class PostgresBackfillBoard implements BackfillBoard {

    private final ConnectionSource connections;
    private final Identifier schema;
    private final QualifiedName pauseTable;
    private final QualifiedName progressTable;
    private final BiFunction<String, SQLException, AccordionException> failure;

    PostgresBackfillBoard(ConnectionSource connections, Identifier schema, QualifiedName pauseTable, QualifiedName progressTable,
                          BiFunction<String, SQLException, AccordionException> failure) {
        this.connections = connections;
        this.schema = schema;
        this.pauseTable = pauseTable;
        this.progressTable = progressTable;
        this.failure = failure;
    }

    @Override
    public Optional<BackfillPause> pause(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                SQL.format("SELECT reason, paused_by, paused_at FROM {} WHERE schema_name = ?", pauseTable))) {
            statement.setString(1, schema.name());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(new BackfillPause(Optional.ofNullable(rs.getString(1)), rs.getString(2),
                        rs.getTimestamp(3).toInstant())) : Optional.empty();
            }
        }
    }

    @Override
    public Optional<BackfillPause> pause() {
        try (Connection connection = connections.open()) {
            return pause(connection);
        } catch (SQLException e) {
            throw failure.apply("read the backfill pause of schema \"" + schema + "\"", e);
        }
    }

    @Override
    public boolean setPause(Optional<String> reason, String pausedBy) {
        // xmax is zero on a row this statement inserted and set on one it updated: whether a pause already stood
        String sql = SQL.format("""
                INSERT INTO {} AS p (schema_name, reason, paused_by)
                VALUES (?, ?, concat_ws('/', ?::text, nullif(current_setting('application_name'), '')))
                ON CONFLICT (schema_name) DO UPDATE SET reason = excluded.reason, paused_by = excluded.paused_by
                RETURNING p.xmax <> 0""", pauseTable);
        try (Connection connection = connections.open(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema.name());
            statement.setString(2, reason.orElse(null));
            statement.setString(3, pausedBy);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw failure.apply("pause the backfills of schema \"" + schema + "\"", e);
        }
    }

    @Override
    public Optional<BackfillPause> clearPause() {
        String sql = SQL.format("DELETE FROM {} WHERE schema_name = ? RETURNING reason, paused_by, paused_at", pauseTable);
        try (Connection connection = connections.open(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema.name());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(new BackfillPause(Optional.ofNullable(rs.getString(1)), rs.getString(2),
                        rs.getTimestamp(3).toInstant())) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure.apply("resume the backfills of schema \"" + schema + "\"", e);
        }
    }

    @Override
    public void saveProgress(Connection connection, BackfillProgress progress) throws SQLException {
        String sql = SQL.format("""
                INSERT INTO {} (schema_name, migration, step_id, rows_done, estimated_total, rows_per_second, state, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (schema_name, migration, step_id) DO UPDATE SET rows_done = excluded.rows_done,
                  estimated_total = excluded.estimated_total, rows_per_second = excluded.rows_per_second,
                  state = excluded.state, reason = excluded.reason, updated_at = clock_timestamp()""", progressTable);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema.name());
            statement.setString(2, progress.migration());
            statement.setString(3, progress.step().value());
            statement.setLong(4, progress.rowsDone());
            statement.setLong(5, progress.estimatedTotal());
            statement.setDouble(6, Double.isFinite(progress.rowsPerSecond()) ? progress.rowsPerSecond() : 0);
            statement.setString(7, progress.state().label());
            statement.setString(8, progress.reason().orElse(null));
            statement.executeUpdate();
        }
    }

    @Override
    public void clearProgress(Connection connection, String migration, StepId step) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                SQL.format("DELETE FROM {} WHERE schema_name = ? AND migration = ? AND step_id = ?", progressTable))) {
            statement.setString(1, schema.name());
            statement.setString(2, migration);
            statement.setString(3, step.value());
            statement.executeUpdate();
        }
    }

    @Override
    public List<BackfillProgress> progress(String migration) {
        String sql = SQL.format("""
                SELECT step_id, rows_done, estimated_total, rows_per_second, state, reason,
                       extract(epoch FROM clock_timestamp() - updated_at)::float8
                FROM {} WHERE schema_name = ? AND migration = ? ORDER BY updated_at""", progressTable);
        try (Connection connection = connections.open(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema.name());
            statement.setString(2, migration);
            List<BackfillProgress> all = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    all.add(new BackfillProgress(migration, new StepId(rs.getString(1)), rs.getLong(2), rs.getLong(3),
                            rs.getDouble(4), BackfillProgress.State.valueOf(rs.getString(5).toUpperCase(Locale.ROOT)),
                            Optional.ofNullable(rs.getString(6)), Duration.ofMillis(Math.max(0, Math.round(rs.getDouble(7) * 1000)))));
                }
            }
            return all;
        } catch (SQLException e) {
            throw failure.apply("read the backfill progress of migration \"" + migration + "\"", e);
        }
    }
}
