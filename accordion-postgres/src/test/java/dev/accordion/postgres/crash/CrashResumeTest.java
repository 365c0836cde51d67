package dev.accordion.postgres.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accordion.Accordion;
import dev.accordion.Interruption;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.BatchedStep;
import dev.accordion.plan.Phase;
import dev.accordion.plan.Plan;
import dev.accordion.plan.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Crash safety: for migrations that together use every kind of step, and for every phase, a runner that stops after
 * step k (for every k, from before the first step to after the last; and inside a backfill, after its first batch) leaves a state from which
 * <ul>
 *   <li>running the same command again finishes the phase with the same catalog and data as a run that was never
 *       interrupted, and</li>
 *   <li>for an interrupted start, {@code rollback} returns to exactly the state before start.</li>
 * </ul>
 * A step that runs outside a transaction (a concurrent index build) is journaled after it ran, so a crash can fall in
 * between: the test then also forgets that step's journal entry, and running again must cope with work already done.
 * Each scene is set up once; every case runs on a copy of it ({@link ScratchDatabases}).
 */
class CrashResumeTest {

    /** Few rows and a pinned batch size, so that every backfill takes several batches. */
    private static final int BATCH_SIZE = 2;

    private static final ScratchDatabases DATABASES = new ScratchDatabases();

    /**
     * A migration and the scene it runs on: a first migration that creates the tables, then rows; and on how many
     * connections its backfill batches run.
     */
    record Scenario(String label, String setupSql, String dataSql, String migrationName, String migrationYaml, int backfillWorkers) {
        Scenario(String label, String setupSql, String dataSql, String migrationName, String migrationYaml) {
            this(label, setupSql, dataSql, migrationName, migrationYaml, 1);
        }

        /** The same with its backfill batches cut among {@code workers} connections. */
        Scenario withBackfillWorkers(int workers) {
            return new Scenario(label + ", batches cut among " + workers + " backfill workers", setupSql, dataSql,
                    migrationName, migrationYaml, workers);
        }
    }

    static List<Scenario> scenarios() {
        List<Scenario> scenarios = new ArrayList<>(baseScenarios());
        scenarios.add(scenarios.get(0).withBackfillWorkers(2));
        return scenarios;
    }

    private static List<Scenario> baseScenarios() {
        return List.of(
                new Scenario("alter_column: type changes with backfill; shadows carry a check, an index and a foreign key", """
                        CREATE TABLE categories (id integer PRIMARY KEY, label text);
                        CREATE TABLE products (
                          id serial PRIMARY KEY,
                          code text NOT NULL CONSTRAINT products_code_key UNIQUE,
                          price integer NOT NULL CONSTRAINT products_price_positive CHECK (price > 0),
                          category integer CONSTRAINT products_category_fkey REFERENCES categories (id)
                        );
                        CREATE INDEX products_price_idx ON products (price);
                        CREATE INDEX products_category_idx ON products (category);
                        """, """
                        INSERT INTO public.categories VALUES (1, 'one'), (2, 'two'), (3, 'three');
                        INSERT INTO public.products (code, price, category)
                          SELECT 'p' || n, n * 150, nullif(n % 4, 0) FROM generate_series(1, 7) n;
                        """, "02_retype", """
                        operations:
                          - alter_column: {table: products, column: price, type: "numeric(10,2)", up: "price / 100.0", down: "(price * 100)::integer"}
                          - alter_column: {table: products, column: category, type: bigint, up: category, down: "category::integer"}
                        """),
                new Scenario("create_constraint: unique and check", """
                        CREATE TABLE users (id serial PRIMARY KEY, email text, age integer);
                        """, """
                        INSERT INTO public.users (email, age) VALUES ('A@x', 30), ('b@x', -1), ('c@X', 41), ('d@x', -7), (NULL, 5);
                        """, "02_constraints", """
                        operations:
                          - create_constraint:
                              type: unique
                              table: users
                              name: users_email_key
                              columns: [email]
                              up: {email: lower(email)}
                              down: {email: email}
                          - create_constraint:
                              type: check
                              table: users
                              name: users_age_check
                              columns: [age]
                              check: age >= 0
                              up: {age: "greatest(age, 0)"}
                              down: {age: age}
                        """),
                new Scenario("split_table", """
                        CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL,
                          address_street text, address_city text, address_postal_code text);
                        """, """
                        INSERT INTO public.users (name, address_street, address_city, address_postal_code) VALUES
                          ('a', '1 Elm', 'Springfield', '111'), ('b', NULL, NULL, NULL), ('c', NULL, 'Ogdenville', NULL),
                          ('d', '4 Oak', 'Shelbyville', '444'), ('e', NULL, NULL, NULL);
                        """, "02_split", """
                        operations:
                          - split_table:
                              table: users
                              into: addresses
                              key: user_id
                              columns:
                                address_street: street
                                address_city: city
                                address_postal_code: postal_code
                        """),
                new Scenario("add_column with a volatile default, drop_column, rename_table, create_index", """
                        CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL, legacy text);
                        CREATE TABLE events (id serial PRIMARY KEY, kind text);
                        """, """
                        INSERT INTO public.accounts (name, legacy) SELECT 'a' || n, 'l' || n FROM generate_series(1, 5) n;
                        INSERT INTO public.events (kind) VALUES ('x'), ('y');
                        """, "02_columns_and_tables", """
                        operations:
                          - add_column:
                              table: accounts
                              column: {name: score, type: integer, nullable: true, default: "(random() < 2)::integer"}
                              up: id * 10
                          - drop_column: {table: accounts, column: legacy, down: "'restored'"}
                          - rename_table: {from: events, to: happenings}
                          - create_index: {table: accounts, name: accounts_name_idx, columns: [{column: name}]}
                        """),
                new Scenario("sql with down", """
                        CREATE TABLE notes (id serial PRIMARY KEY, body text);
                        """, """
                        INSERT INTO public.notes (body) VALUES ('one'), ('two');
                        """, "02_sql", """
                        operations:
                          - sql:
                              up: CREATE TABLE tags (id serial PRIMARY KEY, label text NOT NULL); INSERT INTO tags (label) VALUES ('first')
                              down: DROP TABLE tags
                        """),
                new Scenario("add_column of a serial, and sql among other operations", """
                        CREATE TABLE orders (id integer PRIMARY KEY, item text);
                        """, """
                        INSERT INTO public.orders (id, item) SELECT n, 'i' || n FROM generate_series(1, 7) n;
                        """, "02_serial_and_sql", """
                        operations:
                          - add_column:
                              table: orders
                              column: {name: number, type: bigserial}
                          - sql:
                              up: CREATE TABLE receipts (id serial PRIMARY KEY, order_id integer)
                              down: DROP TABLE receipts
                          - rename_column: {table: orders, from: item, to: product}
                        """));
    }

