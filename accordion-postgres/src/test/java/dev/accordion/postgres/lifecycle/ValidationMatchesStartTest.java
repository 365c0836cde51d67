package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.Accordion;
import dev.accordion.ErrorCode;
import dev.accordion.ValidationReport;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.postgres.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What validate calls valid does not fail start on its own content: column types, defaults and checks compile in
 * validation as start would run them, and validation waits for locks as long as start's steps do.
 */
class ValidationMatchesStartTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void items() {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_items", """
                operations:
                  - create_table:
                      name: items
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: qty, type: integer, nullable: true}
                """);
    }

    @Test
    void aMistypedColumnTypeIsInvalid() {
        String yaml = """
                operations:
                  - add_column: {table: items, column: {name: price, type: integr, nullable: true}}
                """;
        assertInvalid(yaml, "operation 1 (add_column): column \"price\"", "type \"integr\" does not exist");
        assertRefused(db, lifecycle, "02_bad", yaml, ErrorCode.INVALID_MIGRATION, "type \"integr\" does not exist");
    }

    @Test
    void aTableChangedEarlierInTheMigrationCannotBeDropped() {
        String yaml = """
                operations:
                  - add_column: {table: items, up: qty * 2, column: {name: double_qty, type: integer, nullable: true}}
                  - drop_table: {name: items}
                """;
        assertInvalid(yaml, "operation 2 (drop_table): table \"items\" is changed by operation 1 (add_column) of this migration",
                "drop the table in a migration of its own");
        assertRefused(db, lifecycle, "02_bad", yaml, ErrorCode.INVALID_MIGRATION, "cannot both change a table and drop it");
    }

    @Test
    void aMistypedTypeIsInvalidEvenWithUp() {
        assertInvalid("""
                operations:
                  - add_column: {table: items, up: qty * 2, column: {name: price, type: integr, nullable: true}}
                """, "type \"integr\" does not exist");
    }

    @Test
    void aDefaultThatDoesNotFitTheTypeIsInvalid() {
        String yaml = """
                operations:
                  - add_column: {table: items, column: {name: price, type: integer, default: "'cheap'"}}
                """;
        assertInvalid(yaml, "column \"price\"", "invalid input syntax for type integer");
        assertRefused(db, lifecycle, "02_bad", yaml, ErrorCode.INVALID_MIGRATION, "invalid input syntax for type integer");
    }

    @Test
    void aCheckNamingAnUnknownColumnIsInvalid() {
        assertInvalid("""
                operations:
                  - add_column:
                      table: items
                      column: {name: price, type: integer, nullable: true, check: {name: price_positive, constraint: prise > 0}}
                """, "column \"prise\" does not exist");
    }

    @Test
    void aMistypedTypeOfAlterColumnIsInvalid() {
        assertInvalid("""
                operations:
                  - alter_column: {table: items, column: qty, type: bigintt, up: qty, down: qty}
                """, "operation 1 (alter_column): type (bigintt)", "type \"bigintt\" does not exist");
    }

    @Test
    void aValidFileStarts() {
        Migration migration = MigrationReader.parseYaml("02_price", """
                operations:
                  - add_column:
                      table: items
                      up: qty * 2
                      column: {name: price, type: "numeric(10,2)", default: "0", check: {name: price_positive, constraint: price >= 0}}
                """);
        assertThat(lifecycle.accordion().validate(migration).problems()).isEmpty();
        assertThat(lifecycle.accordion().start(migration, false).versionSchema()).isPresent();
    }

    @Test
    void theTrialWaitsForALockAsLongAsTheLockTimeoutAllows() throws Exception {
        Migration orders = MigrationReader.parseYaml("02_orders", """
                operations:
                  - create_table:
                      name: orders
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: item_id, type: integer, references: {name: orders_item_fk, table: items, column: id}}
                """);
        try (Connection writer = db.connect(); Statement statement = writer.createStatement()) {
            writer.setAutoCommit(false);
            statement.execute("LOCK TABLE items IN ROW EXCLUSIVE MODE"); // as a session writing to items holds

            ValidationReport impatient = accordion(Duration.ofMillis(100)).validate(orders);
            assertThat(impatient.problems()).singleElement().asString()
                    .contains("another session held a lock on a table it touches for longer than the lock timeout");

            CompletableFuture<ValidationReport> patient = CompletableFuture.supplyAsync(() -> accordion(Duration.ofSeconds(60)).validate(orders));
            awaitATrialWaitingLongerThan(Duration.ofSeconds(1));
            writer.rollback();
            assertThat(patient.orTimeout(60, TimeUnit.SECONDS).join().problems()).isEmpty();
        }
    }

    /** Until a session has waited for a lock for longer than the old fixed trial timeout (500 ms) would have let it. */
    private void awaitATrialWaitingLongerThan(Duration waited) {
        Instant giveUp = Instant.now().plusSeconds(30);
        while (db.queryStrings("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() "
                + "AND now() - state_change > interval '" + waited.toMillis() + " milliseconds'").isEmpty()) {
            assertThat(Instant.now()).as("a validation trial waits for the lock").isBefore(giveUp);
            Thread.onSpinWait();
        }
    }

    private void assertInvalid(String yaml, String... named) {
        ValidationReport report = lifecycle.accordion().validate(MigrationReader.parseYaml("02_bad", yaml));
        assertThat(report.isValid()).isFalse();
        assertThat(String.join("\n", report.problems())).contains(named);
    }

    private Accordion accordion(Duration lockTimeout) {
        return Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).lockTimeout(lockTimeout).load();
    }
}
