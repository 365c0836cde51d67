package dev.accordion.postgres.throttle;

import dev.accordion.execute.Throttle;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Holds a backfill back while a standby of the primary lags: {@code pg_stat_replication}'s {@code replay_lag} above
 * {@code maxLag}, or the WAL not yet replayed ({@code pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)}) above
 * {@code maxBytes}. A backfill writes every row of a table, so on a large table it can leave replicas minutes behind,
 * and reads from them stale. A primary with no standby never throttles.
 */
public final class ReplicationLagThrottle implements Throttle {

    private final Optional<Duration> maxLag;
    private final OptionalLong maxBytes;

    public ReplicationLagThrottle(Optional<Duration> maxLag, OptionalLong maxBytes) {
        if (maxLag.isEmpty() && maxBytes.isEmpty()) {
            throw new IllegalArgumentException("a replication lag throttle needs a limit of time or of bytes");
        }
        this.maxLag = maxLag;
        this.maxBytes = maxBytes;
    }

    /**
     * One standby as the primary sees it: its {@code application_name} (else its address); lag empty when the
     * primary has none to report (a standby that is caught up and idle reports none).
     */
    public record Standby(String name, Optional<Duration> replayLag, OptionalLong bytesBehind) {
    }

    @Override
    public Optional<String> reasonToWait(Context context) throws SQLException {
        return decide(standbys(context), maxLag, maxBytes);
    }

    static List<Standby> standbys(Context context) throws SQLException {
        List<Standby> standbys = new ArrayList<>();
        try (PreparedStatement statement = context.probe().prepareStatement("""
                SELECT coalesce(nullif(application_name, ''), host(client_addr), 'pid ' || pid),
                       extract(epoch FROM replay_lag)::float8,
                       pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint
                FROM pg_stat_replication ORDER BY 1""");
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                double seconds = rs.getDouble(2);
                Optional<Duration> lag = rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofNanos((long) (seconds * 1e9)));
                long bytes = rs.getLong(3);
                standbys.add(new Standby(rs.getString(1), lag, rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(bytes)));
            }
        }
        return standbys;
    }

    /** The first standby over a limit, as a sentence; empty when every standby is within both. */
    static Optional<String> decide(List<Standby> standbys, Optional<Duration> maxLag, OptionalLong maxBytes) {
        for (Standby standby : standbys) {
            if (maxLag.isPresent() && standby.replayLag().isPresent() && standby.replayLag().get().compareTo(maxLag.get()) > 0) {
                return Optional.of(lagSentence(standby.replayLag().get(), "replica \"" + standby.name() + "\"", maxLag.get()));
            }
            if (maxBytes.isPresent() && standby.bytesBehind().isPresent()
                    && standby.bytesBehind().getAsLong() > maxBytes.getAsLong()) {
                return Optional.of(String.format(Locale.ROOT, "replica \"%s\" is %,d bytes of WAL behind, above the limit of %,d bytes",
                        standby.name(), standby.bytesBehind().getAsLong(), maxBytes.getAsLong()));
            }
        }
        return Optional.empty();
    }

    /** {@code replication lag 12.3 s on replica "standby1" is above 5 s}. */
    static String lagSentence(Duration lag, String where, Duration limit) {
        return "replication lag " + seconds(lag) + " on " + where + " is above " + seconds(limit);
    }

    private static String seconds(Duration duration) {
        double s = duration.toMillis() / 1000.0;
        return s == Math.rint(s) ? String.format(Locale.ROOT, "%.0f s", s) : String.format(Locale.ROOT, "%.1f s", s);
    }

    @Override
    public boolean tellsOfDegradation() {
        return true;
    }

    @Override
    public String describe() {
        return "the replication lag check (pg_stat_replication)";
    }
}