    @AfterAll
    static void dropDatabases() {
        DATABASES.dropAll();
    }

    @TestFactory
    Stream<DynamicNode> everyPhaseStoppedAfterEveryStep() {
        return scenarios().stream().map(scenario -> DynamicContainer.dynamicContainer(scenario.label(),
                Stream.of(0).flatMap(ignored -> new Scene(scenario).cases())));
    }

    /** One scenario's databases: the scene before start, after start, and the end state of each uninterrupted phase. */
    private static final class Scene {
        private final Scenario scenario;
        private final Migration migration;
        private final String before;
        private final String started;
        private final List<String> factsBefore;
        private final List<String> factsStarted;
        private final List<String> factsCompleted;
        private final Plan plan;

        Scene(Scenario scenario) {
            this.scenario = scenario;
            this.migration = MigrationReader.parseYaml(scenario.migrationName(), scenario.migrationYaml());
            before = DATABASES.fresh();
            Accordion setup = accordion(before, ExecutionListener.NONE);
            setup.start(MigrationReader.parseYaml("01_scene", "operations:\n  - sql:\n      up: |\n"
                    + scenario.setupSql().indent(10)), true);
            ScratchDatabases.execute(before, scenario.dataSql());
            plan = setup.plan(migration);
            factsBefore = CatalogFacts.of(before);

            started = DATABASES.copyOf(before);
            accordion(started, ExecutionListener.NONE).start(migration, false);
            factsStarted = CatalogFacts.of(started);

            String completed = DATABASES.copyOf(started);
            accordion(completed, ExecutionListener.NONE).complete();
            factsCompleted = CatalogFacts.of(completed);
            DATABASES.drop(completed);

            String rolledBack = DATABASES.copyOf(started);
            accordion(rolledBack, ExecutionListener.NONE).rollback();
            assertThat(CatalogFacts.of(rolledBack)).as("an uninterrupted rollback returns to the state before start")
                    .containsExactlyElementsOf(factsBefore);
            DATABASES.drop(rolledBack);
        }

        Stream<DynamicNode> cases() {
            List<DynamicNode> nodes = new ArrayList<>();
            for (Phase phase : Phase.values()) {
                List<Step> steps = plan.steps(phase);
                List<DynamicNode> stops = new ArrayList<>();
                stops.add(DynamicTest.dynamicTest("before its first step", () -> stopAndResume(phase, 0, false)));
                for (int k = 1; k <= steps.size(); k++) {
                    Step step = steps.get(k - 1);
                    int number = k;
                    stops.add(DynamicTest.dynamicTest("after step " + k + " of " + steps.size() + ": " + step.id(),
                            () -> stopAndResume(phase, number, false)));
                    if (step instanceof BatchedStep) {
                        stops.add(DynamicTest.dynamicTest("inside step " + k + " of " + steps.size() + ", after its first batch: "
                                + step.id(), () -> stopAndResume(phase, number, true)));
                    }
                }
                nodes.add(DynamicContainer.dynamicContainer(phase.label(), stops));
            }
            return nodes.stream();
        }

