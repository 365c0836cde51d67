package dev.accordion.postgres.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accordion.execute.Throttle;
import dev.accordion.postgres.testing.TestDatabase;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlExpr;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PostgreSQL throttles, each asked directly as the executor asks them between batches: lock waiters with a real
 * queue on a table, the probe query against a knob table, and replication lag from the numbers (there is no standby
 * here) plus its query on a primary without replicas.
 */
class ThrottleTest {

    private static final QualifiedName ITEMS = new QualifiedName(Identifier.of("public"), Identifier.of("items"));

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @Test
    void sessionsQueuedForALockOnTheTableAreAReasonToWait() throws Exception {
        db.execute("CREATE TABLE items (id bigint PRIMARY KEY)", "CREATE TABLE other (id bigint PRIMARY KEY)");
        try (Connection probe = db.connect(); Connection holder = db.connect(); Connection waiter = db.connect()) {
            Throttle.Context context = new Throttle.Context(probe, -1, Optional.of(ITEMS));
            LockWaitersThrottle throttle = new LockWaitersThrottle();
            assertThat(throttle.reasonToWait(context)).as("nobody waits").isEmpty();

            holder.setAutoCommit(false);
            execute(holder, "LOCK TABLE items IN ACCESS SHARE MODE");
            int waiterPid = pid(waiter);
            CompletableFuture<Void> queued = CompletableFuture.runAsync(() -> {
                try {
                    waiter.setAutoCommit(false);
                    execute(waiter, "LOCK TABLE items IN ACCESS EXCLUSIVE MODE");
                    waiter.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitWaiting(probe, waiterPid);

            assertThat(throttle.reasonToWait(context)).contains("1 session waits for a lock on table \"public\".\"items\" (pid "
                    + waiterPid + "); the backfill lets it go first");
            assertThat(throttle.reasonToWait(new Throttle.Context(probe, -1,
                    Optional.of(new QualifiedName(Identifier.of("public"), Identifier.of("other"))))))
                    .as("a queue on another table").isEmpty();
            assertThat(throttle.reasonToWait(new Throttle.Context(probe, waiterPid, Optional.of(ITEMS))))
                    .as("the backfill's own session does not count").isEmpty();

            holder.commit();
            queued.get(30, TimeUnit.SECONDS);
            assertThat(throttle.reasonToWait(context)).as("the queue is gone").isEmpty();
        }
    }

    @Test
    void manyWaitersAreCountedAndTheFirstFiveNamed() {
        assertThat(LockWaitersThrottle.describe(ITEMS, List.of(1, 2, 3, 4, 5, 6, 7)))
                .isEqualTo("7 sessions wait for a lock on table \"public\".\"items\" (pid 1, 2, 3, 4, 5, …); the backfill lets them go first");
    }

    @Test
    void aStepWithoutATableIsNeverHeldForLockWaiters() throws Exception {
        try (Connection probe = db.connect()) {
            assertThat(new LockWaitersThrottle().reasonToWait(new Throttle.Context(probe, -1, Optional.empty()))).isEmpty();
        }
    }

    @Test
    void aProbeSlowerThanItsLimitIsAReasonToWait() throws Exception {
        db.execute("CREATE TABLE knob (slow boolean NOT NULL)", "INSERT INTO knob VALUES (true)");
        ProbeQueryThrottle throttle = new ProbeQueryThrottle(
                new SqlExpr("SELECT pg_sleep(CASE WHEN slow THEN 0.5 ELSE 0 END) FROM knob"), Duration.ofMillis(250));
        try (Connection probe = db.connect()) {
            Throttle.Context context = new Throttle.Context(probe, -1, Optional.empty());

            assertThat(throttle.reasonToWait(context)).hasValueSatisfying(reason ->
                    assertThat(reason).matches("the probe query took \\d+ ms, above the limit of 250 ms"));
            db.execute("UPDATE knob SET slow = false");
            assertThat(throttle.reasonToWait(context)).isEmpty();
        }
    }

    @Test
    void aProbeThatFailsThrowsSoTheExecutorWaitsSayingWhy() throws Exception {
        ProbeQueryThrottle throttle = new ProbeQueryThrottle(new SqlExpr("SELECT * FROM no_such_table"), Duration.ofMillis(100));
        try (Connection probe = db.connect()) {
            assertThatThrownBy(() -> throttle.reasonToWait(new Throttle.Context(probe, -1, Optional.empty())))
                    .isInstanceOf(SQLException.class).hasMessageContaining("no_such_table");
        }
    }

    @Test
    void theProbeDecisionComparesWithTheLimit() {
        assertThat(ProbeQueryThrottle.decide(Duration.ofMillis(100), Duration.ofMillis(100))).isEmpty();
        assertThat(ProbeQueryThrottle.decide(Duration.ofMillis(212), Duration.ofMillis(100)))
                .contains("the probe query took 212 ms, above the limit of 100 ms");
    }

    @Test
    void replicationLagAboveEitherLimitIsAReasonToWait() {
        ReplicationLagThrottle.Standby standby1 = new ReplicationLagThrottle.Standby("standby1",
                Optional.of(Duration.ofMillis(12_300)), OptionalLong.of(4_000_000));
        ReplicationLagThrottle.Standby caughtUp = new ReplicationLagThrottle.Standby("standby2", Optional.empty(), OptionalLong.of(0));
        List<ReplicationLagThrottle.Standby> both = List.of(caughtUp, standby1);

        assertThat(ReplicationLagThrottle.decide(both, Optional.of(Duration.ofSeconds(5)), OptionalLong.empty()))
                .contains("replication lag 12.3 s on replica \"standby1\" is above 5 s");
        assertThat(ReplicationLagThrottle.decide(both, Optional.of(Duration.ofSeconds(30)), OptionalLong.empty()))
                .as("within the time limit").isEmpty();
        assertThat(ReplicationLagThrottle.decide(both, Optional.empty(), OptionalLong.of(1_000_000)))
                .contains("replica \"standby1\" is 4,000,000 bytes of WAL behind, above the limit of 1,000,000 bytes");
        assertThat(ReplicationLagThrottle.decide(both, Optional.of(Duration.ofSeconds(30)), OptionalLong.of(8_000_000))).isEmpty();
        assertThat(ReplicationLagThrottle.decide(List.of(), Optional.of(Duration.ofMillis(1)), OptionalLong.of(1)))
                .as("no standby").isEmpty();
    }

    @Test
    void aPrimaryWithoutStandbysHasNoLag() throws Exception {
        try (Connection probe = db.connect()) {
            Throttle.Context context = new Throttle.Context(probe, -1, Optional.empty());
            assertThat(ReplicationLagThrottle.standbys(context)).isEmpty();
            assertThat(new ReplicationLagThrottle(Optional.of(Duration.ofSeconds(1)), OptionalLong.of(1)).reasonToWait(context)).isEmpty();
        }
    }

    @Test
    void aReplicaUrlThatIsNoStandbyIsAReasonToWaitAndAnUnreachableOneThrows() throws Exception {
        try (Connection probe = db.connect();
             ReplicaLagThrottle primary = new ReplicaLagThrottle(db.jdbcUrl(), "\"primary\"", Duration.ofSeconds(5));
             ReplicaLagThrottle nowhere = new ReplicaLagThrottle("jdbc:postgresql://127.0.0.1:9/postgres?connectTimeout=5",
                     "\"127.0.0.1:9\"", Duration.ofSeconds(5))) {
            Throttle.Context context = new Throttle.Context(probe, -1, Optional.empty());

            assertThat(primary.reasonToWait(context)).contains("replica \"primary\" is not a standby (pg_is_in_recovery() is false), "
                    + "so its lag cannot be measured; give the URL of a standby instead");
            assertThatThrownBy(() -> nowhere.reasonToWait(context)).isInstanceOf(SQLException.class);
            assertThat(nowhere.describe()).isEqualTo("the lag check of replica \"127.0.0.1:9\"");
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static int pid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Polls pg_locks until {@code pid} waits for a lock: the state the test sets up, not a timing guess. */
    private static void awaitWaiting(Connection probe, int pid) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Statement statement = probe.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid = " + pid)) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("session " + pid + " never queued for the lock");
            }
            Thread.onSpinWait();
        }
    }
}
