package dev.accordion.postgres.state;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.AccordionException;
import dev.accordion.ClientSession;
import dev.accordion.ClientWatch;
import dev.accordion.ErrorCode;
import dev.accordion.Hint;
import dev.accordion.execute.StopSignal;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.migration.ReleaseFile;
import dev.accordion.plan.Phase;
import dev.accordion.plan.StepId;
import dev.accordion.spi.BackfillBoard;
import dev.accordion.spi.Checkpoint;
import dev.accordion.spi.IndexUse;
import dev.accordion.spi.ConnectionSource;
import dev.accordion.spi.Journal;
import dev.accordion.spi.MigrationRecord;
import dev.accordion.spi.MigrationStatus;
import dev.accordion.spi.StateJson;
import dev.accordion.spi.StateStore;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlBuilder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps history, journal and checkpoints in tables of the state schema ({@code accordion} by
 * default). One partial unique index enforces at most one active migration per target schema.
 */
public final class PostgresStateStore implements StateStore {

    /** Serializes concurrent {@code init}s: CREATE ... IF NOT EXISTS alone races on the catalog. */
    private static final long INIT_LOCK_KEY = 0x4163636f7264L;

    /**
     * Backfill progress, keyed like the journal: per phase, so that a rollback's batched step never resumes from a
     * position start reached (its step ids differ today, but the phase key makes that independent of naming).
     */
    private static final String CHECKPOINTS = "checkpoints";
    static final String BACKFILL_PAUSE = "backfill_pause";
    static final String BACKFILL_PROGRESS = "backfill_progress";
    /** A rollback's request that a running start stop; it counts only while the requesting session lives. */
    private static final String ROLLBACK_REQUESTS = "rollback_requests";
    /** The last client watch of each version schema, and the sessions it saw. */
    private static final String CLIENT_WATCHES = "client_watches";
    private static final String CLIENT_WATCH_SESSIONS = "client_watch_sessions";
    /** The scans of each index a migration's complete drops, counted when its start began. */
    private static final String INDEX_SCANS = "index_scans";
    /**
     * The files of a release, each with its own copy and checksum: the release's {@code migrations} row holds their
     * operations merged, under the last file's name. Its rows go with the release's row (a rollback forgets both).
     */
    private static final String RELEASE_FILES = "release_files";

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final ConnectionSource connections;
    private final Identifier stateSchema;

    public PostgresStateStore(ConnectionSource connections, Identifier stateSchema) {
        this.connections = connections;
        this.stateSchema = stateSchema;
    }

