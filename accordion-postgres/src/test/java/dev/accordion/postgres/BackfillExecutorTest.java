package dev.accordion.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accordion.execute.BackfillPolicy;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.execute.Executor;
import dev.accordion.execute.RetryPolicy;
import dev.accordion.plan.BatchedStep;
import dev.accordion.plan.LockClaim;
import dev.accordion.plan.LockLevel;
import dev.accordion.plan.Phase;
import dev.accordion.plan.Step;
import dev.accordion.plan.StepId;
import dev.accordion.postgres.state.PostgresStateStore;
import dev.accordion.postgres.testing.TestDatabase;
import dev.accordion.spi.BlockingSession;
import dev.accordion.spi.Checkpoint;
import dev.accordion.spi.Journal;
import dev.accordion.sql.Identifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The executor running a {@link BatchedStep} on a real table: a test step walks {@code items} by primary key and
 * counts its visits per row, so that "every row exactly once" (across failures, resumes and lock retries) is a
 * query away. The PostgreSQL backfill itself is tested with its planner; this is the executor's side.
 */
class BackfillExecutorTest {

    private static final StepId STEP = ItemsBackfill.STEP;
    private static final String MIGRATION = "02_backfill";
    private static final RetryPolicy QUICK_RETRIES = new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(30),
            Duration.ofMillis(10), Duration.ofMillis(50));

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private final List<Progress> progress = new CopyOnWriteArrayList<>();
    private final List<List<BlockingSession>> lockRetries = new CopyOnWriteArrayList<>();
    private PostgresStateStore store;
    private Connection worker;
    private Connection probe;

    @BeforeEach
    void connect() throws SQLException {
        store = new PostgresStateStore(db::connect, Identifier.of("accordion"));
        store.init();
        worker = db.connect();
        probe = db.connect();
    }

    @AfterEach
    void disconnect() throws SQLException {
        worker.close();
        probe.close();
    }

    @Test
    void everyRowIsVisitedOnceAndTheLastBatchJournalsTheStep() {
        items(5_000);
        ItemsBackfill step = new ItemsBackfill();

        run(step, BackfillPolicy.DEFAULT);

        assertVisitedOnce(5_000);
        assertThat(step.sizes.get(0)).as("the first batch").isEqualTo(1_000);
        assertThat(step.afters.get(0)).as("the first batch starts at the beginning").isEmpty();
        assertThat(journal().checkpoint(STEP)).contains(new Checkpoint(Optional.of("5000"), 5_000));
        assertThat(db.queryRows("SELECT migration, phase, step_id FROM accordion.journal"))
                .containsExactly(Map.of("migration", MIGRATION, "phase", "start", "step_id", STEP.value()));
        assertThat(progress).as("one progress event per batch").hasSize(step.afters.size());
        Progress last = progress.get(progress.size() - 1);
        assertThat(last.rowsDone()).isEqualTo(5_000);
        assertThat(last.estimatedTotal()).as("from planner statistics").isEqualTo(5_000);
        assertThat(last.rowsPerSecond()).isPositive();
    }

    @Test
    void eachBatchStartsWhereThePreviousOneStopped() {
        items(2_500);
        ItemsBackfill step = new ItemsBackfill();

        run(step, BackfillPolicy.DEFAULT.withFixedBatchSize(1_000));

        assertThat(step.afters).containsExactly(Optional.empty(), Optional.of("1000"), Optional.of("2000"));
        assertThat(progress).extracting(Progress::rowsDone).containsExactly(1_000L, 2_000L, 2_500L);
    }

    @Test
    void aFixedBatchSizeIsUsedForEveryBatch() {
        items(2_500);
        ItemsBackfill step = new ItemsBackfill();

        run(step, BackfillPolicy.DEFAULT.withFixedBatchSize(300));

        assertThat(step.sizes).as("8 full batches and a last one of 100 rows").isEqualTo(Collections.nCopies(9, 300));
        assertVisitedOnce(2_500);
    }

    @Test
    void anEmptyTableTakesOneBatchAndIsJournaled() {
        items(0);
        ItemsBackfill step = new ItemsBackfill();

        run(step, BackfillPolicy.DEFAULT);

        assertThat(step.afters).containsExactly(Optional.empty());
        assertThat(journal().finished()).containsExactly(STEP);
        assertThat(journal().checkpoint(STEP)).contains(new Checkpoint(Optional.empty(), 0));
    }

    @Test
    void anInterruptedBackfillResumesFromItsLastCommittedBatch() {
        items(5_000);
        ItemsBackfill failing = new ItemsBackfill().failingOnCall(3);

        assertThatThrownBy(() -> run(failing, BackfillPolicy.DEFAULT.withFixedBatchSize(1_000)))
                .isInstanceOf(IllegalStateException.class).hasMessage("killed in batch 3");

        assertThat(db.queryString("SELECT count(*) FROM items WHERE visits = 1")).as("the third batch rolled back")
                .isEqualTo("2000");
        assertThat(journal().checkpoint(STEP)).contains(new Checkpoint(Optional.of("2000"), 2_000));
        assertThat(journal().finished()).isEmpty();

        progress.clear();
        ItemsBackfill resumed = new ItemsBackfill();
        run(resumed, BackfillPolicy.DEFAULT.withFixedBatchSize(1_000));

        assertThat(resumed.afters.get(0)).as("the second run's first batch").contains("2000");
        assertVisitedOnce(5_000);
        assertThat(journal().checkpoint(STEP)).contains(new Checkpoint(Optional.of("5000"), 5_000));
        assertThat(progress.get(0).rowsDone()).as("rows done count the first run's batches").isEqualTo(3_000);
        assertThat(journal().finished()).containsExactly(STEP);
    }

    @Test
    void aBatchThatTimesOutOnALockIsRetriedAlone() throws Exception {
        items(2_500);
        try (Connection blocker = db.connect()) {
            blocker.setAutoCommit(false);
            int blockerPid;
            try (Statement statement = blocker.createStatement()) {
                statement.execute("SELECT * FROM items WHERE id = 1500 FOR UPDATE");
                ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()");
                rs.next();
                blockerPid = rs.getInt(1);
            }
            ItemsBackfill step = new ItemsBackfill();
            ExecutionListener releaseOnFirstRetry = new Recording() {
                @Override
                public void lockRetry(Step retried, int attempt, Duration pause, List<BlockingSession> blockers) {
                    super.lockRetry(retried, attempt, pause, blockers);
                    try {
                        blocker.commit();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };

            // a whole second per attempt leaves the blocker probe (at 70 % of it) time to see the blocker on a busy machine
            new Executor(new PostgresDialect(), worker, probe, QUICK_RETRIES.withLockTimeout(Duration.ofSeconds(1)),
                    BackfillPolicy.DEFAULT.withFixedBatchSize(1_000),
                    releaseOnFirstRetry).run(MIGRATION, Phase.START, List.of(step), journal());

            assertThat(lockRetries).hasSize(1);
            assertThat(lockRetries.get(0)).extracting(BlockingSession::pid).contains(blockerPid);
            assertThat(step.afters).as("the second batch ran twice, from the same position")
                    .containsExactly(Optional.empty(), Optional.of("1000"), Optional.of("1000"), Optional.of("2000"));
        }
        assertVisitedOnce(2_500);
        assertThat(journal().checkpoint(STEP)).contains(new Checkpoint(Optional.of("2500"), 2_500));
    }

    private void run(BatchedStep step, BackfillPolicy policy) {
        new Executor(new PostgresDialect(), worker, probe, QUICK_RETRIES, policy, new Recording())
                .run(MIGRATION, Phase.START, List.of(step), journal());
    }

    private Journal journal() {
        return store.journal(Identifier.of("public"), MIGRATION, Phase.START);
    }

    private void items(int rows) {
        db.execute("CREATE TABLE items (id bigint PRIMARY KEY, visits int NOT NULL DEFAULT 0)",
                "INSERT INTO items (id) SELECT generate_series(1, " + rows + ")",
                "ANALYZE items");
    }

    private void assertVisitedOnce(int rows) {
        assertThat(db.queryRows("SELECT count(*) AS rows, min(visits) AS least, max(visits) AS most FROM items"))
                .containsExactly(Map.of("rows", (long) rows, "least", 1, "most", 1));
    }

    private record Progress(long rowsDone, long estimatedTotal, double rowsPerSecond) {
    }

    /** Records progress and lock retries. */
    private class Recording implements ExecutionListener {
        @Override
        public void backfillProgress(Step step, long rowsDone, long estimatedTotal, double rowsPerSecond) {
            progress.add(new Progress(rowsDone, estimatedTotal, rowsPerSecond));
        }

        @Override
        public void lockRetry(Step step, int attempt, Duration pause, List<BlockingSession> blockers) {
            lockRetries.add(blockers);
        }
    }
}
