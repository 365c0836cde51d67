package dev.accordion.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accordion.Accordion;
import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.execute.ExecutionListener;
import dev.accordion.migration.MigrationReader;
import dev.accordion.plan.Step;
import dev.accordion.postgres.PostgresUrls;
import dev.accordion.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runners on one schema: while the first holds the runner lock (held inside its first step by a latch), the
 * second waits for its bounded time and fails with CONCURRENT_RUNNER, naming the first runner's session as
 * pg_stat_activity shows it: server pid, client address, application name and start time. Then the first finishes.
 */
class TwoRunnersTest {

    private static final String USERS = """
            operations:
              - create_table:
                  name: users
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: name, type: text}
            """;

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void theSecondRunnerWaitsThenFailsNamingTheFirst() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Accordion first = Accordion.configure().clientWatch(java.time.Duration.ZERO)
                .connections(() -> DriverManager.getConnection(PostgresUrls.withParameter(db.jdbcUrl(), "ApplicationName", "first-runner")))
                .listener(new ExecutionListener() {
                    @Override
                    public void stepStarted(Step step, int number, int of) {
                        holding.countDown();
                        awaitLatch(release);
                    }
                }).load();
        CompletableFuture<?> firstRun = CompletableFuture.runAsync(() -> first.start(MigrationReader.parseYaml("01_users", USERS), false));
        try {
            assertThat(holding.await(60, TimeUnit.SECONDS)).as("the first runner reached its first step").isTrue();
            Map<String, Object> holder = db.queryRows("""
                    SELECT a.pid, coalesce(host(a.client_addr), 'local socket') AS host, a.backend_start
                    FROM pg_stat_activity a WHERE a.application_name = 'first-runner'
                    AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory' AND l.granted)""").get(0);
            String pid = "server pid " + holder.get("pid");
            String startedAt = ((Timestamp) holder.get("backend_start")).toInstant().toString();

            Accordion second = Accordion.configure().clientWatch(java.time.Duration.ZERO).connections(db::connect).runnerWait(Duration.ofMillis(300)).load();
            assertThatThrownBy(() -> second.complete()).isInstanceOfSatisfying(AccordionException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.CONCURRENT_RUNNER);
                assertThat(e.getMessage()).contains("schema \"public\"", pid, "from " + holder.get("host"),
                        "application \"first-runner\"", "started at " + startedAt, "Waited 300 ms", "a longer runner wait")
                        .doesNotContain("--");
                assertThat(e.hint()).contains(dev.accordion.Hint.RUNNER_WAIT);
            });

            Path file = Files.writeString(dir.resolve("01_users.yaml"), USERS);
            CliRun cli = CliRun.run("--url", db.jdbcUrl(), "--wait", "1", "start", file.toString());
            assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(8);
            assertThat(cli.err()).contains(pid, "application \"first-runner\"", "started at " + startedAt, "Waited 1 s",
                    "hint: \"--wait <seconds>\" waits longer");
        } finally {
            release.countDown();
        }
        firstRun.get(60, TimeUnit.SECONDS);
        assertThat(CliRun.run("--url", db.jdbcUrl(), "complete").exitCode()).as("the lock is free once the first is done").isZero();
    }

    @Test
    void waitMustNotBeNegative() {
        CliRun cli = CliRun.run("--url", db.jdbcUrl(), "--wait", "-1", "status");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("--wait must be zero or more seconds, not -1");
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the first runner");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
