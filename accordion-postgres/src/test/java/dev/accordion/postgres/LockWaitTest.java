package dev.accordion.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.accordion.Accordion;
import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.Hint;
import dev.accordion.PhaseResult;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.Step;
import dev.accordion.postgres.lifecycle.Lifecycle;
import dev.accordion.postgres.testing.TestDatabase;
import dev.accordion.spi.BlockingSession;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A long transaction on a table while a migration needs an ACCESS EXCLUSIVE lock on it. PostgreSQL queues every
 * later reader behind a waiting ALTER, so a DDL statement that waited for as long as the transaction lasts would
 * stall all traffic on the table; Accordion's steps wait at most the lock timeout, step back and try again.
 */
class LockWaitTest {

    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(1);
    /** A reader allowed to wait this long fails only if a DDL statement held the lock queue for longer than its own timeout. */
    private static final Duration READER_PATIENCE = LOCK_TIMEOUT.multipliedBy(4);
    private static final String ADD_COLUMN = """
            operations:
              - add_column:
                  table: users
                  column: {name: nickname, type: text, nullable: true}
            """;

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private final ExecutorService runner = Executors.newSingleThreadExecutor();
    private final List<List<BlockingSession>> retries = new CopyOnWriteArrayList<>();
    private final List<List<BlockingSession>> waits = new CopyOnWriteArrayList<>();
    private final List<String> finished = new CopyOnWriteArrayList<>();
    private Connection longTransaction;
    private int longTransactionPid;

    @BeforeEach
    void aTableWithALongTransactionOnIt() throws SQLException {
        new Lifecycle(db).given("01_users", """
                operations:
                  - create_table:
                      name: users
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: name, type: text}
                """);
        db.execute("INSERT INTO public.users (name) SELECT 'user ' || n FROM generate_series(1, 100) n");

        Properties properties = new Properties();
        properties.setProperty("ApplicationName", "nightly-report");
        longTransaction = DriverManager.getConnection(db.jdbcUrl(), properties);
        longTransaction.setAutoCommit(false);
        longTransactionPid = intValue(longTransaction, "SELECT pg_backend_pid()");
        assertThat(intValue(longTransaction, "SELECT count(*) FROM public.users")).isEqualTo(100);
    }

    @AfterEach
    void endEverything() throws SQLException {
        runner.shutdownNow();
        longTransaction.close();
    }

    @Test
    void readersAreServedWhileTheStepRetriesUntilTheLongTransactionEnds() throws Exception {
        Future<PhaseResult> start = runner.submit(() -> accordion(Duration.ofSeconds(60))
                .start(MigrationReader.parseYaml("02_nickname", ADD_COLUMN), false));

        int reads = 0;
        try (Connection reader = db.connect(); Statement statement = reader.createStatement()) {
            statement.execute("SET lock_timeout = " + READER_PATIENCE.toMillis());
            statement.execute("SET search_path TO public_01_users");
            // Keep reading through several of the step's attempts; each read that arrives while the ALTER waits in
            // the lock queue waits behind it, and must be let through when that attempt gives up.
            while (retries.size() < 3) {
                assertThat(start).as("the start must still be waiting for its lock").isNotDone();
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM users")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(100);
                }
                reads++;
            }
        }
        longTransaction.commit();

