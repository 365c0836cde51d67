package dev.accordion.bench.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.Accordion;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.Step;
import dev.accordion.postgres.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The product's promise under load (issue 4), for the seed scenarios and for every operation of the format: while clients of the old version read and write, and, once start has
 * returned, clients of the new version too, no client sees an error in start (with its backfill), complete or
 * rollback, and the two versions agree row for row. After every step of every phase and after every backfill batch
 * the runner waits until each client has run more statements, so traffic lands in every window between two steps.
 * The old version's clients are retired before complete and the new version's before rollback, as a rolling deploy
 * does: complete removes the old version, rollback the new one.
 */
class LiveTrafficTest {

    private static final int ROWS = 5_000;
    private static final int CLIENTS_PER_VERSION = 2;
    private static final long STATEMENTS_BETWEEN_STEPS = 3;
    private static final long STATEMENTS_PER_PHASE = 40;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    /** The schema a scenario starts from: its first migration and the rows it is filled with. */
    record Seed(String name, String yaml, Loader load) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Loader {
        void load(Connection connection, int rows) throws java.sql.SQLException;
    }

    private static final Seed SEED = new Seed(SeedScenarios.SEED_NAME, SeedScenarios.SEED_YAML, SeedScenarios::load);
    private static final Seed ITEMS = new Seed(OperationScenarios.SEED_NAME, OperationScenarios.SEED_YAML, OperationScenarios::load);

