package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.TableLifecycleSupport.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.Accordion;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.Step;
import dev.accordion.postgres.testing.TestDatabase;
import dev.accordion.spi.BlockingSession;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed's second scenario: the address columns of users move into a new table addresses (1:1, keyed by user_id)
 * while the old version keeps writing them in users and the new version writes addresses. A user has an addresses
 * row exactly when at least one of its address columns is not null, except a row the new version itself writes with
 * only nulls, which stays (the new version wrote it and may read it back).
 */
class SplitTableLifecycleTest {

    static final String SPLIT_ADDRESSES = """
            operations:
              - split_table:
                  table: users
                  into: addresses
                  key: user_id
                  columns:
                    address_street: street
                    address_city: city
                    address_postal_code: postal_code
            """;

    /** 3,000 users: every third has no address, the others a full one or only a city. */
    private static final int USERS = 3000;
    private static final String ADDRESS_OF_ID = """
            address_street = CASE {id} % 3 WHEN 1 THEN {id} || ' Main St' END,
            address_city = CASE {id} % 3 WHEN 0 THEN NULL WHEN 1 THEN 'City ' || {id} % 7 ELSE 'Partial city' END,
            address_postal_code = CASE {id} % 3 WHEN 1 THEN lpad({id}::text, 5, '0') END""";

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void usersWithAddressColumns() {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_users", """
                operations:
                  - create_table:
                      name: users
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: name, type: text}
                        - {name: address_street, type: text, nullable: true}
                        - {name: address_city, type: text, nullable: true, comment: where the user lives}
                        - {name: address_postal_code, type: varchar(10), nullable: true}
                """);
        db.execute("INSERT INTO public.users (id, name) SELECT n, 'user ' || n FROM generate_series(1, " + USERS + ") n",
                "UPDATE public.users SET " + ADDRESS_OF_ID.replace("{id}", "id"));
    }

    @Test
    void bothVersionsWriteTheirShapeAndSeeTheOthersWrites() throws Exception {
        lifecycle.run("02_split_addresses", SPLIT_ADDRESSES,
                (v1, v2) -> {
                    assertThat(v1.columns("users")).containsExactly("id", "name", "address_street", "address_city", "address_postal_code");
                    assertThat(v1.columns("addresses")).isEmpty();
                    assertThat(v2.columns("users")).containsExactly("id", "name");
                    assertThat(v2.columns("addresses")).containsExactly("user_id", "street", "city", "postal_code");
                    assertBackfilled(v2);
                    oldVersionWritesReachAddresses(v1, v2);
                    newVersionWritesReachUsers(v1, v2);
                    deletesReachTheOtherSide(v1, v2);
                    restoreTheScene(v1);
                    assertInSync();
                    assertBackfilled(v2);
                },
                (v1, v2) -> {
                    assertThat(v1.columns("users")).containsExactly("id", "name", "address_street", "address_city", "address_postal_code");
                    assertThat(db.queryString("SELECT to_regclass('public.addresses')::text")).isNull();
                    assertThat(v1.rows("SELECT count(*) AS n FROM users WHERE address_city IS NOT NULL"))
                            .containsExactly(Map.of("n", 2000L));
                    assertThat(v1.rows("SELECT address_street, address_city, address_postal_code FROM users WHERE id IN (1, 2, 3) ORDER BY id"))
                            .containsExactly(row("address_street", "1 Main St", "address_city", "City 1", "address_postal_code", "00001"),
                                    row("address_street", null, "address_city", "Partial city", "address_postal_code", null),
                                    row("address_street", null, "address_city", null, "address_postal_code", null));
                },
                (v1, v2) -> {
                    assertThat(ColumnOpsSupport.tableColumns(db, "users")).containsExactly("id", "name");
                    assertThat(columnFacts("addresses")).containsExactly("user_id integer not null", "street text null",
                            "city text null comment=where the user lives", "postal_code character varying(10) null");
                    assertThat(TableLifecycleSupport.constraints(db, "addresses")).containsExactly(
                            "addresses_pkey p PRIMARY KEY (user_id)",
                            "addresses_user_id_fkey f FOREIGN KEY (user_id) REFERENCES users(id) ON UPDATE CASCADE ON DELETE CASCADE");
                    assertBackfilled(v2);
                    v2.execute("INSERT INTO users (id, name) VALUES (9001, 'after complete')");
                    v2.execute("INSERT INTO addresses (user_id, city) VALUES (9001, 'Tromsø')");
                    assertThat(db.queryRows("SELECT user_id, city FROM public.addresses WHERE user_id = 9001"))
                            .containsExactly(Map.of("user_id", 9001, "city", "Tromsø"));
                    v2.execute("DELETE FROM users WHERE id = 9001");
                    assertThat(v2.rows("SELECT count(*) AS n FROM addresses")).containsExactly(Map.of("n", 2000L));
                });
    }

    @Test
    void backfillInBatchesLeavesRowsClientsWroteMeanwhileAsTheyWroteThem() throws Exception {
        VersionClient v1 = lifecycle.version("01_users");
        List<Long> progress = new ArrayList<>();
        ExecutionListener writeAfterFirstBatch = new ExecutionListener() {
            @Override
            public void backfillProgress(Step step, long rowsDone, long estimatedTotal, double rowsPerSecond) {
                progress.add(rowsDone);
                if (progress.size() == 1) {
                    try { // rows the backfill has not reached yet, written by the old version while it runs
                        v1.execute("UPDATE users SET address_street = NULL, address_city = NULL WHERE id = 2000");
                        v1.execute("UPDATE users SET address_city = 'Changed' WHERE id = 1999");
                        v1.execute("UPDATE users SET address_street = 'New St' WHERE id = 2001");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
        Accordion accordion = Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).backfillBatchSize(500).listener(writeAfterFirstBatch).load();

        accordion.start(MigrationReader.parseYaml("02_split_addresses", SPLIT_ADDRESSES), false);

        assertThat(progress).containsExactly(500L, 1000L, 1500L, 2000L, 2500L, 3000L, 3000L);
        VersionClient v2 = lifecycle.version("02_split_addresses");
        assertThat(v2.rows("SELECT user_id, street, city, postal_code FROM addresses WHERE user_id BETWEEN 1999 AND 2001 ORDER BY 1"))
                .containsExactly(row("user_id", 1999, "street", "1999 Main St", "city", "Changed", "postal_code", "01999"),
                        row("user_id", 2001, "street", "New St", "city", null, "postal_code", null));
        assertThat(v2.rows("SELECT count(*) AS n FROM addresses")).containsExactly(Map.of("n", 2000L));
        assertInSync();
        accordion.rollback();
        lifecycle.assertOnlyVersionSchema("public_01_users");
    }

    /**
     * Complete locks one table per transaction: a client of the new version in a transaction that has read users does
     * not hold up the step on addresses. (Both in one transaction deadlocked with clients that read users and then
     * addresses until the lock timeout, every attempt, while every client of addresses queued behind it.)
     */
    @Test
    void completeTakesTheSplitTableWhileAClientHoldsTheSource() throws Exception {
        List<String> finished = new CopyOnWriteArrayList<>();
        AtomicInteger retries = new AtomicInteger();
        Accordion accordion = Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).lockTimeout(Duration.ofMillis(500))
                .lockRetryDeadline(Duration.ofSeconds(60)).listener(new ExecutionListener() {
                    @Override
                    public void stepFinished(Step step, Duration took) {
                        finished.add(step.summary() + " after " + retries.get() + " lock retries");
                    }

                    @Override
                    public void lockRetry(Step step, int attempt, Duration pause, List<BlockingSession> blockers) {
                        retries.incrementAndGet();
                    }
                }).load();
        accordion.start(MigrationReader.parseYaml("02_split_addresses", SPLIT_ADDRESSES), false);
        finished.clear();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try (Connection client = db.connect(); Statement statement = client.createStatement()) {
            client.setAutoCommit(false);
            statement.execute("SET search_path TO public_02_split_addresses");
            statement.execute("SELECT count(*) FROM users");

            Future<?> complete = runner.submit(() -> accordion.complete());
            Instant giveUp = Instant.now().plusSeconds(30);
            while (finished.size() < 2) {
                assertThat(Instant.now()).as("complete's first two steps").isBefore(giveUp);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            assertThat(finished).containsExactly(
                    "drop version schema \"public_01_users\" and its views after 0 lock retries",
                    "stop copying writes of \"public\".\"addresses\" back to \"public\".\"users\" after 0 lock retries");
            client.commit();
            complete.get(60, TimeUnit.SECONDS);
        } finally {
            runner.shutdownNow();
        }
        assertThat(db.queryStrings("SELECT column_name FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND table_name = 'users' ORDER BY ordinal_position")).containsExactly("id", "name");
    }

    /** The backfill copied every user with an address, and no other. */
    private void assertBackfilled(VersionClient v2) throws Exception {
        assertThat(v2.rows("SELECT count(*) AS n FROM addresses")).containsExactly(Map.of("n", 2000L));
        assertThat(v2.rows("SELECT user_id, street, city, postal_code FROM addresses WHERE user_id <= 5 ORDER BY user_id"))
                .containsExactly(row("user_id", 1, "street", "1 Main St", "city", "City 1", "postal_code", "00001"),
                        row("user_id", 2, "street", null, "city", "Partial city", "postal_code", null),
                        row("user_id", 4, "street", "4 Main St", "city", "City 4", "postal_code", "00004"),
                        row("user_id", 5, "street", null, "city", "Partial city", "postal_code", null));
    }

    private void oldVersionWritesReachAddresses(VersionClient v1, VersionClient v2) throws Exception {
        v1.execute("INSERT INTO users (id, name, address_street, address_city, address_postal_code) "
                + "VALUES (9001, 'Ann', '1 Elm St', 'Oslo', '0150')");
        v1.execute("INSERT INTO users (id, name) VALUES (9002, 'no address')");
        v1.execute("UPDATE users SET address_city = 'Bergen' WHERE id = 1");
        v1.execute("UPDATE users SET address_street = '2 Side St' WHERE id = 2");
        v1.execute("UPDATE users SET address_postal_code = '0003' WHERE id = 3");
        v1.execute("UPDATE users SET name = 'renamed only' WHERE id = 6");
        assertThat(v2.rows("SELECT user_id, street, city, postal_code FROM addresses WHERE user_id IN (1, 2, 3, 6, 9001, 9002) ORDER BY 1"))
                .containsExactly(row("user_id", 1, "street", "1 Main St", "city", "Bergen", "postal_code", "00001"),
                        row("user_id", 2, "street", "2 Side St", "city", "Partial city", "postal_code", null),
                        row("user_id", 3, "street", null, "city", null, "postal_code", "0003"),
                        row("user_id", 9001, "street", "1 Elm St", "city", "Oslo", "postal_code", "0150"));

        // Every address column set to NULL: the user has no address any more, so its row goes.
        v1.execute("UPDATE users SET address_street = NULL, address_city = NULL, address_postal_code = NULL WHERE id = 4");
        assertThat(v2.rows("SELECT count(*) AS n FROM addresses WHERE user_id = 4")).containsExactly(Map.of("n", 0L));
        // A change of a user's key takes its address along.
        v1.execute("UPDATE users SET id = 9101 WHERE id = 9001");
        assertThat(v2.rows("SELECT user_id, city FROM addresses WHERE user_id > 9000")).containsExactly(row("user_id", 9101, "city", "Oslo"));
        assertInSync();
    }

    private void newVersionWritesReachUsers(VersionClient v1, VersionClient v2) throws Exception {
        v2.execute("INSERT INTO users (id, name) VALUES (9003, 'Bob')");
        v2.execute("INSERT INTO addresses (user_id, street, city) VALUES (9003, '2 Oak St', 'Bergen')");
        v2.execute("INSERT INTO addresses (user_id, street, city, postal_code) VALUES (9003, '3 Pine St', 'Voss', '5700') "
                + "ON CONFLICT (user_id) DO UPDATE SET street = EXCLUDED.street, postal_code = EXCLUDED.postal_code");
        v2.execute("INSERT INTO addresses (user_id, street) VALUES (6, '6 New St') "
                + "ON CONFLICT (user_id) DO UPDATE SET street = EXCLUDED.street");
        v2.execute("UPDATE addresses SET postal_code = '00005' WHERE user_id = 5");
        // A row the new version writes with only nulls stays: it wrote it and may read it back.
        v2.execute("INSERT INTO addresses (user_id) VALUES (9002)");
        assertThat(v1.rows("SELECT id, address_street, address_city, address_postal_code FROM users WHERE id IN (5, 6, 9002, 9003) ORDER BY id"))
                .containsExactly(row("id", 5, "address_street", null, "address_city", "Partial city", "address_postal_code", "00005"),
                        row("id", 6, "address_street", "6 New St", "address_city", null, "address_postal_code", null),
                        row("id", 9002, "address_street", null, "address_city", null, "address_postal_code", null),
                        row("id", 9003, "address_street", "3 Pine St", "address_city", "Bergen", "address_postal_code", "5700"));
        assertThat(v2.rows("SELECT user_id, street, city, postal_code FROM addresses WHERE user_id = 9002"))
                .containsExactly(row("user_id", 9002, "street", null, "city", null, "postal_code", null));
        assertThat(v1.rows("SELECT name FROM users WHERE id = 9003")).containsExactly(Map.of("name", "Bob"));
    }

    private void deletesReachTheOtherSide(VersionClient v1, VersionClient v2) throws Exception {
        v2.execute("DELETE FROM addresses WHERE user_id = 7");
        assertThat(v1.rows("SELECT address_street, address_city, address_postal_code FROM users WHERE id = 7"))
                .containsExactly(row("address_street", null, "address_city", null, "address_postal_code", null));
        v1.execute("DELETE FROM users WHERE id = 9101");
        v2.execute("DELETE FROM users WHERE id = 9003");
        assertThat(v2.rows("SELECT user_id FROM addresses WHERE user_id > 9000")).containsExactly(Map.of("user_id", 9002));
        assertThat(v1.rows("SELECT id FROM users WHERE id > 9000")).containsExactly(Map.of("id", 9002));
        v2.execute("DELETE FROM addresses WHERE user_id = 9002");
        assertInSync();
    }

    /** Undoes the checks' writes through the old version (whose writes the triggers carry over), for the next round. */
    private static void restoreTheScene(VersionClient v1) throws Exception {
        v1.execute("DELETE FROM users WHERE id > " + USERS);
        v1.execute("UPDATE users SET name = 'user ' || id, " + ADDRESS_OF_ID.replace("{id}", "id") + " WHERE id <= 10");
    }

    /** Every user with a non-null address column has an addresses row with the same values, and no other row exists. */
    private void assertInSync() {
        assertThat(db.queryString("""
                SELECT count(*) FROM public.users u FULL JOIN public.addresses a ON a.user_id = u.id
                WHERE u.id IS NULL
                   OR (a.user_id IS NULL AND num_nonnulls(u.address_street, u.address_city, u.address_postal_code) > 0)
                   OR (a.user_id IS NOT NULL AND (a.street, a.city, a.postal_code)
                       IS DISTINCT FROM (u.address_street, u.address_city, u.address_postal_code))"""))
                .as("users and addresses out of sync").isEqualTo("0");
    }

    private List<String> columnFacts(String table) {
        return db.queryStrings("SELECT attname || ' ' || format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' not null' "
                + "ELSE ' null' END || coalesce(' comment=' || col_description(attrelid, attnum), '') FROM pg_attribute "
                + "WHERE attrelid = 'public." + table + "'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
    }
}