        PhaseResult result = start.get(60, TimeUnit.SECONDS);
        assertThat(result.versionSchema()).contains("public_02_nickname");
        assertThat(reads).as("reads served while the migration waited").isGreaterThan(0);
        assertThat(retries).as("every retry names the session it waited for").allSatisfy(blockers ->
                assertThat(blockers).extracting(BlockingSession::pid, BlockingSession::applicationName)
                        .contains(tuple(longTransactionPid, "nightly-report")));
        assertThat(db.queryStrings("SELECT column_name FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND table_name = 'users' ORDER BY ordinal_position"))
                .containsExactly("id", "name", "nickname");
    }

    @Test
    void afterTheDeadlineTheErrorNamesTheBlockingSessionAndRollbackCleansUp() throws Exception {
        Accordion accordion = accordion(Duration.ofMillis(1500));
        Migration migration = MigrationReader.parseYaml("02_nickname", ADD_COLUMN);

        assertThatThrownBy(() -> accordion.start(migration, false))
                .isInstanceOfSatisfying(AccordionException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
                    assertThat(e.getMessage())
                            .contains("02_nickname", "\"public\".\"users\"", "ACCESS EXCLUSIVE")
                            .contains("pid " + longTransactionPid + " (application \"nightly-report\")")
                            .contains("idle in transaction", "transaction open for")
                            .contains("run the same command again");
                    assertThat(e.hint()).contains(Hint.LOCK_RETRY_DEADLINE);
                });
        assertThat(retries).isNotEmpty();
        assertThat(db.queryStrings("SELECT column_name FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND table_name = 'users' ORDER BY ordinal_position"))
                .as("the step that timed out changed nothing").containsExactly("id", "name");

        longTransaction.commit();
        accordion.rollback();
        new Lifecycle(db).assertOnlyVersionSchema("public_01_users");
        assertThat(accordion.status().active()).isEmpty();
    }

    /**
     * CREATE INDEX CONCURRENTLY waits for every older transaction in the database, however unrelated; its lock lets
     * all reads and writes through, so it waits the transaction out instead of timing out, failing the build and
     * rebuilding (issue 4), and says meanwhile whom it waits for.
     */
    @Test
    void aConcurrentIndexBuildWaitsOutALongTransactionAndSaysForWhom() throws Exception {
        Future<PhaseResult> start = runner.submit(() -> accordion(Duration.ofSeconds(60)).start(MigrationReader.parseYaml(
                "02_name_index", """
                        operations:
                          - create_index: {name: users_name_idx, table: users, columns: [name]}
                        """), false));

        Instant giveUp = Instant.now().plusSeconds(30);
        while (waits.size() < 2) { // the first report comes after one lock timeout, the next after two more
            assertThat(Instant.now()).as("reports of the build's wait").isBefore(giveUp);
            assertThat(start).as("the build must still be waiting").isNotDone();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        try (Connection writer = db.connect(); Statement statement = writer.createStatement()) {
            statement.execute("SET lock_timeout = " + LOCK_TIMEOUT.toMillis());
            statement.execute("INSERT INTO public_01_users.users (name) VALUES ('written while the build waits')");
        }
        longTransaction.commit();

        assertThat(start.get(60, TimeUnit.SECONDS).versionSchema()).contains("public_02_name_index");
        assertThat(retries).as("lock timeouts and retries").isEmpty();
        assertThat(waits).allSatisfy(blockers -> assertThat(blockers).extracting(BlockingSession::pid, BlockingSession::applicationName)
                .contains(tuple(longTransactionPid, "nightly-report")));
        assertThat(db.queryString("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'public.users_name_idx'::regclass"))
                .isEqualTo("true");
    }

    /**
     * Dropping a version schema takes its views and none of the tables behind them: a client's open transaction on a
     * table does not hold it up. (LOCK TABLE on a view also locks the view's tables, in ACCESS EXCLUSIVE, which
     * deadlocked with split_table's clients, whose triggers write both tables.)
     */
    @Test
    void droppingAVersionSchemaDoesNotWaitForTransactionsOnItsTables() throws Exception {
        longTransaction.commit();
        Accordion accordion = accordion(Duration.ofSeconds(60), new ExecutionListener() {
            @Override
            public void stepFinished(Step step, Duration took) {
                finished.add(step.summary() + " after " + retries.size() + " lock retries");
            }
        });
        accordion.start(MigrationReader.parseYaml("02_nickname", ADD_COLUMN), false);
        finished.clear();
        assertThat(intValue(longTransaction, "SELECT count(*) FROM public.users")).as("a client's transaction on the table")
                .isEqualTo(100);

        Future<PhaseResult> rollback = runner.submit(accordion::rollback);
        Instant giveUp = Instant.now().plusSeconds(30);
        while (finished.isEmpty()) {
            assertThat(Instant.now()).as("the rollback's first step").isBefore(giveUp);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        assertThat(finished.get(0)).isEqualTo("drop version schema \"public_02_nickname\" and its views after 0 lock retries");
        longTransaction.commit();

        rollback.get(60, TimeUnit.SECONDS);
        new Lifecycle(db).assertOnlyVersionSchema("public_01_users");
    }

    private Accordion accordion(Duration deadline) {
        return accordion(deadline, ExecutionListener.NONE);
    }

    private Accordion accordion(Duration deadline, ExecutionListener also) {
        return Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).lockTimeout(LOCK_TIMEOUT).lockRetryDeadline(deadline)
                .listener(ExecutionListener.all(also, new ExecutionListener() {
                    @Override
                    public void lockRetry(Step step, int attempt, Duration pause, List<BlockingSession> blockers) {
                        retries.add(blockers);
                    }

                    @Override
                    public void stillWaiting(Step step, Duration waited, List<BlockingSession> blockers) {
                        waits.add(blockers);
                    }
                }))
                .load();
    }

    private static int intValue(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
