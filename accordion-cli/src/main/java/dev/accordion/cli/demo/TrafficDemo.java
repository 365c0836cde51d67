package dev.accordion.cli.demo;

import dev.accordion.Accordion;
import dev.accordion.CompleteOptions;
import dev.accordion.PhaseResult;
import dev.accordion.bench.traffic.ClientScript;
import dev.accordion.bench.traffic.PhaseReport;
import dev.accordion.bench.traffic.Scenario;
import dev.accordion.bench.traffic.SeedScenarios;
import dev.accordion.bench.traffic.Traffic;
import dev.accordion.migration.MigrationReader;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The demo (issue 4): the seed's users and products with sample rows, then the three founding scenarios in turn
 * (rename a column, split the address columns into their own table, change prices from integer cents to numeric
 * dollars), each while simulated clients of the old version, and once start has returned of the new one, read and
 * write. Per scenario it prints what each phase did and, per phase and client, statements, errors and latencies.
 */
public final class TrafficDemo {

    public static final String SCHEMA = "public";
    private static final int CLIENTS_PER_VERSION = 2;
    private static final long STATEMENTS_BEFORE = 100;
    private static final long STATEMENTS_WITH_BOTH = 500;
    private static final long STATEMENTS_AFTER = 200;
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    /** How long complete waits for the old version's clients to go, and the demo for complete to start waiting. */
    private static final Duration CLIENT_WAIT = Duration.ofMinutes(1);

    private final DemoServer server;
    private final Function<String, Accordion> accordionAt;
    private final DemoMeter meter;
    private final String database;
    private final int rows;
    private final PrintWriter out;
    private long statements;
    private long errors;

    /**
     * @param accordionAt builds the facade for a JDBC URL, on schema {@value #SCHEMA}, with {@code meter} among its listeners
     * @param database    the database the demo drops and creates on the server
     * @param rows        how many users and how many products the demo starts with
     */
    public TrafficDemo(DemoServer server, Function<String, Accordion> accordionAt, DemoMeter meter, String database, int rows,
                       PrintWriter out) {
        this.server = server;
        this.accordionAt = accordionAt;
        this.meter = meter;
        this.database = database;
        this.rows = rows;
        this.out = out;
    }

    /** A listener to give the facade, which this demo reads the backfill's figures from. */
    public static DemoMeter demoMeter() {
        return new DemoMeter();
    }

    /** Runs the demo; the number of client statements that failed, which is zero unless something is wrong. */
    public long run() throws SQLException, InterruptedException {
        String url = server.jdbcUrl(database);
        out.println("Accordion demo: three migrations while clients of the old and the new version read and write");
        out.println();
        DemoDatabase.recreate(server, database);
        Accordion accordion = accordionAt.apply(url);
        PhaseResult seeded = accordion.start(MigrationReader.parseYaml(SeedScenarios.SEED_NAME, SeedScenarios.SEED_YAML), true);
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.setSchema(SCHEMA);
            out.println("Server: " + server.description() + ", PostgreSQL " + DemoDatabase.serverVersion(connection) + ".");
            SeedScenarios.load(connection, rows);
            analyze(connection);
        }
        out.printf(Locale.ROOT, "Database %s: users(id, name, email, address_street, address_city, address_postal_code) and "
                + "products(id, name, price in cents), %,d rows each, in version schema \"%s\".%n", database, rows,
                seeded.versionSchema().orElseThrow());
        out.println("Each scenario runs " + CLIENTS_PER_VERSION + " clients of the old version throughout start, adds "
                + CLIENTS_PER_VERSION + " of the new version once start returns, and retires the old ones once complete has seen "
                + "them and waits for them to go.");