        private void stopAndResume(Phase phase, int k, boolean afterFirstBatch) {
            String database = DATABASES.copyOf(phase == Phase.START ? before : started);
            StopAfterStep stop = new StopAfterStep(k, afterFirstBatch);
            assertThatThrownBy(() -> run(accordion(database, stop), phase)).isInstanceOf(StopAfterStep.Stopped.class);
            boolean forgotten = !afterFirstBatch && stop.stoppedAt() != null && !stop.stoppedAt().transactional()
                    && !(stop.stoppedAt() instanceof BatchedStep);
            if (forgotten) {
                forgetJournalEntry(database, phase, stop.stoppedAt());
            }
            assertStatusShowsWhereItStopped(database, phase, k, afterFirstBatch || forgotten, afterFirstBatch);
            String interrupted = phase == Phase.START ? DATABASES.copyOf(database) : null;

            run(accordion(database, ExecutionListener.NONE), phase);
            assertThat(CatalogFacts.of(database)).as("%s run again after it stopped", phase.label())
                    .containsExactlyElementsOf(switch (phase) {
                        case START -> factsStarted;
                        case COMPLETE -> factsCompleted;
                        case ROLLBACK -> factsBefore;
                    });
            DATABASES.drop(database);

            if (interrupted != null) {
                accordion(interrupted, ExecutionListener.NONE).rollback();
                assertThat(CatalogFacts.of(interrupted)).as("rollback after start stopped").containsExactlyElementsOf(factsBefore);
                DATABASES.drop(interrupted);
            }
        }

        /**
         * Status names the interrupted phase, the first step not done (k + 1, or k itself when k is not done), and the
         * commands; it knows when the phase last made progress once a step or a batch is on record.
         */
        private void assertStatusShowsWhereItStopped(String database, Phase phase, int k, boolean stepKNotDone, boolean batchCommitted) {
            Interruption interruption = accordion(database, ExecutionListener.NONE).status().interruption().orElseThrow();
            int steps = plan.steps(phase).size();
            int firstNotDone = stepKNotDone ? k : k + 1;
            assertThat(interruption.phase()).isEqualTo(phase);
            assertThat(interruption.steps()).isEqualTo(steps);
            assertThat(interruption.stepsDone()).isEqualTo(firstNotDone - 1);
            assertThat(interruption.stoppedAt().map(Interruption.StoppedStep::number))
                    .isEqualTo(firstNotDone > steps ? Optional.empty() : Optional.of(firstNotDone));
            assertThat(interruption.lastProgressAt().isPresent()).as("last progress is known once a step or batch committed")
                    .isEqualTo(firstNotDone > 1 || batchCommitted);
            assertThat(interruption.resumeCommand()).isEqualTo(switch (phase) {
                case START -> "accordion start <file of " + scenario.migrationName() + ">";
                case COMPLETE -> "accordion complete";
                case ROLLBACK -> "accordion rollback";
            });
            // A complete stopped before any step that changes something (only its checks ran) can still be rolled back.
            boolean onlyChecksDone = plan.steps(phase).subList(0, firstNotDone - 1).stream().allMatch(Step::checksOnly);
            assertThat(interruption.rollbackCommand()).isEqualTo(phase == Phase.START || phase == Phase.COMPLETE && onlyChecksDone
                    ? Optional.of("accordion rollback") : Optional.empty());
        }

        private void run(Accordion accordion, Phase phase) {
            switch (phase) {
                case START -> accordion.start(migration, false);
                case COMPLETE -> accordion.complete();
                case ROLLBACK -> accordion.rollback();
            }
        }

        /** A step outside a transaction is journaled after it ran: a crash in between leaves it done but not journaled. */
        private static void forgetJournalEntry(String database, Phase phase, Step step) {
            ScratchDatabases.execute(database, "DELETE FROM accordion.journal WHERE phase = '" + phase.label()
                    + "' AND step_id = '" + step.id().value().replace("'", "''") + "'");
        }

        private Accordion accordion(String database, ExecutionListener listener) {
            return CrashResumeTest.accordion(database, listener, scenario.backfillWorkers());
        }

        @Override
        public String toString() {
            return scenario.label();
        }
    }

    private static Accordion accordion(String database, ExecutionListener listener, int backfillWorkers) {
        return Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(() -> ScratchDatabases.connect(database))
                .lockTimeout(Duration.ofMillis(500)).lockRetryDeadline(Duration.ofSeconds(20))
                .backfillBatchSize(BATCH_SIZE).backfillWorkers(backfillWorkers).listener(listener).load();
    }
}
