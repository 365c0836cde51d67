package dev.accordion.cli;

import dev.accordion.Accordion;
import dev.accordion.execute.BackfillPolicy;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.postgres.PostgresUrls;
import java.sql.DriverManager;
import java.time.Duration;

/**
 * The database and schema one command works on, how patiently it takes locks, how big its backfill batches are, and
 * how long it waits for another runner on the schema.
 */
record DatabaseTarget(String jdbcUrl, String schema, String stateSchema, Duration lockTimeout, Duration lockRetryDeadline,
                      BackfillPolicy backfill, Duration runnerWait, ThrottleSettings throttles, Duration clientWatch) {

    /** How long complete watches the old version for clients unless told otherwise. */
    static final Duration DEFAULT_CLIENT_WATCH = Duration.ofSeconds(5);

    DatabaseTarget(String jdbcUrl, String schema, String stateSchema, Duration lockTimeout, Duration lockRetryDeadline,
                   BackfillPolicy backfill, Duration runnerWait) {
        this(jdbcUrl, schema, stateSchema, lockTimeout, lockRetryDeadline, backfill, runnerWait, ThrottleSettings.DEFAULT,
                DEFAULT_CLIENT_WATCH);
    }

    static final String APPLICATION_NAME = "accordion";

    /**
     * The URL Accordion connects with: named {@value #APPLICATION_NAME} unless the user named it,
     * so that people looking at pg_stat_activity (and Accordion's own blocker reports) see who we are.
     */
    String connectionUrl() {
        return PostgresUrls.parameter(jdbcUrl, "ApplicationName").isPresent()
                ? jdbcUrl : PostgresUrls.withParameter(jdbcUrl, "ApplicationName", APPLICATION_NAME);
    }

    DatabaseTarget withSchema(String otherSchema) {
        return new DatabaseTarget(jdbcUrl, otherSchema, stateSchema, lockTimeout, lockRetryDeadline, backfill, runnerWait, throttles, clientWatch);
    }

    DatabaseTarget withThrottles(ThrottleSettings settings) {
        return new DatabaseTarget(jdbcUrl, schema, stateSchema, lockTimeout, lockRetryDeadline, backfill, runnerWait, settings,
                clientWatch);
    }

    DatabaseTarget withClientWatch(Duration watch) {
        return new DatabaseTarget(jdbcUrl, schema, stateSchema, lockTimeout, lockRetryDeadline, backfill, runnerWait, throttles, watch);
    }

    /** Connects once to learn the server; fails with {@code CONNECTION} when it cannot. */
    Accordion load(ExecutionListener listener) {
        String url = connectionUrl();
        return throttles.applyTo(Accordion.configure())
                .connections(() -> DriverManager.getConnection(url))
                .schema(schema)
                .stateSchema(stateSchema)
                .lockTimeout(lockTimeout)
                .lockRetryDeadline(lockRetryDeadline)
                .backfillPolicy(backfill)
                .runnerWait(runnerWait)
                .clientWatch(clientWatch)
                .listener(listener)
                .load();
    }
}