        int number = 0;
        for (Scenario scenario : SeedScenarios.ALL) {
            run(++number, scenario, accordion, url);
        }
        out.println();
        out.printf(Locale.ROOT, "All done: %d migrations, %,d client statements, %,d failed.%n", SeedScenarios.ALL.size(), statements,
                errors);
        out.println("Run \"accordion demo\" again at any time: it recreates " + database + " from scratch.");
        return errors;
    }

    private void run(int number, Scenario scenario, Accordion accordion, String url) throws SQLException, InterruptedException {
        out.println();
        out.println(number + ". " + scenario.title() + " (migration " + scenario.migrationName() + ")");
        out.println(indent(scenario.migrationYaml().strip()));
        String oldSchema = accordion.latestVersionSchema().orElseThrow().name();
        try (Traffic traffic = new Traffic(url)) {
            startClients(traffic, "v1", oldSchema, scenario.oldVersion());
            traffic.awaitEachClient(STATEMENTS_BEFORE, PATIENCE);

            traffic.phase("start");
            meter.reset();
            PhaseResult started = accordion.start(MigrationReader.parseYaml(scenario.migrationName(), scenario.migrationYaml()), false);
            String newSchema = started.versionSchema().orElseThrow();
            say("start: " + steps(started) + " in " + seconds(started.took()) + backfilled()
                    + "; version schema \"" + newSchema + "\" for the new version, \"" + oldSchema + "\" stays for the old one");

            traffic.phase("both versions");
            startClients(traffic, "v2", newSchema, scenario.newVersion());
            traffic.awaitEachClient(STATEMENTS_WITH_BOTH, PATIENCE);
            try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery(scenario.disagreements().sql(oldSchema, newSchema))) {
                rs.next();
                long disagreeing = rs.getLong(1);
                say(disagreeing == 0 ? "both versions agree on every row, each in its own shape"
                        : disagreeing + " rows look different through the two versions: that is a bug, please report it");
                errors += disagreeing;
            }

            // Complete while the old version's clients still run: it sees them and waits; they are retired, and it goes on.
            traffic.phase("complete");
            CompletableFuture<PhaseResult> completing = CompletableFuture.supplyAsync(
                    () -> accordion.complete(CompleteOptions.SAFE.waitingForClients(CLIENT_WAIT)));
            boolean waited = meter.awaitCompleteWaitingForClients(CLIENT_WAIT);
            traffic.stopVersion(oldSchema);
            PhaseResult completed = completed(completing);
            say((waited ? "complete saw the old version's clients and waited; once they were retired, it contracted: "
                    : "complete saw no client of the old version: ") + steps(completed) + " in " + seconds(completed.took())
                    + "; only \"" + newSchema + "\" is left");
            traffic.awaitEachClient(STATEMENTS_AFTER, PATIENCE);
            traffic.close();
            printReports(traffic.reports());
        }
    }

    private static PhaseResult completed(CompletableFuture<PhaseResult> completing) throws InterruptedException {
        try {
            return completing.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        }
    }

    private static void startClients(Traffic traffic, String version, String schema, ClientScript script) {
        for (int i = 1; i <= CLIENTS_PER_VERSION; i++) {
            traffic.start(version + "-" + i, schema, script);
        }
    }

    private void printReports(List<PhaseReport> reports) {
        out.printf(Locale.ROOT, "   %-14s %-6s %10s %7s %10s %10s %10s%n", "phase", "client", "statements", "errors", "p50", "p99", "max");
        for (String phase : List.of("before", "start", "both versions", "complete")) {
            for (PhaseReport report : reports) {
                if (report.phase().equals(phase)) {
                    out.printf(Locale.ROOT, "   %-14s %-6s %,10d %,7d %10s %10s %10s%n", phase, report.client(), report.statements(),
                            report.errors(), millis(report.p50()), millis(report.p99()), millis(report.max()));
                    report.firstErrors().forEach(error -> out.println("      " + error));
                    statements += report.statements();
                    errors += report.errors();
                }
            }
        }
    }

    private String backfilled() {
        return meter.rows() == 0 ? "" : String.format(Locale.ROOT, ", backfilling %,d rows at %,.0f rows/s", meter.rows(),
                meter.rowsPerSecond());
    }

    /** Fresh statistics, so the clients' reads use the primary key from the first statement on. */
    private static void analyze(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE users");
            statement.execute("ANALYZE products");
        }
    }

    private void say(String line) {
        out.println("   " + line);
    }

    private static String indent(String text) {
        return text.lines().map(line -> "      " + line).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static String steps(PhaseResult result) {
        return result.stepsRun() + (result.stepsRun() == 1 ? " step" : " steps");
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.2f s", duration.toMillis() / 1000.0);
    }

    private static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.2f ms", duration.toNanos() / 1e6);
    }
}
