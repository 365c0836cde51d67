package dev.accordion.postgres.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accordion.execute.BackfillPolicy;
import dev.accordion.execute.BackfillThrottling;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.execute.Executor;
import dev.accordion.execute.RetryPolicy;
import dev.accordion.plan.BatchedStep.Batch;
import dev.accordion.plan.Phase;
import dev.accordion.plan.SplittableStep.SplitBatch;
import dev.accordion.plan.Step;
import dev.accordion.plan.StepId;
import dev.accordion.postgres.PostgresDialect;
import dev.accordion.postgres.state.PostgresStateStore;
import dev.accordion.postgres.testing.ForwardingBackfillBoard;
import dev.accordion.postgres.testing.TestDatabase;
import dev.accordion.spi.BackfillBoard;
import dev.accordion.spi.BackfillProgress;
import dev.accordion.spi.BlockingSession;
import dev.accordion.spi.Checkpoint;
import dev.accordion.spi.Journal;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlExpr;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A backfill with more than one worker: each batch cut into key ranges that run side by side on connections of their
 * own, committed one by one, and the checkpoint committed after all of them. The rules record which backend filled a
 * row and how often it was filled, so "on that many connections" and "every row once, across a retry or a resume"
 * are queries.
 */
class SplitBatchBackfillTest {