    @Override
    public void init() {
        try (Connection connection = connections.open(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("SELECT pg_advisory_xact_lock(" + INIT_LOCK_KEY + ")");
            for (String ddl : schemaDdl()) {
                statement.execute(ddl);
            }
            connection.commit();
        } catch (SQLException e) {
            throw failure("create the state schema " + SQL.quote(stateSchema)
                    + " (the user needs CREATE on the database)", e);
        }
    }

    private List<String> schemaDdl() {
        return List.of(
                SQL.format("CREATE SCHEMA IF NOT EXISTS {}", stateSchema),
                SQL.format("""
                        CREATE TABLE IF NOT EXISTS {} (
                          schema_name text NOT NULL,
                          name text NOT NULL,
                          parent text,
                          version_schema text NOT NULL,
                          migration jsonb NOT NULL,
                          base_schema jsonb NOT NULL,
                          status text NOT NULL,
                          baseline boolean NOT NULL DEFAULT false,
                          started_at timestamptz NOT NULL DEFAULT now(),
                          completed_at timestamptz,
                          PRIMARY KEY (schema_name, name))""", table("migrations")),
                // Added later, like the tables below: the file a migration was started from, for the commands status shows.
                SQL.format("ALTER TABLE {} ADD COLUMN IF NOT EXISTS source text", table("migrations")),
                SQL.format("CREATE UNIQUE INDEX IF NOT EXISTS {} ON {} (schema_name) WHERE status <> 'complete'",
                        Identifier.of("migrations_one_active"), table("migrations")),
                SQL.format("""
                        CREATE TABLE IF NOT EXISTS {} (
                          schema_name text NOT NULL,
                          migration text NOT NULL,
                          phase text NOT NULL,
                          step_id text NOT NULL,
                          finished_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                          PRIMARY KEY (schema_name, migration, phase, step_id))""", table("journal")),
                // Added after the first release: CREATE ... IF NOT EXISTS also brings an older state schema up to date.
                SQL.format("""
                        CREATE TABLE IF NOT EXISTS {} (
                          schema_name text NOT NULL,
                          migration text NOT NULL,
                          phase text NOT NULL,
                          step_id text NOT NULL,
                          position text,
                          rows_done bigint NOT NULL,
                          updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                          PRIMARY KEY (schema_name, migration, phase, step_id))""", table(CHECKPOINTS)),
                // Backfill control: a pause set from any process, and what each running backfill last reported.
                SQL.format("""
                        CREATE TABLE IF NOT EXISTS {} (
                          schema_name text PRIMARY KEY,
                          reason text,
                          paused_by text NOT NULL,
                          paused_at timestamptz NOT NULL DEFAULT clock_timestamp())""", table(BACKFILL_PAUSE)),
                SQL.format("""
                        CREATE TABLE IF NOT EXISTS {} (
                          schema_name text NOT NULL,
                          migration text NOT NULL,
                          step_id text NOT NULL,
                          rows_done bigint NOT NULL,
                          estimated_total bigint NOT NULL,
                          rows_per_second double precision NOT NULL,
                          state text NOT NULL CHECK (state IN ('running', 'throttled', 'paused')),
                          reason text,
                          updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                          PRIMARY KEY (schema_name, migration, step_id))""", table(BACKFILL_PROGRESS)),
                SQL.format("""
                        CREATE TABLE IF NOT EXISTS {} (
                          schema_name text NOT NULL,
                          migration text NOT NULL,
                          requested_by text NOT NULL,
                          requester_pid integer NOT NULL,
                          requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                          PRIMARY KEY (schema_name, migration))""", table(ROLLBACK_REQUESTS)),
                SQL.format("""
                        CREATE TABLE IF NOT EXISTS {} (
                          schema_name text NOT NULL,
                          version_schema text NOT NULL,
                          watched_ms bigint NOT NULL,
                          looks integer NOT NULL,
                          ended_at timestamptz NOT NULL,
                          PRIMARY KEY (schema_name, version_schema))""", table(CLIENT_WATCHES)),
                SQL.format("""
                        CREATE TABLE IF NOT EXISTS {} (
                          schema_name text NOT NULL,
                          version_schema text NOT NULL,
                          pid integer NOT NULL,
                          user_name text,
                          application_name text,
                          client_address text,
                          backend_start timestamptz NOT NULL,
                          times_seen integer NOT NULL,
                          held_lock boolean NOT NULL,
                          named_version boolean NOT NULL,
                          FOREIGN KEY (schema_name, version_schema) REFERENCES {} ON DELETE CASCADE)""",
                        table(CLIENT_WATCH_SESSIONS), table(CLIENT_WATCHES)),
                SQL.format("""
                        CREATE TABLE IF NOT EXISTS {} (
                          schema_name text NOT NULL,
                          migration text NOT NULL,
                          index_name text NOT NULL,
                          scans bigint NOT NULL,
                          counted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                          PRIMARY KEY (schema_name, migration, index_name))""", table(INDEX_SCANS)),
                // file_name is unique per schema: a file belongs to one release at most
                SQL.format("""
                        CREATE TABLE IF NOT EXISTS {} (
                          schema_name text NOT NULL,
                          release text NOT NULL,
                          position integer NOT NULL,
                          file_name text NOT NULL,
                          checksum text NOT NULL,
                          migration jsonb NOT NULL,
                          source text,
                          PRIMARY KEY (schema_name, release, position),
                          UNIQUE (schema_name, file_name),
                          FOREIGN KEY (schema_name, release) REFERENCES {} ON DELETE CASCADE)""",
                        table(RELEASE_FILES), table("migrations")));
    }

    @Override
    public boolean isInitialized() {
        return tablesExist(List.of("migrations"));
    }

    @Override
    public boolean isCurrent() {
        return tablesExist(List.of("migrations", "journal", CHECKPOINTS, BACKFILL_PAUSE, BACKFILL_PROGRESS, ROLLBACK_REQUESTS,
                CLIENT_WATCHES, CLIENT_WATCH_SESSIONS, INDEX_SCANS, RELEASE_FILES))
                && sourceColumnExists();
    }

    private boolean sourceColumnExists() {
        try (Connection connection = connections.open();
             PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM pg_attribute "
                     + "WHERE attrelid = to_regclass(?) AND attname = 'source' AND NOT attisdropped")) {
            statement.setString(1, SQL.quote(table("migrations")));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        } catch (SQLException e) {
            throw failure("read the state schema", e);
        }
    }

