package dev.accordion.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.execute.BackfillPolicy;
import dev.accordion.execute.BackfillThrottling;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.execute.Executor;
import dev.accordion.execute.RetryPolicy;
import dev.accordion.execute.Throttle;
import dev.accordion.plan.Phase;
import dev.accordion.plan.Step;
import dev.accordion.postgres.state.PostgresStateStore;
import dev.accordion.postgres.testing.ForwardingBackfillBoard;
import dev.accordion.postgres.testing.TestDatabase;
import dev.accordion.spi.BackfillBoard;
import dev.accordion.spi.BackfillPause;
import dev.accordion.spi.Journal;
import dev.accordion.sql.Identifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The executor's pause and throttles between batches, on a real state schema. A pause is set and cleared through the
 * board, as {@code accordion backfill pause|resume} does from another process; the test sees each poll of the pause
 * through a board that wraps the real one, so it resumes after a number of polls, not after some time.
 */
class BackfillPauseTest {

    private static final String MIGRATION = "02_backfill";
    private static final RetryPolicy RETRIES = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30),
            Duration.ofMillis(10), Duration.ofMillis(50));
    /** Short waits: the test counts polls, so their interval only decides how long it takes. */
    private static final BackfillThrottling QUICK = new BackfillThrottling(List.of(), Duration.ofMillis(10),
            Duration.ofMillis(1), Duration.ofMillis(20));

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private final List<String> events = new CopyOnWriteArrayList<>();
    private PostgresStateStore store;
    private BackfillBoard board;
    private Connection worker;
    private Connection probe;

    @BeforeEach
    void connect() throws SQLException {
        store = new PostgresStateStore(db::connect, Identifier.of("accordion"));
        store.init();
        board = store.backfillBoard(Identifier.of("public"));
        worker = db.connect();
        probe = db.connect();
        db.execute("CREATE TABLE items (id bigint PRIMARY KEY, visits int NOT NULL DEFAULT 0)",
                "INSERT INTO items (id) SELECT generate_series(1, 5000)", "ANALYZE items");
    }

    @AfterEach
    void disconnect() throws SQLException {
        worker.close();
        probe.close();
    }

    @Test
    void aPauseHoldsTheBackfillBetweenBatchesUntilResumed() {
        ItemsBackfill step = new ItemsBackfill();
        List<Long> checkpointsWhilePaused = new ArrayList<>();
        List<Map<String, Object>> progressWhilePaused = new ArrayList<>();
        PollCounting polls = new PollCounting(board, poll -> {
            checkpointsWhilePaused.add(journal().checkpoint(ItemsBackfill.STEP).orElseThrow().rowsDone());
            if (poll > 1) { // the first read is what finds the pause; the paused state is written after it
                progressWhilePaused.addAll(progressRows());
            }
            if (poll == 5) {
                assertThat(board.clearPause()).isPresent();
            }
        });
        List<Map<String, Object>> progressAfterFirstBatch = new ArrayList<>();
        ExecutionListener pauseAfterFirstBatch = new Recording() {
            @Override
            public void backfillProgress(Step s, long rowsDone, long estimatedTotal, double rowsPerSecond) {
                if (rowsDone == 1_000) {
                    progressAfterFirstBatch.addAll(progressRows());
                    assertThat(board.setPause(Optional.of("nightly report runs"), "ops-host/42")).isFalse();
                }
            }
        };

        run(step, polls, QUICK, pauseAfterFirstBatch);

        assertThat(progressAfterFirstBatch).as("written in the first batch's transaction").singleElement()
                .satisfies(row -> assertThat(row).containsEntry("rows_done", 1_000L).containsEntry("state", "running"));
        assertThat(checkpointsWhilePaused).as("rows done at each of the 5 polls while paused").containsOnly(1_000L).hasSize(5);
        assertThat(progressWhilePaused).hasSize(4).extracting(row -> row.get("state")).containsOnly("paused");
        assertThat(progressWhilePaused.get(0).get("reason").toString())
                .startsWith("paused by ops-host/42").endsWith(": \"nightly report runs\"");
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).startsWith("paused: paused by ops-host/42");
        assertThat(events.get(1)).startsWith("continued after");
        assertThat(step.afters).as("the batch after the pause starts where the one before stopped")
                .containsExactly(Optional.empty(), Optional.of("1000"), Optional.of("2000"), Optional.of("3000"),
                        Optional.of("4000"), Optional.of("5000"));
        assertVisitedOnce();
        assertThat(progressRows()).as("the last batch removes the progress row").isEmpty();
    }

    @Test
    void aPausedBackfillRenewsItsProgressRowSoThatStatusSeesItsRunnerAlive() {
        ItemsBackfill step = new ItemsBackfill();
        List<String> reportedAt = new ArrayList<>();
        java.time.Instant giveUp = java.time.Instant.now().plusSeconds(30);
        PollCounting polls = new PollCounting(board, poll -> {
            if (poll > 1) {
                reportedAt.add(db.queryString("SELECT updated_at::text FROM accordion.backfill_progress"));
            }
            if (reportedAt.stream().distinct().count() > 1 || java.time.Instant.now().isAfter(giveUp)) {
                board.clearPause();
            }
        });
        ExecutionListener pauseAfterFirstBatch = new Recording() {
            @Override
            public void backfillProgress(Step s, long rowsDone, long estimatedTotal, double rowsPerSecond) {
                if (rowsDone == 1_000) {
                    board.setPause(Optional.of("heartbeat"), "ops-host/42");
                }
            }
        };

        run(step, polls, QUICK, pauseAfterFirstBatch);

        assertThat(reportedAt.stream().distinct().count()).as("the progress row was renewed while paused, within 30 s").isGreaterThan(1);
        assertVisitedOnce();
    }

    @Test
    void aBackfillStartedWhilePausedWaitsBeforeItsFirstBatch() {
        board.setPause(Optional.empty(), "ops-host/42");
        ItemsBackfill step = new ItemsBackfill();
        List<Integer> batchesWhilePaused = new ArrayList<>();
        PollCounting polls = new PollCounting(board, poll -> {
            batchesWhilePaused.add(step.afters.size());
            if (poll == 3) {
                board.clearPause();
            }
        });

        run(step, polls, QUICK, new Recording());

        assertThat(batchesWhilePaused).containsExactly(0, 0, 0);
        assertThat(events.get(0)).startsWith("paused: paused by ops-host/42").endsWith("no reason given");
        assertVisitedOnce();
    }

    @Test
    void aThrottleIsToldWhenItsReasonAppearsOrChangesAndTheBackfillWaitsMeanwhile() {
        ItemsBackfill step = new ItemsBackfill();
        List<Optional<String>> answers = new ArrayList<>(List.of(Optional.of("lag 6 s"), Optional.of("lag 6 s"),
                Optional.of("lag 7 s"), Optional.empty()));
        List<Integer> batchesWhenAsked = new ArrayList<>();
        Throttle scripted = new Throttle() {
            @Override
            public Optional<String> reasonToWait(Context context) {
                batchesWhenAsked.add(step.afters.size());
                assertThat(context.table()).isEqualTo(step.tableWorkedOn());
                return answers.isEmpty() ? Optional.empty() : answers.remove(0);
            }

            @Override
            public String describe() {
                return "the scripted throttle";
            }
        };

        run(step, board, QUICK.withThrottles(List.of(scripted)), new Recording());

        assertThat(events).hasSize(3);
        assertThat(events.subList(0, 2)).containsExactly("throttled: lag 6 s", "throttled: lag 7 s");
        assertThat(events.get(2)).startsWith("continued after");
        assertThat(batchesWhenAsked.subList(0, 4)).as("no batch ran while the throttle gave reasons").containsOnly(0);
        assertThat(batchesWhenAsked).as("asked before each of the 6 batches, 3 times more while it said wait").hasSize(9);
        assertVisitedOnce();
    }

    @Test
    void aThrottleThatFailsIsAReasonToWaitNotAnError() {
        ItemsBackfill step = new ItemsBackfill();
        int[] calls = {0};
        Throttle unreachable = new Throttle() {
            @Override
            public Optional<String> reasonToWait(Context context) throws SQLException {
                if (calls[0]++ < 2) {
                    throw new SQLException("Connection to standby1:5432 refused");
                }
                return Optional.empty();
            }

            @Override
            public String describe() {
                return "the lag check of replica standby1";
            }
        };

        run(step, board, QUICK.withThrottles(List.of(unreachable)), new Recording());

        assertThat(events.get(0)).isEqualTo("throttled: the lag check of replica standby1 failed (Connection to standby1:5432 "
                + "refused), so the backfill waits until it answers; fix it, or run without that option to go on without it");
        assertThat(events).hasSize(2);
        assertVisitedOnce();
    }

    @Test
    void aBackfillLetsSessionsQueuedOnItsTableGoFirst() throws Exception {
        ItemsBackfill step = new ItemsBackfill();
        try (Connection holder = db.connect(); Connection waiter = db.connect()) {
            holder.setAutoCommit(false);
            try (var statement = holder.createStatement()) {
                statement.execute("LOCK TABLE items IN ACCESS SHARE MODE");
            }
            var queued = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (var statement = waiter.createStatement()) {
                    waiter.setAutoCommit(false);
                    statement.execute("LOCK TABLE items IN ACCESS EXCLUSIVE MODE");
                    waiter.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitQueuedOnItems();
            ExecutionListener releaseWhenThrottled = new Recording() {
                @Override
                public void backfillThrottled(Step s, String reason) {
                    super.backfillThrottled(s, reason);
                    try {
                        holder.commit(); // the waiter gets its lock and commits at once
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };

            run(step, board, QUICK.withThrottles(List.of(new PostgresDialect().lockWaitersThrottle().orElseThrow())),
                    releaseWhenThrottled);
            queued.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }

        assertThat(events).hasSize(2);
        assertThat(events.get(0)).matches("throttled: 1 session waits for a lock on table \"public\".\"items\" \\(pid \\d+\\); "
                + "the backfill lets it go first");
        assertThat(events.get(1)).startsWith("continued after");
        assertVisitedOnce();
    }

    @Test
    void aStateSchemaWithoutTheBackfillTablesIsNotCurrentAndInitAddsThem() {
        db.execute("DROP TABLE accordion.backfill_pause", "DROP TABLE accordion.backfill_progress");
        assertThat(store.isCurrent()).isFalse();

        store.init();

        assertThat(store.isCurrent()).isTrue();
        assertThat(board.setPause(Optional.of("first"), "me/1")).as("a new pause").isFalse();
        assertThat(board.setPause(Optional.of("second"), "me/1")).as("pausing again replaces the reason").isTrue();
        assertThat(board.pause()).hasValueSatisfying(pause -> {
            assertThat(pause.reason()).contains("second");
            assertThat(pause.pausedBy()).as("host/pid and the connection's application name").startsWith("me/1");
        });
        assertThat(board.clearPause()).isPresent();
        assertThat(board.clearPause()).as("nothing left to resume").isEmpty();
    }

    /** Polls pg_locks on the probe connection until a session queues for a lock on items: the state the test sets up. */
    private void awaitQueuedOnItems() throws SQLException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (var statement = probe.createStatement()) {
            while (true) {
                try (var rs = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'items'::regclass")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("a session queued for a lock on items").isLessThan(giveUp);
            }
        }
    }

    private void run(ItemsBackfill step, BackfillBoard usedBoard, BackfillThrottling throttling, ExecutionListener listener) {
        new Executor(new PostgresDialect(), worker, probe, RETRIES, BackfillPolicy.DEFAULT.withFixedBatchSize(1_000), throttling,
                usedBoard, listener).run(MIGRATION, Phase.START, List.of(step), journal());
    }

    private Journal journal() {
        return store.journal(Identifier.of("public"), MIGRATION, Phase.START);
    }

    private List<Map<String, Object>> progressRows() {
        return db.queryRows("SELECT migration, step_id, rows_done, estimated_total, state, reason FROM accordion.backfill_progress");
    }

    private void assertVisitedOnce() {
        assertThat(db.queryRows("SELECT count(*) AS rows, min(visits) AS least, max(visits) AS most FROM items"))
                .containsExactly(Map.of("rows", 5_000L, "least", 1, "most", 1));
    }

    /** Records the pause and throttle events as short lines. */
    private class Recording implements ExecutionListener {
        @Override
        public void backfillPaused(Step step, String reason) {
            events.add("paused: " + reason);
        }

        @Override
        public void backfillThrottled(Step step, String reason) {
            events.add("throttled: " + reason);
        }

        @Override
        public void backfillContinued(Step step, Duration waited) {
            events.add("continued after " + waited.toMillis() + " ms");
        }
    }

    /** The real board, telling {@code onPoll} of every read of the pause that found one (1, 2, …). */
    private static final class PollCounting extends ForwardingBackfillBoard {
        private final IntConsumer onPoll;
        private int polls;

        PollCounting(BackfillBoard real, IntConsumer onPoll) {
            super(real);
            this.onPoll = onPoll;
        }

        @Override
        public Optional<BackfillPause> pause(Connection connection) throws SQLException {
            Optional<BackfillPause> pause = super.pause(connection);
            if (pause.isPresent()) {
                onPoll.accept(++polls);
            }
            return pause;
        }
    }
}
