package dev.accordion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accordion.Accordion;
import dev.accordion.execute.BackfillThrottling;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.Step;
import dev.accordion.postgres.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accordion backfill pause|resume} and the backfill part of {@code status}, against a real PostgreSQL. The
 * runner is the facade on a thread of the test; the commands run as another process would, through {@code Main.run},
 * from the runner's listener callbacks: pause after its first batch, status and resume once it reports the pause.
 */
class BackfillCommandTest {

    private static final int ROWS = 10_000;

    private static final String CREATE_PRODUCTS = """
            operations:
              - sql:
                  up: CREATE TABLE products (id integer PRIMARY KEY, price integer NOT NULL)
            """;

    private static final String PRICE_IN_DOLLARS = """
            operations:
              - alter_column:
                  table: products
                  column: price
                  type: numeric(10,2)
                  up: price / 100.0
                  down: (price * 100)::integer
            """;

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void helpShowsBackfillPauseAndResumeAndTheNewOptions() {
        CliRun help = CliRun.run("--help");
        CliRun backfill = CliRun.run("backfill", "--help");
        CliRun pause = CliRun.run("backfill", "pause", "--help");
        CliRun alone = CliRun.run("backfill");

        assertThat(help.out()).containsPattern("(?m)^  backfill ").contains("--progress-interval=<seconds>")
                .contains("--no-throttle-on-lock-waiters").contains("--max-replication-lag=<duration>")
                .contains("--max-replication-lag-bytes=<bytes>").contains("--replica-url=<url>").contains("--probe-sql=<sql>")
                .contains("--max-probe-ms=<ms>");
        assertThat(backfill.exitCode()).isZero();
        assertThat(backfill.out()).containsPattern("(?m)^  pause ").containsPattern("(?m)^  resume ");
        assertThat(pause.out()).contains("--reason=<text>").contains("Pausing again replaces the reason");
        assertThat(alone.exitCode()).isEqualTo(2);
        assertThat(alone.err()).startsWith("error: give a subcommand: pause or resume");
    }

