package dev.accordion.postgres.throttle;

import dev.accordion.execute.Throttle;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * Holds a backfill back while a replica given by URL ({@code --replica-url}) replays more than {@code maxLag} behind:
 * {@code now() - pg_last_xact_replay_timestamp()} on the replica, and no lag while it has replayed all it received
 * (an idle primary sends nothing, and the age of the last replayed transaction would grow without any lag). Asking
 * the replica itself also covers cascading standbys and ones the primary does not list. One connection, opened on
 * first use and again after it fails; a replica that cannot be reached makes the executor wait, saying so.
 */
public final class ReplicaLagThrottle implements Throttle, AutoCloseable {

    private final String jdbcUrl;
    private final String name;
    private final Duration maxLag;
    private Connection connection;

    /** {@code name} is how messages call the replica: its URL without credentials. */
    public ReplicaLagThrottle(String jdbcUrl, String name, Duration maxLag) {
        this.jdbcUrl = jdbcUrl;
        this.name = name;
        this.maxLag = maxLag;
    }

    @Override
    public Optional<String> reasonToWait(Context context) throws SQLException {
        try (Statement statement = connection().createStatement();
             ResultSet rs = statement.executeQuery("""
                     SELECT pg_is_in_recovery(),
                            CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
                                 ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END::float8""")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return Optional.of("replica " + name + " is not a standby (pg_is_in_recovery() is false), so its lag cannot be "
                        + "measured; give the URL of a standby instead");
            }
            double seconds = rs.getDouble(2);
            Duration lag = rs.wasNull() ? Duration.ZERO : Duration.ofNanos((long) (seconds * 1e9));
            return lag.compareTo(maxLag) > 0
                    ? Optional.of(ReplicationLagThrottle.lagSentence(lag, "replica " + name, maxLag)) : Optional.empty();
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(jdbcUrl);
        }
        return connection;
    }

    @Override
    public boolean tellsOfDegradation() {
        return true;
    }

    @Override
    public String describe() {
        return "the lag check of replica " + name;
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a broken connection is what we are dropping
            }
            connection = null;
        }
    }
}