    static Stream<Arguments> scenarios() {
        return Stream.concat(SeedScenarios.ALL.stream().map(s -> Arguments.of(SEED, s)),
                OperationScenarios.ALL.stream().map(s -> Arguments.of(ITEMS, s)));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("scenarios")
    void startThenCompleteUnderTrafficFailsNoStatement(Seed seed, Scenario scenario) throws Exception {
        try (Traffic traffic = new Traffic(db.jdbcUrl())) {
            Started started = startUnderTraffic(traffic, seed, scenario);
            Accordion accordion = started.accordion();

            traffic.stopVersion(started.oldSchema());
            traffic.phase("complete");
            accordion.complete();
            traffic.awaitEachClient(STATEMENTS_PER_PHASE, PATIENCE);
            traffic.close();

            assertThat(traffic.failures()).as("statements that failed").isEmpty();
            assertEveryClientRanIn(traffic, "start", "complete");
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("scenarios")
    void startThenRollbackUnderTrafficFailsNoStatement(Seed seed, Scenario scenario) throws Exception {
        try (Traffic traffic = new Traffic(db.jdbcUrl())) {
            Started started = startUnderTraffic(traffic, seed, scenario);
            Accordion accordion = started.accordion();

            traffic.stopVersion(started.newSchema());
            traffic.phase("rollback");
            accordion.rollback();
            traffic.awaitEachClient(STATEMENTS_PER_PHASE, PATIENCE);
            traffic.close();

            assertThat(traffic.failures()).as("statements that failed").isEmpty();
            assertEveryClientRanIn(traffic, "start");
            assertThat(traffic.reports().stream().filter(r -> r.phase().equals("rollback")).map(PhaseReport::client))
                    .as("old-version clients through rollback").hasSize(CLIENTS_PER_VERSION);
        }
    }

    /**
     * The same with three backfill workers: each batch cut into key ranges that run side by side on connections of
     * their own while the clients write the same rows, and the versions still agree row for row.
     */
    @ParameterizedTest(name = "{1}")
    @MethodSource("scenarios")
    void startWithThreeBackfillWorkersThenCompleteUnderTrafficFailsNoStatement(Seed seed, Scenario scenario) throws Exception {
        try (Traffic traffic = new Traffic(db.jdbcUrl())) {
            Started started = startUnderTraffic(traffic, seed, scenario, 3);

            traffic.stopVersion(started.oldSchema());
            traffic.phase("complete");
            started.accordion().complete();
            traffic.awaitEachClient(STATEMENTS_PER_PHASE, PATIENCE);
            traffic.close();

            assertThat(traffic.failures()).as("statements that failed").isEmpty();
        }
    }

    /**
     * A version retired late: the old version's clients still run while a forced complete removes their schema (unforced,
     * the contract guard refuses while it sees them: {@code CompleteClientGuardTest}). Their statements
     * may fail only because their relations are gone, once they are: never a deadlock with the phase's locks on views
     * and tables (DESIGN §5, "Lock order"), never a lock timeout; the new version's clients see no error at all.
     */
    @ParameterizedTest(name = "{1}")
    @MethodSource("scenarios")
    void completeWhileOldClientsStillRunFailsOnlyTheirStatementsOnceTheirVersionIsGone(Seed seed, Scenario scenario) throws Exception {
        retiredLate(seed, scenario, true);
    }

    /** The same for rollback, with the new version's clients still running while it removes their schema. */
    @ParameterizedTest(name = "{1}")
    @MethodSource("scenarios")
    void rollbackWhileNewClientsStillRunFailsOnlyTheirStatementsOnceTheirVersionIsGone(Seed seed, Scenario scenario) throws Exception {
        retiredLate(seed, scenario, false);
    }

    private void retiredLate(Seed seed, Scenario scenario, boolean completing) throws Exception {
        try (Traffic traffic = new Traffic(db.jdbcUrl())) {
            Accordion accordion = startUnderTraffic(traffic, seed, scenario).accordion();

            traffic.phase(completing ? "complete" : "rollback");
            if (completing) {
                accordion.complete(true);
            } else {
                accordion.rollback();
            }
            traffic.awaitEachClient(STATEMENTS_PER_PHASE, PATIENCE);
            traffic.close();

            String retired = completing ? "v1" : "v2";
            assertThat(traffic.failures()).as("failed statements, which only the retired version may have")
                    .allSatisfy(r -> assertThat(r.client()).startsWith(retired))
                    .allSatisfy(r -> assertThat(r.firstErrors()).allSatisfy(e -> assertThat(e).matches("(42P01|3F000): .*")));
        }
    }

    /** The Accordion that started the scenario's migration, and the two version schemas. */
    private record Started(Accordion accordion, String oldSchema, String newSchema) {
    }

    /**
     * The seed, old-version clients, start with traffic in every window, then new-version clients too, until each
     * client has run a phase's worth of statements; the two versions must then agree row for row.
     */
    private Started startUnderTraffic(Traffic traffic, Seed seed, Scenario scenario) throws Exception {
        return startUnderTraffic(traffic, seed, scenario, 1);
    }

    private Started startUnderTraffic(Traffic traffic, Seed seed, Scenario scenario, int backfillWorkers) throws Exception {
        Accordion accordion = accordionInterleavedWith(traffic, backfillWorkers);
        String oldSchema = seeded(accordion, seed);
        startClients(traffic, "v1", oldSchema, scenario.oldVersion());
        traffic.phase("start");
        String newSchema = accordion.start(MigrationReader.parseYaml(scenario.migrationName(), scenario.migrationYaml()), false)
                .versionSchema().orElseThrow();
        startClients(traffic, "v2", newSchema, scenario.newVersion());
        traffic.awaitEachClient(STATEMENTS_PER_PHASE, PATIENCE);
        assertThat(db.queryString(scenario.disagreements().sql(oldSchema, newSchema))).as("rows the versions see differently")
                .isEqualTo("0");
        return new Started(accordion, oldSchema, newSchema);
    }

    /**
     * An Accordion whose runner, after each step and each backfill batch, waits for every client to run a few more
     * statements; small pinned batches make the backfill many batches long.
     */
    private Accordion accordionInterleavedWith(Traffic traffic, int backfillWorkers) {
        ExecutionListener interleave = new ExecutionListener() {
            @Override
            public void stepFinished(Step step, Duration took) {
                traffic.awaitEachClient(STATEMENTS_BETWEEN_STEPS, PATIENCE);
            }

            @Override
            public void backfillProgress(Step step, long rowsDone, long estimatedTotal, double rowsPerSecond) {
                traffic.awaitEachClient(STATEMENTS_BETWEEN_STEPS, PATIENCE);
            }
        };
        return Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).lockTimeout(Duration.ofMillis(500)).lockRetryDeadline(Duration.ofSeconds(30))
                .backfillBatchSize(500).backfillWorkers(backfillWorkers).listener(interleave).load();
    }

    /** The seed schema, completed, with its rows; returns the version schema its clients use. */
    private String seeded(Accordion accordion, Seed seed) throws Exception {
        String schema = accordion.start(MigrationReader.parseYaml(seed.name(), seed.yaml()), true).versionSchema().orElseThrow();
        try (Connection connection = db.connect()) {
            seed.load().load(connection, ROWS);
        }
        return schema;
    }

    private static void startClients(Traffic traffic, String version, String schema, ClientScript script) {
        for (int i = 1; i <= CLIENTS_PER_VERSION; i++) {
            traffic.start(version + "-" + i, schema, script);
        }
    }

    private static void assertEveryClientRanIn(Traffic traffic, String... phases) {
        List<PhaseReport> reports = traffic.reports();
        for (String phase : phases) {
            assertThat(reports.stream().filter(r -> r.phase().equals(phase) && r.statements() > 0).map(PhaseReport::client).distinct())
                    .as("clients that ran statements during " + phase).isNotEmpty();
        }
    }
}
