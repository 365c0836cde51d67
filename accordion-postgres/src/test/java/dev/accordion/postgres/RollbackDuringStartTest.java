package dev.accordion.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accordion.Accordion;
import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.PhaseResult;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.Phase;
import dev.accordion.plan.Step;
import dev.accordion.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rollback run from another process while a start is under way: it asks the start to stop, and the start stops at
 * its next step or batch with {@link ErrorCode#STOPPED} instead of reporting a migration as started that the rollback
 * then undoes. The rollback is asked for at a known point of the start (from the start's listener, which waits until
 * the request is in the state schema), in the two orders that matter: during the backfill, and after the last step but
 * before the migration is marked active.
 */
class RollbackDuringStartTest {

    private static final String PRICE = """
            operations:
              - alter_column:
                  table: items
                  column: price
                  type: numeric(10,2)
                  up: price / 100.0
                  down: (price * 100)::integer
            """;

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private CompletableFuture<PhaseResult> rollback;

    @BeforeEach
    void itemsWithRows() {
        db.execute("CREATE TABLE items (id bigint PRIMARY KEY, price integer NOT NULL)",
                "INSERT INTO items SELECT g, g FROM generate_series(1, 5000) g");
        Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).load().baseline("01_items");
    }

    @Test
    void aRollbackAskedForDuringTheBackfillStopsTheStartAtItsNextBatch() {
        Accordion starter = starter(new ExecutionListener() {
            @Override
            public void backfillProgress(Step step, long rowsDone, long estimatedTotal, double rowsPerSecond) {
                if (rowsDone == 1_000) {
                    rollBackFromAnotherRunner();
                }
            }
        });

        assertThatThrownBy(() -> starter.start(MigrationReader.parseYaml("02_price", PRICE), false))
                .isInstanceOfSatisfying(AccordionException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STOPPED);
                    assertThat(e.getMessage()).startsWith("Start of migration \"02_price\" stopped in step 3 of 5 (backfill")
                            .contains("a rollback from the session with server pid", "undoes the migration");
                });

        assertRolledBackWhole();
    }

    @Test
    void aRollbackAskedForAfterTheLastStepKeepsTheMigrationFromBecomingActive() {
        Accordion starter = starter(new ExecutionListener() {
            @Override
            public void phaseFinished(String migration, Phase phase, Duration took) {
                rollBackFromAnotherRunner();
            }
        });

        assertThatThrownBy(() -> starter.start(MigrationReader.parseYaml("02_price", PRICE), false))
                .isInstanceOfSatisfying(AccordionException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STOPPED);
                    assertThat(e.getMessage()).startsWith("Start of migration \"02_price\" ran all its 5 steps but was not marked active")
                            .contains("a rollback from the session with server pid");
                });

        assertRolledBackWhole();
    }

    @Test
    void aRollbackAfterTheStartHasFinishedRollsItBackAsBefore() {
        Accordion starter = starter(ExecutionListener.NONE);
        PhaseResult started = starter.start(MigrationReader.parseYaml("02_price", PRICE), false);
        assertThat(started.phase()).isEqualTo(Phase.START);

        rollback = CompletableFuture.completedFuture(Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).load().rollback());

        assertRolledBackWhole();
    }

    private Accordion starter(ExecutionListener listener) {
        return Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).backfillBatchSize(1_000).listener(listener).load();
    }

    /** Starts a rollback on its own runner and returns once its request to stop is in the state schema. */
    private void rollBackFromAnotherRunner() {
        Accordion other = Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).runnerWait(Duration.ofSeconds(60)).load();
        rollback = CompletableFuture.supplyAsync(other::rollback);
        Instant giveUp = Instant.now().plusSeconds(30);
        while (db.queryStrings("SELECT migration FROM accordion.rollback_requests").isEmpty()) {
            assertThat(Instant.now()).as("the rollback asked the start to stop within 30 s").isBefore(giveUp);
            assertThat(rollback).as("the rollback waits for the start's runner").isNotDone();
            Thread.onSpinWait();
        }
    }

    private void assertRolledBackWhole() {
        PhaseResult rolledBack = rollback.orTimeout(60, TimeUnit.SECONDS).join();
        assertThat(rolledBack.phase()).isEqualTo(Phase.ROLLBACK);
        assertThat(rolledBack.migration()).isEqualTo("02_price");
        assertThat(db.queryStrings("SELECT name || ' ' || status FROM accordion.migrations")).containsExactly("01_items complete");
        assertThat(db.queryStrings("SELECT column_name || ' ' || data_type FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND table_name = 'items' ORDER BY ordinal_position"))
                .containsExactly("id bigint", "price integer");
        assertThat(db.queryStrings("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'public_%' ORDER BY 1"))
                .containsExactly("public_01_items");
        assertThat(db.queryStrings("SELECT tgname FROM pg_trigger WHERE tgrelid = 'items'::regclass")).isEmpty();
        assertThat(db.queryStrings("SELECT count(*) FROM accordion.rollback_requests")).containsExactly("0");
        assertThat(db.queryStrings("SELECT sum(price) FROM items")).as("every row kept").containsExactly("12502500");
    }
}
