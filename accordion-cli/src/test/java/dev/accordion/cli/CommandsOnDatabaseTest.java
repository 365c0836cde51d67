package dev.accordion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accordion.postgres.PostgresUrls;
import dev.accordion.postgres.testing.TestDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every command against a real PostgreSQL: what it prints, what it changes, and how it refuses. */
class CommandsOnDatabaseTest {

    /** Migration files name their version schemas, so that tests know them without asking the dialect. */
    private static final String CREATE_USERS = """
            version_schema: app_v1
            operations:
              - create_table:
                  name: users
                  columns:
                    - name: id
                      type: serial
                      pk: true
                    - name: name
                      type: text
            """;

    private static final String ADD_EMAIL = """
            version_schema: app_v2
            operations:
              - add_column:
                  table: users
                  column:
                    name: email
                    type: text
                    nullable: true
            """;

    private static final String RENAME_NAME = """
            version_schema: app_v2
            operations:
              - rename_column:
                  table: users
                  from: name
                  to: full_name
            """;

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void initCreatesTheStateSchemaAndCanRunAgain() throws Exception {
        CliRun first = cli("init");
        CliRun again = cli("init");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).isEqualTo("initialized: Accordion keeps its history in schema \"accordion\"\n");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(db.queryString("SELECT count(*) FROM pg_namespace WHERE nspname = 'accordion'")).isEqualTo("1");
    }

    @Test
    void initUsesTheGivenStateSchema() throws Exception {
        CliRun run = cli("init", "--state-schema", "deploy_state");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(db.queryString("SELECT count(*) FROM pg_namespace WHERE nspname = 'deploy_state'")).isEqualTo("1");
    }

    @Test
    void statusOfAFreshDatabaseSaysToInitialize() throws Exception {
        CliRun run = cli("status");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("not been initialized", "accordion init");
    }

    @Test
    void startCreatesTheNewVersionSchemaAndReportsProgress() throws Exception {
        CliRun run = cli("start", file("01_create_users", CREATE_USERS));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("started 01_create_users: clients of the new version use search_path \"app_v1\"");
        assertThat(run.err()).contains("start 01_create_users: ", "[1/", "done in");
        assertThat(db.queryString("SELECT count(*) FROM pg_namespace WHERE nspname = 'app_v1'")).isEqualTo("1");
        assertThat(db.queryString("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'app_v1' AND table_name = 'users'"))
                .isEqualTo("1");
    }

    @Test
    void statusShowsTheActiveMigrationAndTheHistory() throws Exception {
        cliOk("start", file("01_create_users", CREATE_USERS));

        CliRun text = cli("status");
        CliRun asJson = cli("status", "--output", "json");

        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("latest version schema: app_v1", "active migration:      01_create_users (active)",
                "next step:", "accordion complete", "history:", "01_create_users");
        assertThat(asJson.exitCode()).as(asJson.toString()).isZero();
        JsonNode status = json.readTree(asJson.out());
        assertThat(status.get("latest_version_schema").asText()).isEqualTo("app_v1");
        assertThat(status.get("active_migration").get("name").asText()).isEqualTo("01_create_users");
        assertThat(status.get("active_migration").get("status").asText()).isEqualTo("active");
        assertThat(status.get("active_migration").get("interrupted").asBoolean()).isFalse();
        assertThat(status.get("history").get(0).get("started_at").asText()).isNotBlank();
    }

    @Test
    void completeFinishesTheActiveMigration() throws Exception {
        cliOk("start", file("01_create_users", CREATE_USERS));

        CliRun run = cli("complete");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("completed 01_create_users: clients use search_path \"app_v1\"");
        assertThat(cli("status").out()).contains("active migration:      none").containsPattern("01_create_users +complete");
    }

    @Test
    void rollbackUndoesTheActiveMigration() throws Exception {
        cliOk("start", file("01_create_users", CREATE_USERS));

        CliRun run = cli("rollback");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("rolled back 01_create_users");
        assertThat(db.queryString("SELECT count(*) FROM information_schema.tables WHERE table_name = 'users'")).isEqualTo("0");
        assertThat(db.queryString("SELECT count(*) FROM pg_namespace WHERE nspname = 'app_v1'")).isEqualTo("0");
    }

    @Test
    void startWithCompleteRunsBothPhases() throws Exception {
        CliRun run = cli("start", file("01_create_users", CREATE_USERS), "--complete");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("completed 01_create_users");
        assertThat(run.err()).contains("start 01_create_users", "complete 01_create_users");
        assertThat(cli("status").out()).contains("active migration:      none");
    }

    @Test
    void secondStartNamesTheActiveMigration() throws Exception {
        cliOk("start", file("01_create_users", CREATE_USERS));

        CliRun run = cli("start", file("02_add_email", ADD_EMAIL));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.err()).startsWith("error: migration \"01_create_users\" is in progress on schema \"public\" (active)")
                .contains("accordion complete", "accordion rollback").doesNotContain("\tat ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void completeWithNothingActiveIsAStateConflict() throws Exception {
        cliOk("init");

        CliRun run = cli("complete");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.err()).startsWith("error: there is no active migration").contains("accordion status");
    }

    @Test
    void rollbackWithNothingActiveIsAStateConflict() throws Exception {
        cliOk("init");

        CliRun run = cli("rollback");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.err()).startsWith("error: there is no active migration");
    }

    @Test
    void schemaWithTablesButNoHistoryNeedsABaseline() throws Exception {
        db.execute("CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL)");

        CliRun run = cli("start", file("02_rename", RENAME_NAME));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.err()).contains("no Accordion history", "accordion baseline <name>");
        assertThat(db.queryString("SELECT count(*) FROM pg_namespace WHERE nspname = 'app_v2'")).isEqualTo("0");
    }

    @Test
    void baselineAdoptsTheSchemaSoThatMigrationsCanStart() throws Exception {
        db.execute("CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO users (name) VALUES ('Ada')");

        CliRun baseline = cli("baseline", "00_baseline");
        CliRun start = cli("start", file("02_rename", RENAME_NAME));

        assertThat(baseline.exitCode()).as(baseline.toString()).isZero();
        assertThat(baseline.out()).startsWith("baselined 00_baseline: clients of the existing schema can use search_path");
        assertThat(start.exitCode()).as(start.toString()).isZero();
        assertThat(cli("status").out()).containsPattern("00_baseline +complete .*\\(baseline\\)");
    }

    @Test
    void secondBaselineIsAStateConflict() throws Exception {
        db.execute("CREATE TABLE users (id serial PRIMARY KEY)");
        cliOk("baseline", "00_baseline");

        CliRun run = cli("baseline", "00_again");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.err()).contains("already has a migration history");
    }

    @Test
    void latestPrintsTheVersionSchemaAndAUrlForIt() throws Exception {
        cliOk("start", file("01_create_users", CREATE_USERS));

        CliRun schema = cli("latest", "schema");
        CliRun url = cli("latest", "url");
        CliRun schemaJson = cli("latest", "schema", "--output", "json");
        CliRun urlJson = cli("--output", "json", "latest", "url");

        assertThat(schema.out()).isEqualTo("app_v1\n");
        String expectedUrl = PostgresUrls.withParameter(db.jdbcUrl(), "currentSchema", "app_v1");
        assertThat(url.out()).isEqualTo(expectedUrl + "\n");
        assertThat(url.out()).doesNotContain("ApplicationName=accordion");
        assertThat(json.readTree(schemaJson.out()).get("schema").asText()).isEqualTo("app_v1");
        assertThat(json.readTree(urlJson.out()).get("url").asText()).isEqualTo(expectedUrl);
    }

    @Test
    void latestUrlReplacesACurrentSchemaAlreadyThere() throws Exception {
        cliOk("start", file("01_create_users", CREATE_USERS));
        String given = PostgresUrls.withParameter(db.jdbcUrl(), "currentSchema", "elsewhere");

        CliRun run = CliRun.run("latest", "url", "--url", given);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("currentSchema=app_v1").doesNotContain("elsewhere");
    }

    @Test
    void latestUrlQuotesAVersionSchemaThatNeedsItSoThatClientsLandThere() throws Exception {
        cliOk("start", file("01_create_users", CREATE_USERS.replace("version_schema: app_v1", "version_schema: \"App V1\"")));

        CliRun run = cli("latest", "url");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String url = run.out().strip();
        assertThat(url).contains("currentSchema=" + URLEncoder.encode("\"App V1\"", StandardCharsets.UTF_8));
        try (var connection = java.sql.DriverManager.getConnection(url);
             var result = connection.createStatement().executeQuery("SELECT current_schema()")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo("App V1");
        }
    }

    @Test
    void latestUrlLeavesThePasswordOutUnlessAskedAndSaysSo() throws Exception {
        cliOk("start", file("01_create_users", CREATE_USERS));
        String withPassword = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "password=s3cret";

        CliRun left = CliRun.run("latest", "url", "--url", withPassword);
        CliRun kept = CliRun.run("latest", "url", "--url", withPassword, "--with-password");

        assertThat(left.exitCode()).as(left.toString()).isZero();
        assertThat(left.out()).doesNotContain("s3cret").doesNotContain("password").contains("currentSchema=app_v1");
        assertThat(left.err()).contains("password", "left out", "--with-password");
        assertThat(kept.exitCode()).as(kept.toString()).isZero();
        assertThat(kept.out()).contains("password=s3cret", "currentSchema=app_v1");
        assertThat(kept.err()).doesNotContain("left out");
    }

    private static final List<String> PHASE_FIELDS = List.of("migration", "phase", "version_schema", "dropped_version_schema", "steps_run", "took_ms",
            "message");

    @Test
    void everyCommandPrintsOneJsonDocumentOnSuccess() throws Exception {
        String create = file("01_create_users", CREATE_USERS);
        String addEmail = file("02_add_email", ADD_EMAIL);

        assertThat(fields(jsonOk("init"))).containsExactly("state_schema");
        JsonNode valid = jsonOk("validate", create);
        assertThat(fields(valid)).containsExactly("migration", "schema", "valid", "dropped_indexes");
        assertThat(valid.get("valid").asBoolean()).isTrue();
        assertThat(fields(jsonOk("plan", create))).containsExactly("migration", "old_version_schema", "new_version_schema", "phases",
                "dropped_indexes");
        JsonNode started = jsonOk("start", create);
        assertThat(fields(started)).isEqualTo(PHASE_FIELDS);
        assertThat(started.get("phase").asText()).isEqualTo("start");
        assertThat(started.get("version_schema").asText()).isEqualTo("app_v1");
        assertThat(started.get("message").asText()).startsWith("started 01_create_users: ");
        assertThat(jsonOk("latest", "schema").get("schema").asText()).isEqualTo("app_v1");
        JsonNode url = jsonOk("latest", "url");
        assertThat(fields(url)).containsExactly("url", "password_left_out");
        assertThat(url.get("url").asText()).endsWith("currentSchema=app_v1");
        assertThat(jsonOk("status").get("active_migration").get("name").asText()).isEqualTo("01_create_users");
        JsonNode completed = jsonOk("complete");
        assertThat(completed.get("phase").asText()).isEqualTo("complete");
        assertThat(completed.get("dropped_version_schema").isNull()).as("the first migration has no old version").isTrue();

        assertThat(jsonOk("start", addEmail).get("version_schema").asText()).isEqualTo("app_v2");
        JsonNode paused = jsonOk("backfill", "pause", "--reason", "report");
        assertThat(fields(paused)).containsExactly("migration", "schema", "was_paused", "reason", "start_under_way");
        assertThat(paused.get("reason").asText()).isEqualTo("report");
        JsonNode resumed = jsonOk("backfill", "resume");
        assertThat(fields(resumed)).containsExactly("schema", "resumed", "pause");
        assertThat(resumed.get("pause").get("reason").asText()).isEqualTo("report");
        JsonNode rolledBack = jsonOk("rollback");
        assertThat(fields(rolledBack)).isEqualTo(PHASE_FIELDS);
        assertThat(rolledBack.get("phase").asText()).isEqualTo("rollback");
        assertThat(rolledBack.get("version_schema").asText()).isEqualTo("app_v1");
        assertThat(rolledBack.get("dropped_version_schema").asText()).isEqualTo("app_v2");

        JsonNode migrated = jsonOk("migrate", dir.toString(), "--complete");
        assertThat(fields(migrated)).containsExactly("phases", "nothing_to_do");
        assertThat(migrated.get("phases").findValuesAsText("migration")).containsExactly("02_add_email");
        assertThat(migrated.get("phases").findValuesAsText("phase")).as("started and completed").containsExactly("complete");
        assertThat(migrated.get("nothing_to_do").isNull()).isTrue();
        assertThat(jsonOk("migrate", dir.toString()).get("nothing_to_do").asText()).startsWith("nothing to migrate");

        db.execute("CREATE SCHEMA legacy", "CREATE TABLE legacy.t (id int PRIMARY KEY)");
        JsonNode baselined = jsonOk("--schema", "legacy", "baseline", "00_baseline");
        assertThat(fields(baselined)).isEqualTo(PHASE_FIELDS);
        assertThat(baselined.get("phase").asText()).isEqualTo("baseline");
    }

    @Test
    void aFailureWithOutputJsonIsOneErrorDocumentOnStdoutAndItsExitCode() throws Exception {
        CliRun run = cli("complete", "--output", "json");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        JsonNode error = json.readTree(run.out()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("STATE_CONFLICT");
        assertThat(error.get("exit_code").asInt()).isEqualTo(4);
        assertThat(error.get("message").asText()).isEqualTo(run.err().lines().findFirst().orElseThrow().substring("error: ".length()));
    }

    /** Runs a command with --output json; it must succeed and print exactly one JSON document. */
    private JsonNode jsonOk(String... args) throws Exception {
        String[] withJson = Arrays.copyOf(args, args.length + 2);
        withJson[args.length] = "--output";
        withJson[args.length + 1] = "json";
        CliRun run = cli(withJson);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        try (var parser = json.createParser(run.out())) {
            JsonNode document = json.readTree(parser);
            assertThat(parser.nextToken()).as("one document: " + run.out()).isNull();
            return document;
        }
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void latestBeforeAnyVersionIsAStateConflict() throws Exception {
        CliRun run = cli("latest", "schema");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.err()).contains("no version yet", "accordion start", "accordion baseline");
    }

    @Test
    void planPrintsEveryPhaseWithoutChangingAnything() throws Exception {
        String file = file("01_create_users", CREATE_USERS);

        CliRun text = cli("plan", file);
        CliRun asJson = cli("plan", file, "--output", "json");

        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).startsWith("migration 01_create_users: version schema app_v1")
                .contains("\nstart:\n", "\ncomplete:\n", "\nrollback:\n", "id: ", "locks: ");
        JsonNode plan = json.readTree(asJson.out());
        assertThat(plan.get("migration").asText()).isEqualTo("01_create_users");
        assertThat(plan.get("phases").findValuesAsText("phase")).containsExactly("start", "complete", "rollback");
        assertThat(plan.get("phases").get(0).get("steps").get(0).get("sql")).isNotEmpty();
        assertThat(db.queryString("SELECT count(*) FROM information_schema.tables WHERE table_name = 'users'")).isEqualTo("0");
        assertThat(db.queryString("SELECT count(*) FROM pg_namespace WHERE nspname = 'app_v1'")).isEqualTo("0");
    }

    @Test
    void planOfAMigrationThatDoesNotFitIsInvalid() throws Exception {
        CliRun run = cli("plan", file("02_rename", RENAME_NAME));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("\"users\"");
    }

    @Test
    void validateAcceptsAMigrationThatFits() throws Exception {
        CliRun run = cli("validate", file("01_create_users", CREATE_USERS));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("valid: migration 01_create_users");
    }

    @Test
    void validateListsEveryProblem() throws Exception {
        String file = file("02_broken", """
                operations:
                  - rename_column:
                      table: users
                      from: name
                      to: full_name
                  - drop_column:
                      table: orders
                      column: total
                """);

        CliRun run = cli("validate", file);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).startsWith("error: migration \"02_broken\" is invalid").contains("\"users\"", "\"orders\"");
        assertThat(run.err().lines().filter(line -> line.startsWith("  - ")).count()).isGreaterThanOrEqualTo(2);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void migrateStartsAndCompletesAllButTheLast() throws Exception {
        file("01_create_users", CREATE_USERS);
        file("02_add_email", ADD_EMAIL);

        CliRun run = cli("migrate", dir.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines()).hasSize(2);
        assertThat(run.out().lines().toList().get(0)).startsWith("completed 01_create_users");
        assertThat(run.out().lines().toList().get(1)).startsWith("started 02_add_email");
    }

    @Test
    void migrateWithCompleteCompletesTheLastTooAndThenHasNothingToDo() throws Exception {
        file("01_create_users", CREATE_USERS);
        file("02_add_email", ADD_EMAIL);

        CliRun run = cli("migrate", dir.toString(), "--complete");
        CliRun again = cli("migrate", dir.toString(), "--complete");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("completed 01_create_users", "completed 02_add_email");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).startsWith("nothing to migrate");
    }

    @Test
    void otherSchemaIsMigratedWhenGiven() throws Exception {
        db.execute("CREATE SCHEMA shop");

        CliRun run = cli("--schema", "shop", "start", file("01_create_users", CREATE_USERS.replace("app_v1", "shop_v1")));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(db.queryString("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'shop' AND table_name = 'users'"))
                .isEqualTo("1");
    }

    @Test
    void postgresUrlsWorkLikeJdbcUrls() throws Exception {
        String jdbc = db.jdbcUrl();
        String user = PostgresUrls.parameter(jdbc, "user").orElse("postgres");
        String hostPortDatabase = jdbc.substring("jdbc:postgresql://".length(), jdbc.contains("?") ? jdbc.indexOf('?') : jdbc.length());
        String password = PostgresUrls.parameter(jdbc, "password")
                .map(p -> ":" + URLEncoder.encode(p, StandardCharsets.UTF_8).replace("+", "%20")).orElse("");

        CliRun run = CliRun.run("init", "--url", "postgres://" + user + password + "@" + hostPortDatabase);

        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    /** Writes a migration file into the test's directory and answers its path. */
    private String file(String name, String yaml) throws Exception {
        return Files.writeString(dir.resolve(name + ".yaml"), yaml).toString();
    }

    private CliRun cli(String... args) throws Exception {
        return CliRun.against(db.jdbcUrl(), args);
    }

    private void cliOk(String... args) throws Exception {
        CliRun run = cli(args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }
}
