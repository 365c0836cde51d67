package dev.accordion.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.accordion.Accordion;
import dev.accordion.AccordionException;
import dev.accordion.ClientSession;
import dev.accordion.ClientWatch;
import dev.accordion.CompleteOptions;
import dev.accordion.ErrorCode;
import dev.accordion.Hint;
import dev.accordion.PhaseResult;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.migration.MigrationReader;
import dev.accordion.postgres.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Complete contracts only when no session uses the old version (issue 12): real clients of the old version schema,
 * one in an open transaction and one that keeps querying, make it refuse with UNSAFE_TO_CONTRACT naming them, changing
 * nothing; waiting for clients goes on once they stop; forcing goes on at once.
 */
class CompleteClientGuardTest {

    private static final String OLD = "public_01_users";
    private static final String NEW = "public_02_email";

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private final List<ClientWatch> watched = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CountDownLatch watchingAgain = new CountDownLatch(1);
    private Accordion accordion;

    @BeforeEach
    void twoVersionsLive() {
        accordion = Accordion.configure().connections(db::connect).clientWatch(Duration.ofMillis(300))
                .listener(new ExecutionListener() {
                    @Override
                    public void clientsWatched(String migration, ClientWatch watch, boolean again) {
                        watched.add(watch);
                        if (again) {
                            watchingAgain.countDown();
                        }
                    }
                }).load();
        accordion.start(MigrationReader.parseYaml("01_users", """
                operations:
                  - create_table:
                      name: users
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: name, type: text}
                """), true);
        db.execute("INSERT INTO public.users (name) VALUES ('ada')");
        accordion.start(MigrationReader.parseYaml("02_email", """
                operations:
                  - add_column: {table: users, column: {name: email, type: text, nullable: true}}
                """), false);
    }

    @Test
    void aClientInAnOpenTransactionOnTheOldVersionStopsCompleteNamingIt() throws Exception {
        try (Connection v1 = db.connectToVersion(OLD, "shop-v1"); Statement statement = v1.createStatement()) {
            v1.setAutoCommit(false);
            statement.executeQuery("SELECT count(*) FROM users").close();
            int pid = TestDatabase.backendPid(v1);

            AccordionException refused = catchThrowableOfType(AccordionException.class, () -> accordion.complete());

            assertThat(refused.code()).isEqualTo(ErrorCode.UNSAFE_TO_CONTRACT);
            assertThat(refused.code().exitCode()).isEqualTo(10);
            assertThat(refused.hint()).contains(Hint.WAIT_FOR_CLIENTS);
            assertThat(refused.getMessage()).contains("complete of migration \"02_email\" changed nothing: 1 session used the old "
                    + "version schema \"" + OLD + "\"", "pid " + pid + " (user ", "application \"shop-v1\"", "by a lock on a view",
                    "Move them onto version schema \"" + NEW + "\"");
            assertBothVersionsStillLive();
            assertThat(accordion.status().clientWatches()).singleElement().satisfies(watch -> {
                assertThat(watch.versionSchema()).isEqualTo(OLD);
                assertThat(watch.sessions()).extracting(ClientSession::pid).containsExactly(pid);
            });
            v1.rollback();
        }
        PhaseResult completed = accordion.complete();
        assertThat(completed.droppedVersionSchema()).contains(OLD);
        assertThat(watched).last().satisfies(watch -> assertThat(watch.sawNone()).isTrue());
    }

    @Test
    void aClientThatKeepsQueryingIsSeenByItsApplicationNameAndCompleteGoesOnOnceItStops() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        try (Connection v1 = db.connectToVersion(OLD, "shop@" + OLD)) {
            int pid = TestDatabase.backendPid(v1);
            CompletableFuture<Long> client = CompletableFuture.supplyAsync(() -> keepQuerying(v1, running));

            AccordionException refused = catchThrowableOfType(AccordionException.class, () -> accordion.complete());
            assertThat(refused.code()).isEqualTo(ErrorCode.UNSAFE_TO_CONTRACT);
            assertThat(refused.getMessage()).contains("pid " + pid, "application \"shop@" + OLD + "\"");
            assertBothVersionsStillLive();

            CompletableFuture<PhaseResult> waiting = CompletableFuture.supplyAsync(
                    () -> accordion.complete(CompleteOptions.SAFE.waitingForClients(Duration.ofSeconds(60))));
            assertThat(watchingAgain.await(30, TimeUnit.SECONDS)).as("complete saw the client and watched again").isTrue();
            running.set(false);
            assertThat(client.get(30, TimeUnit.SECONDS)).as("statements the client ran, none failed").isPositive();
            v1.close();

            PhaseResult completed = waiting.get(60, TimeUnit.SECONDS);
            assertThat(completed.droppedVersionSchema()).contains(OLD);
            assertThat(watched).last().satisfies(watch -> assertThat(watch.sawNone()).isTrue());
            assertThat(watched.subList(0, watched.size() - 1)).allSatisfy(watch ->
                    assertThat(watch.sessions()).extracting(ClientSession::pid).containsExactly(pid));
        }
    }

    @Test
    void forcingCompletesAtOnceWithoutWatching() throws Exception {
        try (Connection v1 = db.connectToVersion(OLD, "shop@" + OLD)) {
            PhaseResult completed = accordion.complete(true);

            assertThat(completed.droppedVersionSchema()).contains(OLD);
            assertThat(watched).as("no watch").isEmpty();
            assertThat(db.queryStrings("SELECT nspname FROM pg_namespace WHERE nspname = '" + OLD + "'")).isEmpty();
        }
    }

    @Test
    void clientsListsTheSessionsOfEachLiveVersion() throws Exception {
        try (Connection v1 = db.connectToVersion(OLD, "shop@" + OLD); Connection v2 = db.connectToVersion(NEW, "shop@" + NEW)) {
            List<ClientWatch> watches = accordion.clients(Duration.ZERO);

            assertThat(watches).extracting(ClientWatch::versionSchema).containsExactly(OLD, NEW);
            assertThat(watches.get(0).sessions()).extracting(ClientSession::pid, ClientSession::applicationName, ClientSession::heldLock)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(TestDatabase.backendPid(v1), "shop@" + OLD, false));
            assertThat(watches.get(1).sessions()).extracting(ClientSession::pid).containsExactly(TestDatabase.backendPid(v2));
            assertThat(watches).allSatisfy(watch -> assertThat(watch.looks()).isEqualTo(1));
        }
    }

    private void assertBothVersionsStillLive() {
        assertThat(db.queryStrings("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'public\\_0%' ORDER BY 1"))
                .containsExactly(OLD, NEW);
        assertThat(accordion.status().active()).hasValueSatisfying(record -> assertThat(record.status().name()).isEqualTo("ACTIVE"));
        assertThat(db.queryString("SELECT count(*) FROM " + OLD + ".users")).isEqualTo("1");
    }



    /** Reads and writes through the old version until told to stop; every statement must succeed. */
    private static long keepQuerying(Connection connection, AtomicBoolean running) {
        long statements = 0;
        try (Statement statement = connection.createStatement()) {
            while (running.get()) {
                statement.executeQuery("SELECT count(*) FROM users").close();
                statement.executeUpdate("UPDATE users SET name = name WHERE id = 1");
                statements += 2;
            }
        } catch (Exception e) {
            throw new AssertionError("a statement of the old version's client failed", e);
        }
        return statements;
    }
}
