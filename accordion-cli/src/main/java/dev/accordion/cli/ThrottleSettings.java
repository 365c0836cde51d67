package dev.accordion.cli;

import dev.accordion.Accordion;
import dev.accordion.postgres.PostgresUrls;
import dev.accordion.postgres.throttle.ProbeQueryThrottle;
import dev.accordion.postgres.throttle.ReplicaLagThrottle;
import dev.accordion.postgres.throttle.ReplicationLagThrottle;
import dev.accordion.sql.SqlExpr;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * When backfills wait between batches, from the command line: for sessions queued on the table (on unless
 * {@code --no-throttle-on-lock-waiters}), for replication lag (off unless a limit is given), for a slow probe query.
 *
 * @param replicaUrls JDBC URLs (already converted from {@code postgres://} forms)
 */
record ThrottleSettings(boolean lockWaiters, Optional<Duration> maxReplicationLag, OptionalLong maxReplicationLagBytes,
                        List<String> replicaUrls, Optional<String> probeSql, Optional<Duration> maxProbe,
                        Optional<Duration> abortAfter) {

    static final ThrottleSettings DEFAULT = new ThrottleSettings(true, Optional.empty(), OptionalLong.empty(), List.of(),
            Optional.empty(), Optional.empty(), Optional.empty());

    ThrottleSettings {
        replicaUrls = List.copyOf(replicaUrls);
    }

    /** Adds these throttles to a facade being configured. */
    Accordion.Builder applyTo(Accordion.Builder builder) {
        builder.throttleOnLockWaiters(lockWaiters);
        if (maxReplicationLag.isPresent() || maxReplicationLagBytes.isPresent()) {
            builder.throttle(new ReplicationLagThrottle(maxReplicationLag, maxReplicationLagBytes));
        }
        for (String url : replicaUrls) {
            builder.throttle(new ReplicaLagThrottle(url, "\"" + displayName(url) + "\"", maxReplicationLag.orElseThrow()));
        }
        if (probeSql.isPresent()) {
            builder.throttle(new ProbeQueryThrottle(new SqlExpr(probeSql.get()), maxProbe.orElseThrow()));
        }
        abortAfter.ifPresent(builder::abortOnDegradationAfter);
        return builder;
    }

    /** host:port/database of a JDBC URL: what messages call a replica, without its user or password. */
    static String displayName(String jdbcUrl) {
        String rest = jdbcUrl.replaceFirst("^jdbc:postgresql://", "");
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }

    /** A replica URL as given: postgres:// forms are converted like --url's. */
    static String replicaJdbcUrl(String given) {
        return PostgresUrls.toJdbc(given);
    }
}
