package dev.accordion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.Accordion;
import dev.accordion.Interruption;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.Step;
import dev.accordion.postgres.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9} of the command line during a backfill. The CLI runs as a separate JVM; the migration's
 * {@code up} calls a gate function that, at row 5,000, waits for an advisory lock the test holds, so the backfill
 * is certainly in progress, with 49 batches of 100 committed, when the process is killed. Afterwards {@code status}
 * shows the interrupted start and the commands to run, and starting again resumes from the checkpoint (its first
 * batch ends at row 5,000, not 100) and leaves every row right.
 */
class KillDuringBackfillTest {

    private static final int ROWS = 10_000;
    private static final int BATCH = 100;
    private static final int GATE_ROW = 5_000;
    private static final int GATE_KEY = 4242;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static final String CREATE_PRODUCTS = """
            operations:
              - sql:
                  up: |
                    CREATE TABLE products (id integer PRIMARY KEY, price integer NOT NULL);
                    CREATE FUNCTION backfill_gate(id integer) RETURNS integer LANGUAGE plpgsql AS $$
                    BEGIN
                      IF id = %d THEN
                        PERFORM pg_advisory_xact_lock_shared(%d);
                      END IF;
                      RETURN 0;
                    END $$;
            """.formatted(GATE_ROW, GATE_KEY);

    private static final String PRICE_IN_DOLLARS = """
            operations:
              - alter_column:
                  table: products
                  column: price
                  type: numeric(10,2)
                  up: price / 100.0 + backfill_gate(id)
                  down: (price * 100)::integer
            """;

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void startKilledDuringBackfillResumesFromItsCheckpoint() throws Exception {
        Path first = write("01_products.yaml", CREATE_PRODUCTS);
        Path second = write("02_price.yaml", PRICE_IN_DOLLARS);
        assertThat(CliRun.run("--url", db.jdbcUrl(), "start", first.toString(), "--complete").exitCode()).isZero();
        db.execute("INSERT INTO public.products SELECT n, n * 7 FROM generate_series(1, " + ROWS + ") n");

        try (Connection gate = db.connect()) {
            execute(gate, "SELECT pg_advisory_lock(" + GATE_KEY + ")");
            Process cli = launchCli("--url", db.jdbcUrl(), "--backfill-batch-size", String.valueOf(BATCH), "start", second.toString());
            try {
                await("the backfill to commit the batches before row " + GATE_ROW + " and wait at the gate", cli, true,
                        () -> checkpointRows() == GATE_ROW - BATCH && waitingAtGate());
            } finally {
                cli.destroyForcibly();
            }
            assertThat(cli.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the killed CLI exits").isTrue();
            // The killed runner's lock dies with its connection; the server notices the closed socket on its own time.
            Accordion accordion = facade(ExecutionListener.NONE);
            await("the server to end the killed runner's session", cli, false, () -> accordion.status().interrupted());

            Interruption interruption = accordion.status().interruption().orElseThrow();
            assertThat(interruption.stoppedAt().orElseThrow().rowsDone().getAsLong()).isEqualTo(GATE_ROW - BATCH);
            CliRun status = CliRun.run("--url", db.jdbcUrl(), "status");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.out()).contains("its start phase was interrupted")
                    .containsPattern("stopped at: +step \\d+ of \\d+, backfill .*, " + String.format(Locale.ROOT, "%,d", GATE_ROW - BATCH) + " rows done")
                    .contains("to finish it:          accordion start " + second)
                    .contains("to roll it back:       accordion rollback");
            execute(gate, "SELECT pg_advisory_unlock(" + GATE_KEY + ")");
        }

        List<Long> rowsDone = new ArrayList<>();
        facade(new ExecutionListener() {
            @Override
            public void backfillProgress(Step step, long done, long estimatedTotal, double rowsPerSecond) {
                rowsDone.add(done);
            }
        }).start(MigrationReader.read(second), false);
        assertThat(rowsDone).as("rows done after each batch of the resumed backfill").first().isEqualTo((long) GATE_ROW);
        assertThat(rowsDone).last().isEqualTo((long) ROWS);
        assertThat(db.queryString("SELECT count(*) FROM public.products WHERE _acc_new_price IS DISTINCT FROM price / 100.0"))
                .isEqualTo("0");

        assertThat(CliRun.run("--url", db.jdbcUrl(), "complete").exitCode()).isZero();
        assertThat(db.queryString("SELECT count(*) FROM public.products WHERE price = id * 7 / 100.0")).isEqualTo(String.valueOf(ROWS));
    }

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    private Accordion facade(ExecutionListener listener) {
        return Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).backfillBatchSize(BATCH).listener(listener).load();
    }

    /** The CLI in a JVM of its own, on this test's class path; its output goes to files, for failure messages. */
    private Process launchCli(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath, Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("cli.out").toFile()).redirectError(dir.resolve("cli.err").toFile());
        builder.environment().remove("ACCORDION_URL");
        return builder.start();
    }

    /**
     * Polls {@code condition} until it holds; fails at the deadline with what the CLI printed, and at once if the CLI
     * should still run ({@code cliAlive}) but has exited.
     */
    private void await(String what, Process cli, boolean cliAlive, BooleanSupplier condition) throws Exception {
        Instant giveUp = Instant.now().plus(DEADLINE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(giveUp) || cliAlive && !cli.isAlive()) {
                throw new AssertionError("gave up waiting for " + what + "; the CLI printed:\n" + Files.readString(dir.resolve("cli.out"))
                        + Files.readString(dir.resolve("cli.err")));
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private long checkpointRows() {
        List<String> rows = db.queryStrings("SELECT rows_done FROM accordion.checkpoints");
        return rows.isEmpty() ? -1 : Long.parseLong(rows.get(0));
    }

    private boolean waitingAtGate() {
        return !db.queryStrings("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = " + GATE_KEY).isEmpty();
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
