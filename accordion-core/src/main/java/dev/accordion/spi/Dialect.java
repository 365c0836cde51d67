package dev.accordion.spi;

import dev.accordion.execute.Throttle;
import dev.accordion.plan.Plan;
import dev.accordion.schema.Problems;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.sql.Identifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One database engine. Found through {@link java.util.ServiceLoader}; the first whose
 * {@link #accepts} answers yes for the connection's product name is used.
 */
public interface Dialect {

    boolean accepts(String databaseProductName);

    Capabilities capabilities(Connection connection) throws SQLException;

    SchemaSnapshot readSchema(Connection connection, Identifier schema) throws SQLException;

    StateStore stateStore(ConnectionSource connections, Identifier stateSchema);

    Plan plan(PlanRequest request);

    /**
     * Checks against the live database what a snapshot cannot know: user expressions compile, types
     * exist, the user's own views do not depend on what the migration drops. The session's lock timeout is already set:
     * a trial statement waits for a lock no longer than a step would.
     */
    void validateAgainstDatabase(Connection connection, PlanRequest request, Problems problems) throws SQLException;

    /** Tries to take the per-schema runner lock on this session; answers the holder's description if another has it. */
    Optional<String> tryLockSchema(Connection connection, Identifier schema) throws SQLException;

    void unlockSchema(Connection connection, Identifier schema) throws SQLException;

    /** Sets how long one statement waits for a lock; {@code local} scopes it to the current transaction. */
    void setLockTimeout(Connection connection, Duration timeout, boolean local) throws SQLException;

    boolean isLockTimeout(SQLException e);

    int backendPid(Connection connection) throws SQLException;

    /**
     * The sessions of this database that use {@code versionSchema} right now: those holding a lock on one of its views,
     * and those whose application name ends with {@code @<versionSchema>}. One look; a watch takes many.
     */
    List<ClientSighting> versionSchemaClients(Connection probe, Identifier versionSchema) throws SQLException;

    /** The scans of each of {@code indexes} (names in {@code schema}) the server counted; an index it does not know is left out. */
    List<IndexUse> indexUse(Connection connection, Identifier schema, List<String> indexes) throws SQLException;

    List<BlockingSession> blockingSessions(Connection probe, int waitingPid) throws SQLException;

    /**
     * The throttle that holds a backfill back while other sessions wait for a lock on its table; empty when the
     * engine cannot tell.
     */
    default Optional<Throttle> lockWaitersThrottle() {
        return Optional.empty();
    }

    /** The name of a version schema for a migration, short enough for the engine. */
    Identifier versionSchemaName(Identifier schema, String migrationName);
}
