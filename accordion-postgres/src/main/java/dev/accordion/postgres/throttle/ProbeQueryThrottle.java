package dev.accordion.postgres.throttle;

import dev.accordion.execute.Throttle;
import dev.accordion.sql.SqlExpr;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * Holds a backfill back while one run of the user's probe query ({@code --probe-sql}) takes longer than
 * {@code limit}: a query like the application's own tells best when the server is too busy for extra work. The probe
 * runs on the runner's second connection between batches, as given, with its rows read and discarded.
 */
public final class ProbeQueryThrottle implements Throttle {

    /** A probe that hangs must not stop the backfill for good; ten times the limit is certainly too slow. */
    private static final int TIMEOUT_FACTOR = 10;

    private final SqlExpr probe;
    private final Duration limit;

    public ProbeQueryThrottle(SqlExpr probe, Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("the probe's limit must be positive, not " + limit);
        }
        this.probe = probe;
        this.limit = limit;
    }

    @Override
    public Optional<String> reasonToWait(Context context) throws SQLException {
        long began = System.nanoTime();
        try (Statement statement = context.probe().createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, (limit.toMillis() * TIMEOUT_FACTOR + 999) / 1000));
            boolean rows = statement.execute(probe.text());
            while (rows || statement.getUpdateCount() != -1) {
                if (rows) {
                    try (var rs = statement.getResultSet()) {
                        while (rs.next()) {
                            // read it all: the time to produce the rows is part of the query's latency
                        }
                    }
                }
                rows = statement.getMoreResults();
            }
        }
        return decide(Duration.ofNanos(System.nanoTime() - began), limit);
    }

    static Optional<String> decide(Duration took, Duration limit) {
        return took.compareTo(limit) > 0
                ? Optional.of("the probe query took " + took.toMillis() + " ms, above the limit of " + limit.toMillis() + " ms")
                : Optional.empty();
    }

    @Override
    public boolean tellsOfDegradation() {
        return true;
    }

    @Override
    public String describe() {
        return "the probe query";
    }
}