    @Test
    void pausingWithoutAnActiveMigrationIsAStateConflict() throws Exception {
        CliRun run = cli("backfill", "pause");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.err()).contains("there is no active migration on schema \"public\", so there is no backfill to pause");
    }

    @Test
    void pauseTwiceReplacesTheReasonAndResumeSaysWhetherItWasPaused() throws Exception {
        startProductsAndPrice();

        CliRun pause = cli("backfill", "pause", "--reason", "deploy freeze");
        CliRun again = cli("backfill", "pause", "--reason", "nightly report");
        CliRun status = cli("status");
        CliRun statusJson = cli("status", "--output", "json");
        CliRun resume = cli("backfill", "resume");
        CliRun resumeAgain = cli("backfill", "resume");

        assertThat(pause.exitCode()).as(pause.toString()).isZero();
        assertThat(pause.out()).isEqualTo("paused: backfills of migration \"02_price\" on schema \"public\" wait after their current "
                + "batch (\"deploy freeze\"); \"accordion backfill resume\" lets them go on\n"
                + "note: the start of \"02_price\" has finished, so no backfill is left to hold back; the pause ends with the "
                + "migration (\"accordion backfill resume\" ends it now)\n");
        assertThat(again.out()).isEqualTo("still paused: backfills of migration \"02_price\" on schema \"public\" were already "
                + "paused; the reason is now \"nightly report\"\n"
                + "note: the start of \"02_price\" has finished, so no backfill is left to hold back; the pause ends with the "
                + "migration (\"accordion backfill resume\" ends it now)\n");
        assertThat(status.out()).containsPattern("backfills paused: +by [^ ]+/\\d+/accordion since [0-9T:-]+Z: \"nightly report\"; "
                + "\"accordion backfill resume\" lets them go on");
        JsonNode document = json.readTree(statusJson.out());
        assertThat(document.get("backfill_pause").get("reason").asText()).isEqualTo("nightly report");
        assertThat(document.get("backfill_pause").get("paused_by").asText()).endsWith("/accordion");
        assertThat(resume.exitCode()).isZero();
        assertThat(resume.out()).startsWith("resumed: backfills on schema \"public\" go on; they were paused by ")
                .endsWith(": \"nightly report\"\n");
        assertThat(resumeAgain.exitCode()).as("not an error: nothing stands in the backfill's way").isZero();
        assertThat(resumeAgain.out()).isEqualTo("not paused: backfills on schema \"public\" were not paused; nothing to resume\n");
        assertThat(cli("status").out()).doesNotContain("backfills paused:");
    }

    @Test
    void aPauseEndsWithItsMigration() throws Exception {
        startProductsAndPrice();
        assertThat(cli("backfill", "pause").exitCode()).isZero();

        CliRun complete = cli("complete");

        assertThat(complete.exitCode()).as(complete.toString()).isZero();
        assertThat(cli("status").out()).doesNotContain("backfills paused:");
        assertThat(cli("backfill", "resume").out()).startsWith("not paused:");
    }

    @Test
    void aRunningBackfillIsPausedShownInStatusAndResumedFromAnotherProcess() throws Exception {
        assertThat(cli("start", write("01_products.yaml", CREATE_PRODUCTS), "--complete").exitCode()).isZero();
        db.execute("INSERT INTO public.products SELECT n, n * 7 FROM generate_series(1, " + ROWS + ") n", "ANALYZE public.products");
        List<CliRun> seen = new ArrayList<>();
        List<Long> rowsDone = new ArrayList<>();
        ExecutionListener otherProcess = new ExecutionListener() {
            @Override
            public void backfillProgress(Step step, long done, long estimatedTotal, double rowsPerSecond) {
                rowsDone.add(done);
                if (rowsDone.size() == 1) {
                    seen.add(cli("backfill", "pause", "--reason", "nightly report"));
                }
            }

            @Override
            public void backfillPaused(Step step, String reason) {
                seen.add(cli("status"));
                seen.add(cli("status", "--output", "json"));
                seen.add(cli("backfill", "resume"));
            }
        };

        Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).backfillBatchSize(1_000).listener(otherProcess)
                .backfillWaits(new BackfillThrottling(List.of(), Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(100)))
                .load().start(MigrationReader.read(Path.of(write("02_price.yaml", PRICE_IN_DOLLARS))), false);

        assertThat(seen).hasSize(4).allSatisfy(run -> assertThat(run.exitCode()).as(run.toString()).isZero());
        String status = seen.get(1).out();
        assertThat(status)
                .containsPattern("backfill: +backfill \\S+: \\S+: 1,000 of about 10,000 rows \\(10%\\)(, [\\d,]+ rows/s(, about .* left)?)?\n")
                .contains("paused (see \"backfills paused\" below); \"accordion backfill resume\" lets it go on\n")
                .containsPattern(" {23}last report from its runner \\d+ s ago\n")
                .contains("backfills paused:")
                .containsPattern("next step: +none while a runner works on it: the session with server pid \\d+");
        JsonNode backfill = json.readTree(seen.get(2).out()).get("active_migration").get("backfills").get(0);
        assertThat(backfill.get("rows_done").asLong()).isEqualTo(1_000);
        assertThat(backfill.get("estimated_total").asLong()).isEqualTo(ROWS);
        assertThat(backfill.get("percent").asInt()).isEqualTo(10);
        assertThat(backfill.get("state").asText()).isEqualTo("paused");
        assertThat(backfill.get("reason").asText()).endsWith("\"nightly report\"");
        assertThat(backfill.get("seconds_since_report").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(seen.get(3).out()).startsWith("resumed:");
        assertThat(rowsDone).as("the batch after the pause goes on from 1,000").startsWith(1_000L, 2_000L).endsWith((long) ROWS);
        assertThat(db.queryString("SELECT count(*) FROM public.products WHERE _acc_new_price IS DISTINCT FROM price / 100.0"))
                .isEqualTo("0");
        assertThat(cli("status").out()).as("a finished backfill leaves no progress behind").doesNotContain("backfill:");
    }

    private void startProductsAndPrice() throws IOException {
        assertThat(cli("start", write("01_products.yaml", CREATE_PRODUCTS), "--complete").exitCode()).isZero();
        CliRun start = cli("start", write("02_price.yaml", PRICE_IN_DOLLARS));
        assertThat(start.exitCode()).as(start.toString()).isZero();
    }

    private String write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml).toString();
    }

    private CliRun cli(String... args) {
        List<String> all = new ArrayList<>(List.of("--url", db.jdbcUrl()));
        all.addAll(List.of(args));
        return CliRun.run(all.toArray(String[]::new));
    }
}
