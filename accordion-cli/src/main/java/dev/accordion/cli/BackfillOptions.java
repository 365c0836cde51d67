package dev.accordion.cli;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Global options about how backfills report and wait, kept apart from {@link GlobalOptions}'s connection settings. */
final class BackfillOptions {

    @Option(names = "--progress-interval", scope = ScopeType.INHERIT, paramLabel = "<seconds>", defaultValue = "5", order = 20,
            description = "When stderr is not a terminal, print a backfill progress line this often, in seconds "
                    + "(default: ${DEFAULT-VALUE}); on a terminal a progress bar is redrawn instead.")
    private long progressIntervalSeconds;

    @Option(names = "--no-throttle-on-lock-waiters", scope = ScopeType.INHERIT, order = 21,
            description = "Do not hold a backfill back while other sessions wait for a lock on its table "
                    + "(by default it lets them go first).")
    private boolean noThrottleOnLockWaiters;

    @Option(names = "--max-replication-lag", scope = ScopeType.INHERIT, paramLabel = "<duration>", order = 22,
            description = "Hold a backfill back while a standby's replay lag (pg_stat_replication, and every --replica-url) "
                    + "is above this, e.g. 5s, 500ms, 2m (default: not checked).")
    private String maxReplicationLag;

    @Option(names = "--max-replication-lag-bytes", scope = ScopeType.INHERIT, paramLabel = "<bytes>", order = 23,
            description = "Hold a backfill back while a standby is more than this many bytes of WAL behind "
                    + "(pg_stat_replication; default: not checked).")
    private Long maxReplicationLagBytes;

    @Option(names = "--replica-url", scope = ScopeType.INHERIT, paramLabel = "<url>", order = 24,
            description = "A standby whose lag (now() - pg_last_xact_replay_timestamp()) is checked too; repeatable. "
                    + "Needs --max-replication-lag. An unreachable replica makes the backfill wait, saying so.")
    private List<String> replicaUrls = new ArrayList<>();

    @Option(names = "--probe-sql", scope = ScopeType.INHERIT, paramLabel = "<sql>", order = 25,
            description = "A query run between backfill batches; while one run takes longer than --max-probe-ms, the "
                    + "backfill waits.")
    private String probeSql;

    @Option(names = "--max-probe-ms", scope = ScopeType.INHERIT, paramLabel = "<ms>", order = 26,
            description = "The longest --probe-sql may take before the backfill waits, in milliseconds.")
    private Long maxProbeMillis;

    @Option(names = "--abort-after", scope = ScopeType.INHERIT, paramLabel = "<duration>", order = 27,
            description = "Roll a start back (exit 12) when --probe-sql or the replication lag holds its backfill back for "
                    + "longer than this without a break, e.g. 2m (default: wait as long as it takes).")
    private String abortAfter;

    Duration progressInterval() {
        if (progressIntervalSeconds <= 0) {
            throw usage("--progress-interval must be a positive number of seconds, not " + progressIntervalSeconds);
        }
        return Duration.ofSeconds(progressIntervalSeconds);
    }

    /** The throttles these options ask for, checked for options that only make sense together. */
    ThrottleSettings throttles() {
        Optional<Duration> lag = Optional.ofNullable(maxReplicationLag).map(given -> Durations.parse("--max-replication-lag", given));
        if (maxReplicationLagBytes != null && maxReplicationLagBytes <= 0) {
            throw usage("--max-replication-lag-bytes must be a positive number of bytes, not " + maxReplicationLagBytes);
        }
        if (!replicaUrls.isEmpty() && lag.isEmpty()) {
            throw usage("--replica-url needs --max-replication-lag: say how far behind the replica may be, e.g. --max-replication-lag 10s");
        }
        if (probeSql != null && maxProbeMillis == null) {
            throw usage("--probe-sql needs --max-probe-ms: say how long the probe may take before the backfill waits");
        }
        if (maxProbeMillis != null && probeSql == null) {
            throw usage("--max-probe-ms needs --probe-sql: the query whose time it limits");
        }
        if (maxProbeMillis != null && maxProbeMillis <= 0) {
            throw usage("--max-probe-ms must be a positive number of milliseconds, not " + maxProbeMillis);
        }
        Optional<Duration> abort = Optional.ofNullable(abortAfter).map(given -> Durations.parse("--abort-after", given));
        if (abort.isPresent() && probeSql == null && lag.isEmpty() && maxReplicationLagBytes == null) {
            throw usage("--abort-after needs --probe-sql or --max-replication-lag: the measurements whose degradation it limits");
        }
        return new ThrottleSettings(!noThrottleOnLockWaiters, lag,
                maxReplicationLagBytes == null ? OptionalLong.empty() : OptionalLong.of(maxReplicationLagBytes),
                replicaUrls.stream().map(ThrottleSettings::replicaJdbcUrl).toList(), Optional.ofNullable(probeSql),
                Optional.ofNullable(maxProbeMillis).map(Duration::ofMillis), abort);
    }

    private static AccordionException usage(String message) {
        return new AccordionException(ErrorCode.USAGE, message);
    }
}