    private static final String MIGRATION = "02_price_in_dollars";
    private static final StepId STEP = new StepId("start/sync-products/backfill");
    private static final RetryPolicy QUICK_RETRIES = new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(30),
            Duration.ofMillis(10), Duration.ofMillis(50));

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private final Backfill backfill = new Backfill(STEP, QualifiedName.of("public", "products"),
            List.of(new Backfill.KeyColumn(Identifier.of("id"), SqlExpr.of("bigint"))),
            List.of(new SyncRule(Identifier.of("new_price"), SqlExpr.of("price / 100.0")),
                    new SyncRule(Identifier.of("filled_by"), SqlExpr.of("pg_backend_pid()")),
                    new SyncRule(Identifier.of("fills"), SqlExpr.of("fills + 1"))));
    private final List<Long> progress = new CopyOnWriteArrayList<>();
    private final List<List<BlockingSession>> lockRetries = new CopyOnWriteArrayList<>();
    private PostgresStateStore store;
    private Connection worker;
    private Connection probe;

    @BeforeEach
    void products() throws SQLException {
        db.execute("CREATE TABLE products (id bigint PRIMARY KEY, price integer, new_price numeric(10,2), filled_by integer, "
                        + "fills integer NOT NULL DEFAULT 0, _acc_synced boolean)",
                "INSERT INTO products (id, price) SELECT n, n * 100 + 99 FROM generate_series(1, 10000) n",
                "ANALYZE products");
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
    void aBatchIsCutIntoKeyRangesOfAboutEqualSize() throws Exception {
        SplitBatch split = backfill.splitBatch(worker, Optional.of("[\"100\"]"), 1_000, 3);

        assertThat(split.pieces()).containsExactly("{\"after\":[\"100\"],\"upTo\":[\"434\"]}",
                "{\"after\":[\"434\"],\"upTo\":[\"768\"]}", "{\"after\":[\"768\"],\"upTo\":[\"1100\"]}");
        assertThat(split.batch()).isEqualTo(new Batch(Optional.of("[\"1100\"]"), 1_000, false));
        assertThat(db.queryString("SELECT count(*) FROM products WHERE new_price IS NOT NULL")).as("cutting reads only")
                .isEqualTo("0");
    }

    @Test
    void theLastBatchEndsWithAnUnboundedPieceAndCountsTheRowsLeft() throws Exception {
        SplitBatch split = backfill.splitBatch(worker, Optional.of("[\"9500\"]"), 1_000, 3);

        assertThat(split.pieces()).containsExactly("{\"after\":[\"9500\"],\"upTo\":[\"9834\"]}",
                "{\"after\":[\"9834\"],\"upTo\":[]}");
        assertThat(split.batch()).isEqualTo(Batch.last(Optional.of("[\"9834\"]"), 500));
    }

    @Test
    void piecesRunSideBySideOnTheirOwnConnectionsAndEveryRowIsFilledOnce() {
        run(BackfillPolicy.DEFAULT.withFixedBatchSize(3_000).withWorkers(3), BackfillBoard.NONE, new Recording());

        assertThat(db.queryRows("SELECT count(*) AS rows, count(DISTINCT filled_by) AS backends, min(fills) AS least, "
                + "max(fills) AS most, bool_and(new_price = price / 100.0 AND _acc_synced) AS right FROM products"))
                .containsExactly(Map.of("rows", 10_000L, "backends", 3L, "least", 1, "most", 1, "right", true));
        // Asked of the client side: a closed connection's backend leaves pg_stat_activity only a moment later.
        assertThat(opened).as("the pieces' own connections").hasSize(2)
                .allSatisfy(connection -> assertThat(connection.isClosed()).as("closed with the step").isTrue());
        assertThat(progress).containsExactly(3_000L, 6_000L, 9_000L, 10_000L);
        assertThat(journal().checkpoint(STEP)).contains(new Checkpoint(Optional.of("[\"10000\"]"), 10_000));
        assertThat(journal().finished()).containsExactly(STEP);
    }

    @Test
    void aBatchWhosePieceTimesOutOnALockIsRetriedWholeAndItsCommittedPiecesFindTheirRowsDone() throws Exception {
        int blockerPid;
        try (Connection blocker = db.connect()) {
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("SELECT * FROM products WHERE id = 2500 FOR UPDATE"); // in the first batch's second piece
                ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()");
                rs.next();
                blockerPid = rs.getInt(1);
            }
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

            run(BackfillPolicy.DEFAULT.withFixedBatchSize(4_000).withWorkers(2), BackfillBoard.NONE, releaseOnFirstRetry);
        }
        assertThat(lockRetries).hasSize(1);
        assertThat(lockRetries.get(0)).extracting(BlockingSession::pid).as("the blocker of the second piece's connection")
                .contains(blockerPid);
        assertThat(db.queryRows("SELECT count(*) AS rows, min(fills) AS least, max(fills) AS most FROM products"))
                .as("the first piece committed before the retry and was not filled again")
                .containsExactly(Map.of("rows", 10_000L, "least", 1, "most", 1));
        assertThat(journal().checkpoint(STEP)).contains(new Checkpoint(Optional.of("[\"10000\"]"), 10_000));
    }

    @Test
    void aRunStoppedAfterABatchsPiecesCommittedButBeforeItsCheckpointDoesThatBatchAgainAndFillsNoRowTwice() {
        AtomicInteger saves = new AtomicInteger();
        BackfillBoard failingAtTheSecondBatch = new ForwardingBackfillBoard(BackfillBoard.NONE) {
            @Override
            public void saveProgress(Connection connection, BackfillProgress saved) {
                if (saves.incrementAndGet() == 2) {
                    throw new IllegalStateException("stopped before the checkpoint of batch 2");
                }
            }
        };
        BackfillPolicy policy = BackfillPolicy.DEFAULT.withFixedBatchSize(3_000).withWorkers(2);

        assertThatThrownBy(() -> run(policy, failingAtTheSecondBatch, new Recording()))
                .isInstanceOf(IllegalStateException.class).hasMessage("stopped before the checkpoint of batch 2");
        assertThat(db.queryString("SELECT count(*) FROM products WHERE fills = 1")).as("both batches' pieces committed")
                .isEqualTo("6000");
        assertThat(journal().checkpoint(STEP)).as("the second batch's checkpoint did not")
                .contains(new Checkpoint(Optional.of("[\"3000\"]"), 3_000));

        run(policy, BackfillBoard.NONE, new Recording());

        assertThat(db.queryRows("SELECT count(*) AS rows, min(fills) AS least, max(fills) AS most FROM products"))
                .containsExactly(Map.of("rows", 10_000L, "least", 1, "most", 1));
        assertThat(journal().checkpoint(STEP)).as("the last batch began at 9000 and found fewer rows than a piece asks for")
                .contains(new Checkpoint(Optional.of("[\"9000\"]"), 10_000));
        assertThat(journal().finished()).containsExactly(STEP);
    }

    private void run(BackfillPolicy policy, BackfillBoard board, ExecutionListener listener) {
        new Executor(new PostgresDialect(), worker, probe, QUICK_RETRIES.withLockTimeout(Duration.ofSeconds(1)), policy,
                BackfillThrottling.NONE, board, listener, () -> {
                    Connection connection = db.connect();
                    opened.add(connection);
                    return connection;
                })
                .run(MIGRATION, Phase.START, List.of(backfill), journal());
    }

    /** Every connection the executor opened for the pieces of a batch. */
    private final List<Connection> opened = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Journal journal() {
        return store.journal(Identifier.of("public"), MIGRATION, Phase.START);
    }

    /** Records progress and lock retries. */
    private class Recording implements ExecutionListener {
        @Override
        public void backfillProgress(Step step, long rowsDone, long estimatedTotal, double rowsPerSecond) {
            progress.add(rowsDone);
        }

        @Override
        public void lockRetry(Step step, int attempt, Duration pause, List<BlockingSession> blockers) {
            lockRetries.add(blockers);
        }
    }
}