    private boolean tablesExist(List<String> names) {
        try (Connection connection = connections.open();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT bool_and(to_regclass(name) IS NOT NULL) FROM unnest(?::text[]) AS name")) {
            statement.setArray(1, connection.createArrayOf("text",
                    names.stream().map(name -> SQL.quote(table(name))).toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw failure("read the state schema", e);
        }
    }

    @Override
    public List<MigrationRecord> history(Identifier schema) {
        String sql = SQL.format("""
                SELECT name, parent, version_schema, {}, {}, status, baseline, started_at, completed_at,
                       to_jsonb(m) ->> 'source'
                FROM {} m WHERE schema_name = ? ORDER BY started_at, name""", asWritten("migration"), asWritten("base_schema"),
                table("migrations"));
        // to_jsonb(m) rather than the column: an older state schema without it is still read (status does not upgrade it)
        try (Connection connection = connections.open(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema.name());
            List<MigrationRecord> records = new ArrayList<>();
            Map<String, List<ReleaseFile>> releases = releaseFiles(connection, schema);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    records.add(new MigrationRecord(schema, name, Optional.ofNullable(rs.getString(2)),
                            Identifier.of(rs.getString(3)),
                            MigrationReader.fromJson(name, rs.getString(4)).withSource(Optional.ofNullable(rs.getString(10))),
                            StateJson.readSnapshot(rs.getString(5)), MigrationStatus.valueOf(rs.getString(6).toUpperCase()),
                            rs.getBoolean(7), rs.getTimestamp(8).toInstant(),
                            Optional.ofNullable(rs.getTimestamp(9)).map(Timestamp::toInstant),
                            releases.getOrDefault(name, List.of())));
                }
            }
            return records;
        } catch (SQLException e) {
            throw failure("read the migration history", e);
        }
    }

