package dev.accordion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accordion.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract guard on the command line: {@code accordion clients}, complete's exit 10 and its options, what status says
 * of the last watch, and the scans of the indexes a migration drops in plan and validate.
 */
class ClientsCommandTest {

    private static final String OLD = "public_01_users";
    private static final String NEW = "public_02_email";

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    @BeforeEach
    void twoVersionsLive() throws Exception {
        file("01_users", "operations:\n  - create_table: {name: users, columns: [{name: id, type: serial, pk: true}]}\n");
        file("02_email", "operations:\n  - add_column: {table: users, column: {name: email, type: text, nullable: true}}\n");
        ok("migrate", dir.toString());
    }

    @Test
    void completeRefusesWithExitTenNamingTheOldVersionsClientAndStatusShowsIt() throws Exception {
        try (Connection v1 = db.connectToVersion(OLD, "shop-v1")) {
            v1.setAutoCommit(false);
            try (Statement statement = v1.createStatement()) {
                statement.executeQuery("SELECT * FROM users").close();
            }
            int pid = TestDatabase.backendPid(v1);

            CliRun refused = cli("complete", "--client-watch", "200ms");

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(10);
            assertThat(refused.err()).contains("watched \"" + OLD + "\" for ", "1 session uses it",
                    "error: complete of migration \"02_email\" changed nothing: 1 session used the old version schema \"" + OLD + "\"",
                    "pid " + pid + " (user ", "application \"shop-v1\"",
                    "hint: \"accordion complete --wait-for-clients <duration>\" waits until a whole watch sees none");
            CliRun status = cli("status");
            assertThat(status.out()).contains("clients:               " + OLD + ": 1 session in a ")
                    .contains(": pid " + pid + " \"shop-v1\" (");
            JsonNode error = json("--output", "json", "complete", "--client-watch", "0").get("error");
            assertThat(error.get("code").asText()).isEqualTo("UNSAFE_TO_CONTRACT");
            assertThat(error.get("exit_code").asInt()).isEqualTo(10);
            v1.rollback();
        }
        CliRun completed = cli("complete", "--client-watch", "0");
        assertThat(completed.exitCode()).as(completed.toString()).isZero();
        assertThat(completed.err()).contains("no session used it");
    }

    @Test
    void forceCompletesWhileAClientIsThereAndSaysSo() throws Exception {
        try (Connection v1 = db.connectToVersion(OLD, "shop@" + OLD)) {
            CliRun forced = cli("complete", "--force");

            assertThat(forced.exitCode()).as(forced.toString()).isZero();
            assertThat(forced.err()).contains("Completing without its checks, as asked", "no one watches for clients of the old "
                    + "version schema \"" + OLD + "\"").doesNotContain("watched \"");
            assertThat(forced.out()).contains("the old version's schema \"" + OLD + "\" is gone");
            try (Statement statement = v1.createStatement()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM users"))
                        .as("as it said: the old version's client fails once its schema is gone").hasMessageContaining("does not exist");
            }
        }
    }

    @Test
    void clientsListsEachLiveVersionInTextAndJson() throws Exception {
        try (Connection v1 = db.connectToVersion(OLD, "shop@" + OLD); Connection v2 = db.connectToVersion(NEW, "shop@" + NEW)) {
            CliRun text = cli("clients", "--watch", "0");

            assertThat(text.exitCode()).as(text.toString()).isZero();
            assertThat(text.out()).contains("watched \"" + OLD + "\" for ", "(1 look): 1 session uses it",
                    "  - pid " + TestDatabase.backendPid(v1) + " (user ", "application \"shop@" + OLD + "\"", ", connected since ", "by its application name",
                    "watched \"" + NEW + "\"", "  - pid " + TestDatabase.backendPid(v2), "note: a session shows only while it holds a lock");

            JsonNode versions = json("--output", "json", "clients", "--watch", "0").get("versions");
            assertThat(versions.findValuesAsText("version_schema")).containsExactly(OLD, NEW);
            JsonNode seen = versions.get(0).get("sessions").get(0);
            assertThat(seen.get("pid").asInt()).isEqualTo(TestDatabase.backendPid(v1));
            assertThat(seen.get("application_name").asText()).isEqualTo("shop@" + OLD);
            assertThat(seen.get("named_version").asBoolean()).isTrue();
            assertThat(seen.get("held_lock").asBoolean()).isFalse();
        }
        CliRun badWatch = cli("clients", "--watch", "soon");
        assertThat(badWatch.exitCode()).isEqualTo(2);
        assertThat(badWatch.err()).contains("--watch takes a duration such as 500ms");
    }

    @Test
    void planAndValidateShowTheScansOfEachIndexCompleteDrops() throws Exception {
        ok("complete", "--client-watch", "0");
        file("03_index", "operations:\n  - create_index: {table: users, name: users_email, columns: [email]}\n");
        ok("migrate", dir.toString(), "--complete", "--client-watch", "0");
        Path drop = dir.resolve("04_drop_index.yaml");
        Files.writeString(drop, "operations:\n  - drop_index: {name: users_email}\n");

        CliRun plan = cli("plan", drop.toString());
        CliRun validate = cli("validate", drop.toString());

        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("complete drops index \"users_email\": scanned 0 times since the server's statistics were reset");
        assertThat(validate.out()).contains("valid: migration 04_drop_index", "complete drops index \"users_email\": scanned 0 times");
        JsonNode dropped = json("--output", "json", "plan", drop.toString()).get("dropped_indexes").get(0);
        assertThat(dropped.get("index").asText()).isEqualTo("users_email");
        assertThat(dropped.get("scans").asLong()).isZero();
    }

    @Test
    void latestUrlNamesTheApplicationAfterItsVersion() throws Exception {
        CliRun url = cli("latest", "url", "--application-name", "shop");

        assertThat(url.exitCode()).as(url.toString()).isZero();
        assertThat(url.out().strip()).contains("currentSchema=" + NEW, "ApplicationName=shop%40" + NEW);
    }

    @Test
    void migrateWatchesOnlyTheVersionThatWasLiveWhenItBegan() throws Exception {
        file("03_phone", "operations:\n  - add_column: {table: users, column: {name: phone, type: text, nullable: true}}\n");
        file("04_city", "operations:\n  - add_column: {table: users, column: {name: city, type: text, nullable: true}}\n");

        CliRun migrated = cli("migrate", dir.toString(), "--client-watch", "0");

        assertThat(migrated.exitCode()).as(migrated.toString()).isZero();
        assertThat(migrated.err()).as("02_email's old version, live before, is watched; 03_phone's was made by this run")
                .contains("watched \"" + OLD + "\"").doesNotContain("watched \"" + NEW + "\"");
    }



    private void file(String name, String yaml) throws Exception {
        Files.writeString(dir.resolve(name + ".yaml"), yaml);
    }

    private JsonNode json(String... args) throws Exception {
        return new ObjectMapper().readTree(cli(args).out());
    }

    private void ok(String... args) throws Exception {
        CliRun run = cli(args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    private CliRun cli(String... args) throws Exception {
        return CliRun.against(db.jdbcUrl(), args);
    }
}
