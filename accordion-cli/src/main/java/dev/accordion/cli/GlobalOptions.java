package dev.accordion.cli;

import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.execute.BackfillPolicy;
import dev.accordion.postgres.PostgresUrls;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command takes. {@code scope = INHERIT} lets them stand before or after the command
 * name; picocli stores them here, on the top-level command's instance, wherever they stand.
 */
final class GlobalOptions {

    static final String URL_VARIABLE = "ACCORDION_URL";

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "<url>", order = 1,
            description = "The database: jdbc:postgresql://host:5432/db?user=... or postgres://user:password@host:5432/db. "
                    + "Default: the environment variable " + URL_VARIABLE + ".")
    private String url;

    @Option(names = "--schema", scope = ScopeType.INHERIT, paramLabel = "<name>", defaultValue = "public", order = 2,
            description = "The schema to migrate (default: ${DEFAULT-VALUE}).")
    private String schema;

    @Option(names = "--state-schema", scope = ScopeType.INHERIT, paramLabel = "<name>", defaultValue = "accordion", order = 3,
            description = "Where Accordion keeps its migration history (default: ${DEFAULT-VALUE}).")
    private String stateSchema;

    @Option(names = "--lock-timeout", scope = ScopeType.INHERIT, paramLabel = "<ms>", defaultValue = "500", order = 4,
            description = "How long one DDL statement waits for a lock before it gives way to the application's "
                    + "queries and retries, in milliseconds (default: ${DEFAULT-VALUE}).")
    private long lockTimeoutMillis;

    @Option(names = "--lock-retry-deadline", scope = ScopeType.INHERIT, paramLabel = "<seconds>", defaultValue = "300", order = 5,
            description = "How long a step keeps retrying busy locks before the command fails, in seconds (default: ${DEFAULT-VALUE}).")
    private long lockRetryDeadlineSeconds;

    @Option(names = "--backfill-batch-ms", scope = ScopeType.INHERIT, paramLabel = "<ms>", defaultValue = "200", order = 6,
            description = "How long one backfill batch should take, in milliseconds; batch sizes adapt toward it "
                    + "(default: ${DEFAULT-VALUE}).")
    private long backfillBatchMillis;

    @Option(names = "--backfill-batch-size", scope = ScopeType.INHERIT, paramLabel = "<rows>", order = 7,
            description = "Rows per backfill batch, fixed; overrides --backfill-batch-ms (default: adapt the size).")
    private Integer backfillBatchSize;

    @Option(names = "--backfill-workers", scope = ScopeType.INHERIT, paramLabel = "<n>", defaultValue = "1", order = 8,
            description = "On how many connections each backfill batch runs: more than 1 cuts a batch into that many key "
                    + "ranges updated side by side, faster where the server has idle cores, and that much more write load "
                    + "on it meanwhile (default: ${DEFAULT-VALUE}; at most " + BackfillPolicy.MAX_WORKERS + ").")
    private int backfillWorkers;

    @Option(names = "--wait", scope = ScopeType.INHERIT, paramLabel = "<seconds>", defaultValue = "10", order = 9,
            description = "How long a command waits for another Accordion runner on the same schema to finish before it "
                    + "fails naming that runner, in seconds (default: ${DEFAULT-VALUE}).")
    private long runnerWaitSeconds;

    @Option(names = "--client-watch", scope = ScopeType.INHERIT, paramLabel = "<duration>", defaultValue = "5s", order = 9,
            description = "How long completing (complete, and start or migrate when they complete) watches the old version "
                    + "schema for sessions that still use it before it contracts, e.g. 5s, 500ms, 1m; 0 is a single look "
                    + "(default: ${DEFAULT-VALUE}).")
    private String clientWatch;

    @Option(names = "--output", scope = ScopeType.INHERIT, paramLabel = "text|json", defaultValue = "text", order = 10,
            description = "How results print: text, or one JSON document on stdout for scripts, errors included "
                    + "(default: text; demo and bench print text only).")
    private OutputFormat output;

    @Option(names = "--stacktrace", scope = ScopeType.INHERIT, order = 11,
            description = "Print the stack trace of an error (for bug reports).")
    private boolean stacktrace;

    @Option(names = {"-h", "--help"}, scope = ScopeType.INHERIT, usageHelp = true, order = 12,
            description = "Show this help and exit.")
    private boolean help;

    @Option(names = {"-V", "--version"}, scope = ScopeType.INHERIT, versionHelp = true, order = 13,
            description = "Show the version and exit.")
    private boolean version;

    OutputFormat output() {
        return output;
    }

    boolean stacktrace() {
        return stacktrace;
    }

    /** The URL given with {@code --url} only; the environment is not consulted. */
    String urlOption() {
        return url;
    }

    /** The database to work on: {@code --url}, else {@value #URL_VARIABLE} from {@code env}. */
    DatabaseTarget target(Map<String, String> env) {
        String given = url != null ? url : env.get(URL_VARIABLE);
        if (given == null || given.isBlank()) {
            throw new AccordionException(ErrorCode.USAGE, "no database given. Pass --url <url> or set the environment variable "
                    + URL_VARIABLE + ", for example\n"
                    + "  accordion --url jdbc:postgresql://localhost:5432/app?user=app status\n"
                    + "  export " + URL_VARIABLE + "=postgres://app:password@localhost:5432/app");
        }
        return targetAt(PostgresUrls.toJdbc(given));
    }

    /** The given database with the schema, state schema and lock settings of these options. */
    DatabaseTarget targetAt(String jdbcUrl) {
        if (lockTimeoutMillis <= 0) {
            throw new AccordionException(ErrorCode.USAGE, "--lock-timeout must be a positive number of milliseconds, not "
                    + lockTimeoutMillis);
        }
        if (lockRetryDeadlineSeconds < 0) {
            throw new AccordionException(ErrorCode.USAGE, "--lock-retry-deadline must be zero or more seconds, not "
                    + lockRetryDeadlineSeconds);
        }
        if (runnerWaitSeconds < 0) {
            throw new AccordionException(ErrorCode.USAGE, "--wait must be zero or more seconds, not " + runnerWaitSeconds);
        }
        return new DatabaseTarget(jdbcUrl, schema, stateSchema, Duration.ofMillis(lockTimeoutMillis),
                Duration.ofSeconds(lockRetryDeadlineSeconds), backfillPolicy(), Duration.ofSeconds(runnerWaitSeconds))
                .withClientWatch(Durations.zeroOrMore("--client-watch", clientWatch));
    }

    /** The backfill batch policy of --backfill-batch-ms, --backfill-batch-size and --backfill-workers. */
    BackfillPolicy backfillPolicy() {
        if (backfillBatchMillis <= 0) {
            throw new AccordionException(ErrorCode.USAGE, "--backfill-batch-ms must be a positive number of milliseconds, not "
                    + backfillBatchMillis);
        }
        if (backfillBatchSize != null && backfillBatchSize <= 0) {
            throw new AccordionException(ErrorCode.USAGE, "--backfill-batch-size must be a positive number of rows, not "
                    + backfillBatchSize);
        }
        if (backfillWorkers < 1 || backfillWorkers > BackfillPolicy.MAX_WORKERS) {
            throw new AccordionException(ErrorCode.USAGE, "--backfill-workers must be from 1 to " + BackfillPolicy.MAX_WORKERS
                    + ", not " + backfillWorkers);
        }
        return new BackfillPolicy(Duration.ofMillis(backfillBatchMillis),
                backfillBatchSize == null ? OptionalInt.empty() : OptionalInt.of(backfillBatchSize), backfillWorkers);
    }
}
