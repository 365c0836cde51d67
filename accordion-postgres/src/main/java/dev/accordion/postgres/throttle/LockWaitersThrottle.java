package dev.accordion.postgres.throttle;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.execute.Throttle;
import dev.accordion.sql.QualifiedName;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Holds a backfill back while other sessions wait for a lock on its table ({@code pg_locks} not granted on that
 * relation, tuple locks included). Between batches the backfill holds nothing, so whoever waits then waits for someone
 * else; but the next batch's row locks would add to their wait, and a DDL statement queued there makes every later
 * query on the table queue behind it. Letting them through first costs the backfill a moment.
 */
public final class LockWaitersThrottle implements Throttle {

    private static final int PIDS_NAMED = 5;

    @Override
    public Optional<String> reasonToWait(Context context) throws SQLException {
        if (context.table().isEmpty()) {
            return Optional.empty();
        }
        QualifiedName table = context.table().get();
        List<Integer> pids = new ArrayList<>();
        try (PreparedStatement statement = context.probe().prepareStatement("""
                SELECT DISTINCT pid FROM pg_locks
                WHERE NOT granted AND relation = to_regclass(?) AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND pid <> ? AND pid <> pg_backend_pid()
                ORDER BY pid""")) {
            statement.setString(1, SQL.quote(table));
            statement.setInt(2, context.workerPid());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
        }
        return pids.isEmpty() ? Optional.empty() : Optional.of(describe(table, pids));
    }

    static String describe(QualifiedName table, List<Integer> pids) {
        String named = pids.stream().limit(PIDS_NAMED).map(String::valueOf).collect(Collectors.joining(", "))
                + (pids.size() > PIDS_NAMED ? ", …" : "");
        return (pids.size() == 1 ? "1 session waits" : pids.size() + " sessions wait") + " for a lock on table "
                + SQL.quote(table) + " (pid " + named + "); the backfill lets " + (pids.size() == 1 ? "it" : "them") + " go first";
    }

    @Override
    public String describe() {
        return "the check for sessions waiting on the table's locks";
    }
}
