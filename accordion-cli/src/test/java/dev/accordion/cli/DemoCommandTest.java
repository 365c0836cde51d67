package dev.accordion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.postgres.PostgresUrls;
import dev.accordion.postgres.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code accordion demo} on the test server, in the test's own database, with few rows: the three scenarios, no failure. */
class DemoCommandTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @Test
    void runsTheThreeScenariosUnderTrafficAndReportsNoFailure() {
        String server = PostgresUrls.withDatabase(db.jdbcUrl(), "postgres");

        CliRun run = CliRun.run("demo", "--url", server, "--database", db.name(), "--rows", "2000");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("2,000 rows each", "1. rename users.name to full_name (migration 02_rename)",
                "2. split the address columns of users into addresses (migration 03_split_addresses)",
                "3. products.price from integer cents to numeric dollars (migration 04_price_in_dollars)",
                "All done: 3 migrations,", " client statements, 0 failed.");
        assertThat(run.out().split("both versions agree on every row", -1)).as("one agreement per scenario").hasSize(4);
        assertThat(run.out()).containsPattern("both versions +v2-1 +[0-9,]+ +0 ");
        assertThat(run.err()).contains("start 04_price_in_dollars: done in");
    }

    @Test
    void tooFewRowsIsAUsageError() {
        CliRun run = CliRun.run("demo", "--rows", "10");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--rows 10 is too few", "give --rows 1000 or more");
    }
}