    /** Each release's files in order, by release; none from a state schema older than releases (status does not upgrade it). */
    private Map<String, List<ReleaseFile>> releaseFiles(Connection connection, Identifier schema) throws SQLException {
        Map<String, List<ReleaseFile>> releases = new HashMap<>();
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, SQL.quote(table(RELEASE_FILES)));
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return releases;
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(SQL.format("""
                SELECT release, position, file_name, checksum, {}, source
                FROM {} WHERE schema_name = ? ORDER BY release, position""", asWritten("migration"), table(RELEASE_FILES)))) {
            statement.setString(1, schema.name());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String fileName = rs.getString(3);
                    Migration file = MigrationReader.fromJson(fileName, rs.getString(5)).withSource(Optional.ofNullable(rs.getString(6)));
                    releases.computeIfAbsent(rs.getString(1), release -> new ArrayList<>())
                            .add(new ReleaseFile(rs.getInt(2), file, rs.getString(4)));
                }
            }
        }
        return releases;
    }

    @Override
    public void insert(MigrationRecord record) {
        String sql = SQL.format("""
                INSERT INTO {} (schema_name, name, parent, version_schema, migration, base_schema, status, baseline, started_at,
                                source)
                VALUES (?, ?, ?, ?, to_jsonb(?::text), to_jsonb(?::text), ?, ?, ?, ?)""", table("migrations"));
        try (Connection connection = connections.open(); PreparedStatement statement = connection.prepareStatement(sql)) {
            // a release's row and its files' rows together: the history never shows a release without its files
            connection.setAutoCommit(false);
            statement.setString(1, record.schema().name());
            statement.setString(2, record.name());
            statement.setString(3, record.parent().orElse(null));
            statement.setString(4, record.versionSchema().name());
            statement.setString(5, MigrationReader.toJson(record.migration()));
            statement.setString(6, StateJson.write(record.baseSchema()));
            statement.setString(7, record.status().name().toLowerCase());
            statement.setBoolean(8, record.baseline());
            statement.setTimestamp(9, Timestamp.from(record.startedAt()));
            statement.setString(10, record.migration().source().orElse(null));
            statement.executeUpdate();
            insertReleaseFiles(connection, record);
            connection.commit();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new AccordionException(ErrorCode.STATE_CONFLICT, "another migration became active on schema \""
                        + record.schema() + "\" at the same moment; run \"accordion status\"", e);
            }
            throw failure("record migration \"" + record.name() + "\"", e);
        }
    }

    private void insertReleaseFiles(Connection connection, MigrationRecord record) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SQL.format("""
                INSERT INTO {} (schema_name, release, position, file_name, checksum, migration, source)
                VALUES (?, ?, ?, ?, ?, to_jsonb(?::text), ?)""", table(RELEASE_FILES)))) {
            for (ReleaseFile file : record.releaseFiles()) {
                statement.setString(1, record.schema().name());
                statement.setString(2, record.name());
                statement.setInt(3, file.position());
                statement.setString(4, file.name());
                statement.setString(5, file.checksum());
                statement.setString(6, MigrationReader.toJson(file.file()));
                statement.setString(7, file.file().source().orElse(null));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    @Override
    public void updateStatus(Identifier schema, String name, MigrationStatus status) {
        String sql = SQL.format("UPDATE {} SET status = ?, completed_at = CASE WHEN ? THEN now() END "
                + "WHERE schema_name = ? AND name = ?", table("migrations"));
        try (Connection connection = connections.open(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, status.name().toLowerCase());
            statement.setBoolean(2, status == MigrationStatus.COMPLETE);
            statement.setString(3, schema.name());
            statement.setString(4, name);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failure("update migration \"" + name + "\"", e);
        }
    }

    @Override
    public void delete(Identifier schema, String name) {
        delete(schema, name, Set.of());
    }

    @Override
    public void delete(Identifier schema, String name, Set<StepId> keptStartSteps) {
        try (Connection connection = connections.open()) {
            connection.setAutoCommit(false);
            try (PreparedStatement journal = connection.prepareStatement(SQL.format("DELETE FROM {} WHERE schema_name = ? "
                    + "AND migration = ? AND NOT (phase = 'start' AND step_id = ANY (?))", table("journal")))) {
                journal.setString(1, schema.name());
                journal.setString(2, name);
                journal.setArray(3, connection.createArrayOf("text", keptStartSteps.stream().map(StepId::toString).toArray()));
                journal.executeUpdate();
            }
            for (String sql : List.of(
                    SQL.format("DELETE FROM {} WHERE schema_name = ? AND migration = ?", table(CHECKPOINTS)),
                    SQL.format("DELETE FROM {} WHERE schema_name = ? AND migration = ?", table(BACKFILL_PROGRESS)),
                    SQL.format("DELETE FROM {} WHERE schema_name = ? AND migration = ?", table(ROLLBACK_REQUESTS)),
                    SQL.format("DELETE FROM {} WHERE schema_name = ? AND migration = ?", table(INDEX_SCANS)),
                    // a release's files would go with its row (ON DELETE CASCADE); said here so that nothing relies on it unseen
                    SQL.format("DELETE FROM {} WHERE schema_name = ? AND release = ?", table(RELEASE_FILES)),
                    SQL.format("DELETE FROM {} WHERE schema_name = ? AND name = ?", table("migrations")))) {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setString(1, schema.name());
                    statement.setString(2, name);
                    statement.executeUpdate();
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw failure("remove rolled-back migration \"" + name + "\"", e);
        }
    }

    @Override
    public boolean requestRollback(Connection requester, Identifier schema, String migration) throws SQLException {
        requester.setAutoCommit(false);
        try {
            // The migration's row lock orders this request and the start's activate(): whichever takes it first wins.
            if (!lockStarting(requester, schema, migration)) {
                requester.rollback();
                return false;
            }
            try (PreparedStatement statement = requester.prepareStatement(SQL.format("""
                    INSERT INTO {} (schema_name, migration, requested_by, requester_pid)
                    SELECT ?, ?, format('the session with server pid %s (application "%s", from %s)', a.pid, a.application_name,
                                        coalesce(a.client_hostname, host(a.client_addr), 'local socket')), a.pid
                    FROM pg_stat_activity a WHERE a.pid = pg_backend_pid()
                    ON CONFLICT (schema_name, migration) DO UPDATE SET requested_by = excluded.requested_by,
                      requester_pid = excluded.requester_pid, requested_at = clock_timestamp()""", table(ROLLBACK_REQUESTS)))) {
                statement.setString(1, schema.name());
                statement.setString(2, migration);
                statement.executeUpdate();
            }
            requester.commit();
            return true;
        } catch (SQLException | RuntimeException e) {
            requester.rollback();
            throw e;
        } finally {
            requester.setAutoCommit(true);
        }
    }

    @Override
    public StopSignal rollbackRequests(Identifier schema, String migration) {
        return probe -> liveRollbackRequest(probe, schema, migration);
    }

    @Override
    public Optional<String> activate(Identifier schema, String name) {
        try (Connection connection = connections.open()) {
            connection.setAutoCommit(false);
            lockStarting(connection, schema, name);
            // read after the row lock: a request committed before it was granted is seen here
            Optional<String> request = liveRollbackRequest(connection, schema, name);
            if (request.isEmpty()) {
                try (PreparedStatement statement = connection.prepareStatement(SQL.format(
                        "UPDATE {} SET status = 'active' WHERE schema_name = ? AND name = ?", table("migrations")))) {
                    statement.setString(1, schema.name());
                    statement.setString(2, name);
                    statement.executeUpdate();
                }
            }
            connection.commit();
            return request;
        } catch (SQLException e) {
            throw failure("mark migration \"" + name + "\" active", e);
        }
    }

    /** Locks the migration's row in the open transaction; answers whether the migration is starting. */
    private boolean lockStarting(Connection connection, Identifier schema, String migration) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SQL.format(
                "SELECT status FROM {} WHERE schema_name = ? AND name = ? FOR UPDATE", table("migrations")))) {
            statement.setString(1, schema.name());
            statement.setString(2, migration);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && MigrationStatus.STARTING.name().equalsIgnoreCase(rs.getString(1));
            }
        }
    }

    private Optional<String> liveRollbackRequest(Connection connection, Identifier schema, String migration) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SQL.format("""
                SELECT r.requested_by, r.requested_at FROM {} r
                WHERE r.schema_name = ? AND r.migration = ? AND EXISTS (SELECT FROM pg_stat_activity a WHERE a.pid = r.requester_pid)""",
                table(ROLLBACK_REQUESTS)))) {
            statement.setString(1, schema.name());
            statement.setString(2, migration);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of("a rollback from " + rs.getString(1) + " asked it to stop at "
                        + WHEN.format(rs.getTimestamp(2).toInstant()) + ", and undoes the migration now that this runner has let go")
                        : Optional.empty();
            }
        }
    }

    @Override
    public BackfillBoard backfillBoard(Identifier schema) {
        return new PostgresBackfillBoard(connections, schema, table(BACKFILL_PAUSE), table(BACKFILL_PROGRESS), this::failure);
    }

    @Override
    public Journal journal(Identifier schema, String migration, Phase phase) {
        return new Journal() {
            @Override
            public Set<StepId> finished() {
                String sql = SQL.format("SELECT step_id FROM {} WHERE schema_name = ? AND migration = ? AND phase = ?", table("journal"));
                try (Connection connection = connections.open(); PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setString(1, schema.name());
                    statement.setString(2, migration);
                    statement.setString(3, phase.label());
                    Set<StepId> done = new HashSet<>();
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            done.add(new StepId(rs.getString(1)));
                        }
                    }
                    return done;
                } catch (SQLException e) {
                    throw failure("read the step journal", e);
                }
            }

            @Override
            public void record(Connection connection, StepId step) throws SQLException {
                String sql = SQL.format("INSERT INTO {} (schema_name, migration, phase, step_id) VALUES (?, ?, ?, ?)", table("journal"));
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setString(1, schema.name());
                    statement.setString(2, migration);
                    statement.setString(3, phase.label());
                    statement.setString(4, step.value());
                    statement.executeUpdate();
                }
            }

            @Override
            public Optional<Checkpoint> checkpoint(StepId step) {
                String sql = SQL.format("SELECT position, rows_done FROM {} "
                        + "WHERE schema_name = ? AND migration = ? AND phase = ? AND step_id = ?", table(CHECKPOINTS));
                try (Connection connection = connections.open(); PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setString(1, schema.name());
                    statement.setString(2, migration);
                    statement.setString(3, phase.label());
                    statement.setString(4, step.value());
                    try (ResultSet rs = statement.executeQuery()) {
                        return rs.next() ? Optional.of(new Checkpoint(Optional.ofNullable(rs.getString(1)), rs.getLong(2)))
                                : Optional.empty();
                    }
                } catch (SQLException e) {
                    throw failure("read the checkpoint of step " + step, e);
                }
            }

            @Override
            public Optional<Instant> lastProgress() {
                String sql = SQL.format("SELECT greatest((SELECT max(finished_at) FROM {} WHERE schema_name = ? AND migration = ? AND phase = ?), "
                        + "(SELECT max(updated_at) FROM {} WHERE schema_name = ? AND migration = ? AND phase = ?))",
                        table("journal"), table(CHECKPOINTS));
                try (Connection connection = connections.open(); PreparedStatement statement = connection.prepareStatement(sql)) {
                    for (int offset : new int[] {0, 3}) {
                        statement.setString(offset + 1, schema.name());
                        statement.setString(offset + 2, migration);
                        statement.setString(offset + 3, phase.label());
                    }
                    try (ResultSet rs = statement.executeQuery()) {
                        rs.next();
                        return Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant);
                    }
                } catch (SQLException e) {
                    throw failure("read when the " + phase.label() + " phase last made progress", e);
                }
            }

            @Override
            public void saveCheckpoint(Connection connection, StepId step, Checkpoint checkpoint) throws SQLException {
                String sql = SQL.format("""
                        INSERT INTO {} (schema_name, migration, phase, step_id, position, rows_done) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (schema_name, migration, phase, step_id)
                        DO UPDATE SET position = excluded.position, rows_done = excluded.rows_done, updated_at = clock_timestamp()""",
                        table(CHECKPOINTS));
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setString(1, schema.name());
                    statement.setString(2, migration);
                    statement.setString(3, phase.label());
                    statement.setString(4, step.value());
                    statement.setString(5, checkpoint.position().orElse(null));
                    statement.setLong(6, checkpoint.rowsDone());
                    statement.executeUpdate();
                }
            }
        };
    }

    /**
     * A JSON document column read back exactly as it was written. Documents are stored as JSON strings because jsonb
     * reorders object keys (shorter first), and the order of a migration's maps (split_table's columns, the up and down
     * of create_constraint) decides the order of its steps: a phase planned again from a reordered record after a
     * crash would differ from the run that stopped. Records written as objects by older versions read as before.
     */
    private static SqlBuilder.Fragment asWritten(String column) {
        Identifier name = Identifier.of(column);
        return SQL.fragment("CASE jsonb_typeof({}) WHEN 'string' THEN {} #>> ARRAY[]::text[] ELSE {}::text END", name, name, name);
    }

    @Override
    public void saveIndexScans(Identifier schema, String migration, List<IndexUse> scans) {
        try (Connection connection = connections.open(); PreparedStatement insert = connection.prepareStatement(SQL.format(
                "INSERT INTO {} (schema_name, migration, index_name, scans) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (schema_name, migration, index_name) DO UPDATE SET scans = excluded.scans, counted_at = clock_timestamp()",
                table(INDEX_SCANS)))) {
            for (IndexUse use : scans) {
                insert.setString(1, schema.name());
                insert.setString(2, migration);
                insert.setString(3, use.index());
                insert.setLong(4, use.scans());
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw failure("record the scans of the indexes migration \"" + migration + "\" drops", e);
        }
    }

    @Override
    public List<IndexUse> indexScans(Identifier schema, String migration) {
        if (!tablesExist(List.of(INDEX_SCANS))) {
            return List.of();
        }
        try (Connection connection = connections.open(); PreparedStatement select = connection.prepareStatement(SQL.format(
                "SELECT index_name, scans FROM {} WHERE schema_name = ? AND migration = ? ORDER BY index_name", table(INDEX_SCANS)))) {
            select.setString(1, schema.name());
            select.setString(2, migration);
            List<IndexUse> scans = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    scans.add(new IndexUse(rs.getString(1), rs.getLong(2), Optional.empty()));
                }
            }
            return scans;
        } catch (SQLException e) {
            throw failure("read the scans of the indexes migration \"" + migration + "\" drops", e);
        }
    }

    @Override
    public void saveClientWatch(Identifier schema, ClientWatch watch) {
        try (Connection connection = connections.open()) {
            connection.setAutoCommit(false);
            try (PreparedStatement delete = connection.prepareStatement(SQL.format(
                         "DELETE FROM {} WHERE schema_name = ? AND version_schema = ?", table(CLIENT_WATCHES)));
                 PreparedStatement insert = connection.prepareStatement(SQL.format(
                         "INSERT INTO {} VALUES (?, ?, ?, ?, ?)", table(CLIENT_WATCHES)));
                 PreparedStatement session = connection.prepareStatement(SQL.format(
                         "INSERT INTO {} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", table(CLIENT_WATCH_SESSIONS)))) {
                delete.setString(1, schema.name());
                delete.setString(2, watch.versionSchema());
                delete.executeUpdate();
                insert.setString(1, schema.name());
                insert.setString(2, watch.versionSchema());
                insert.setLong(3, watch.watched().toMillis());
                insert.setInt(4, watch.looks());
                insert.setTimestamp(5, Timestamp.from(watch.endedAt()));
                insert.executeUpdate();
                for (ClientSession seen : watch.sessions()) {
                    session.setString(1, schema.name());
                    session.setString(2, watch.versionSchema());
                    session.setInt(3, seen.pid());
                    session.setString(4, seen.user());
                    session.setString(5, seen.applicationName());
                    session.setString(6, seen.clientAddress());
                    session.setTimestamp(7, Timestamp.from(seen.backendStart()));
                    session.setInt(8, seen.timesSeen());
                    session.setBoolean(9, seen.heldLock());
                    session.setBoolean(10, seen.namedVersion());
                    session.addBatch();
                }
                session.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            throw failure("record the client watch of version schema \"" + watch.versionSchema() + "\"", e);
        }
    }

    @Override
    public List<ClientWatch> clientWatches(Identifier schema) {
        if (!tablesExist(List.of(CLIENT_WATCHES, CLIENT_WATCH_SESSIONS))) {
            return List.of(); // an older state schema, which status reads without upgrading it
        }
        String sql = SQL.format("""
                SELECT w.version_schema, w.watched_ms, w.looks, w.ended_at, s.pid, s.user_name, s.application_name,
                       s.client_address, s.backend_start, s.times_seen, s.held_lock, s.named_version
                FROM {} w LEFT JOIN {} s USING (schema_name, version_schema)
                WHERE w.schema_name = ? ORDER BY w.ended_at, w.version_schema, s.pid""", table(CLIENT_WATCHES), table(CLIENT_WATCH_SESSIONS));
        try (Connection connection = connections.open(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema.name());
            java.util.Map<String, ClientWatch> watches = new java.util.LinkedHashMap<>();
            java.util.Map<String, List<ClientSession>> sessions = new java.util.HashMap<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String versionSchema = rs.getString(1);
                    if (!watches.containsKey(versionSchema)) {
                        watches.put(versionSchema, new ClientWatch(versionSchema, java.time.Duration.ofMillis(rs.getLong(2)),
                                rs.getInt(3), rs.getTimestamp(4).toInstant(), List.of()));
                        sessions.put(versionSchema, new ArrayList<>());
                    }
                    int pid = rs.getInt(5);
                    if (!rs.wasNull()) { // the LEFT JOIN's row of a watch that saw no one
                        sessions.get(versionSchema).add(new ClientSession(pid, rs.getString(6), rs.getString(7), rs.getString(8),
                                rs.getTimestamp(9).toInstant(), rs.getInt(10), rs.getBoolean(11), rs.getBoolean(12)));
                    }
                }
            }
            return watches.values().stream().map(watch -> new ClientWatch(watch.versionSchema(), watch.watched(), watch.looks(),
                    watch.endedAt(), sessions.get(watch.versionSchema()))).toList();
        } catch (SQLException e) {
            throw failure("read the client watches", e);
        }
    }

    private QualifiedName table(String name) {
        return new QualifiedName(stateSchema, Identifier.of(name));
    }

    private AccordionException failure(String doing, SQLException e) {
        return new AccordionException(ErrorCode.DATABASE, "cannot " + doing + " in state schema \"" + stateSchema + "\": "
                + e.getMessage().strip() + "\nCheck that the server is up and the user may use that schema (or configure another state schema), "
                + "then run the command again.", Hint.STATE_SCHEMA, e);
    }
}
