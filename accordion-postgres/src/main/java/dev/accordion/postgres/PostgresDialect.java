package dev.accordion.postgres;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.execute.Throttle;
import dev.accordion.plan.Plan;
import dev.accordion.postgres.ops.MigrationPlanner;
import dev.accordion.postgres.state.PostgresStateStore;
import dev.accordion.postgres.throttle.LockWaitersThrottle;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.spi.BlockingSession;
import dev.accordion.spi.ClientSighting;
import dev.accordion.spi.IndexUse;
import dev.accordion.spi.Capabilities;
import dev.accordion.spi.ConnectionSource;
import dev.accordion.spi.Dialect;
import dev.accordion.spi.PlanRequest;
import dev.accordion.spi.StateStore;
import dev.accordion.sql.Identifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** PostgreSQL 13 and newer. */
public final class PostgresDialect implements Dialect {

    /** The first key of Accordion's two-key advisory locks; the second is the target schema's hash. */
    private static final int RUNNER_LOCK_CLASS = 0x41636364;

    private final MigrationPlanner planner = new MigrationPlanner(PostgresDialect::readCatalog);

    @Override
    public boolean accepts(String databaseProductName) {
        return "PostgreSQL".equalsIgnoreCase(databaseProductName);
    }

    @Override
    public Capabilities capabilities(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_setting('server_version_num')::int, current_setting('max_identifier_length')::int")) {
            rs.next();
            int major = rs.getInt(1) / 10000;
            if (major < 13) {
                throw new AccordionException(ErrorCode.USAGE, "the server runs PostgreSQL " + major
                        + "; Accordion needs PostgreSQL 13 or newer");
            }
            return new Capabilities("PostgreSQL", major, rs.getInt(2), major >= 15);
        }
    }

    @Override
    public SchemaSnapshot readSchema(Connection connection, Identifier schema) throws SQLException {
        return PostgresSchemaReader.read(connection, schema);
    }

    private static SchemaSnapshot readCatalog(Connection connection, Identifier schema) {
        try {
            return PostgresSchemaReader.read(connection, schema);
        } catch (SQLException e) {
            throw new AccordionException(ErrorCode.DATABASE, "cannot read schema \"" + schema + "\" after the migration's SQL: " + e.getMessage().strip()
                    + "\nRun the same command again to continue; finished steps are kept.", e);
        }
    }

    @Override
    public StateStore stateStore(ConnectionSource connections, Identifier stateSchema) {
        return new PostgresStateStore(connections, stateSchema);
    }

    @Override
    public Plan plan(PlanRequest request) {
        return planner.plan(request);
    }

    @Override
    public void validateAgainstDatabase(Connection connection, PlanRequest request, Problems problems) throws SQLException {
        new PostgresValidation(connection, request, problems).run();
    }

    @Override
    public Optional<String> tryLockSchema(Connection connection, Identifier schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
            statement.setInt(1, RUNNER_LOCK_CLASS);
            statement.setString(2, schema.name());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT a.pid, coalesce(a.client_hostname, host(a.client_addr), 'local socket'), a.backend_start, a.application_name
                FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ? AND l.objid = hashtext(?)::oid
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())""")) {
            statement.setInt(1, RUNNER_LOCK_CLASS);
            statement.setString(2, schema.name());
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.of("a runner that has just finished");
                }
                return Optional.of("the session with server pid " + rs.getInt(1) + ", from " + rs.getString(2) + " (application \""
                        + rs.getString(4) + "\"), started at " + rs.getTimestamp(3).toInstant());
            }
        }
    }

    @Override
    public void unlockSchema(Connection connection, Identifier schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
            statement.setInt(1, RUNNER_LOCK_CLASS);
            statement.setString(2, schema.name());
            statement.execute();
        }
    }

    @Override
    public void setLockTimeout(Connection connection, Duration timeout, boolean local) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT set_config('lock_timeout', ?, ?)")) {
            statement.setString(1, timeout.toMillis() + "ms");
            statement.setBoolean(2, local);
            statement.execute();
        }
    }

    @Override
    public boolean isLockTimeout(SQLException e) {
        return "55P03".equals(e.getSQLState());
    }

    @Override
    public int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public List<BlockingSession> blockingSessions(Connection probe, int waitingPid) throws SQLException {
        try (PreparedStatement statement = probe.prepareStatement("""
                SELECT a.pid, a.application_name, host(a.client_addr), a.state, a.xact_start, a.query_start, a.query
                FROM pg_stat_activity a WHERE a.pid = ANY (pg_blocking_pids(?)) ORDER BY a.xact_start NULLS LAST""")) {
            statement.setInt(1, waitingPid);
            List<BlockingSession> sessions = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    sessions.add(new BlockingSession(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Optional.ofNullable(rs.getTimestamp(5)).map(Timestamp::toInstant),
                            Optional.ofNullable(rs.getTimestamp(6)).map(Timestamp::toInstant), rs.getString(7)));
                }
            }
            return sessions;
        }
    }

    @Override
    public List<ClientSighting> versionSchemaClients(Connection probe, Identifier versionSchema) throws SQLException {
        // pg_locks lists a relation lock of another database too; the relation's oid means something only in this one
        try (PreparedStatement statement = probe.prepareStatement("""
                WITH by_lock AS (
                  SELECT DISTINCT l.pid FROM pg_locks l
                  JOIN pg_class c ON c.oid = l.relation AND c.relkind = 'v'
                  JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = ?
                  WHERE l.locktype = 'relation' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())),
                by_name AS (
                  SELECT pid FROM pg_stat_activity
                  WHERE datname = current_database() AND right(application_name, length(?) + 1) = '@' || ?)
                SELECT a.pid, a.usename, a.application_name, host(a.client_addr), a.backend_start,
                       a.pid IN (SELECT pid FROM by_lock), a.pid IN (SELECT pid FROM by_name)
                FROM pg_stat_activity a
                WHERE a.pid <> pg_backend_pid() AND (a.pid IN (SELECT pid FROM by_lock) OR a.pid IN (SELECT pid FROM by_name))
                ORDER BY a.pid""")) {
            statement.setString(1, versionSchema.name());
            statement.setString(2, versionSchema.name());
            statement.setString(3, versionSchema.name());
            List<ClientSighting> sightings = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    sightings.add(new ClientSighting(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant(), rs.getBoolean(6), rs.getBoolean(7)));
                }
            }
            return sightings;
        }
    }

    @Override
    public List<IndexUse> indexUse(Connection connection, Identifier schema, List<String> indexes) throws SQLException {
        // last_idx_scan came with PostgreSQL 16; before it, to_jsonb reads a column that may not be there as null
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT s.indexrelname, s.idx_scan, (to_jsonb(s) ->> 'last_idx_scan')::timestamptz
                FROM pg_stat_user_indexes s WHERE s.schemaname = ? AND s.indexrelname = ANY (?) ORDER BY s.indexrelname""")) {
            statement.setString(1, schema.name());
            statement.setArray(2, connection.createArrayOf("text", indexes.toArray()));
            List<IndexUse> uses = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    uses.add(new IndexUse(rs.getString(1), rs.getLong(2), Optional.ofNullable(rs.getTimestamp(3)).map(Timestamp::toInstant)));
                }
            }
            return uses;
        }
    }

    @Override
    public Optional<Throttle> lockWaitersThrottle() {
        return Optional.of(new LockWaitersThrottle());
    }

    @Override
    public Identifier versionSchemaName(Identifier schema, String migrationName) {
        return GeneratedNames.versionSchema(schema, migrationName);
    }
}
