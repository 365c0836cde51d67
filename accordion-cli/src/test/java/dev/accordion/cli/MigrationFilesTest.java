package dev.accordion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accordion.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team's directory of migration files over the life of a deploy pipeline: migrate run again and again, files edited
 * after they were applied (drift), a file added with a name that sorts too early, and validate or plan of a file that
 * already ran.
 */
class MigrationFilesTest {

    private static final String CREATE_USERS = """
            operations:
              - create_table:
                  name: users
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: name, type: text}
            """;

    private static final String ADD_EMAIL = """
            operations:
              - add_column:
                  table: users
                  column: {name: email, type: text, nullable: true}
            """;

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void migrateRunAgainWhileTheLastMigrationIsActiveSaysSoAndSucceeds() throws Exception {
        file("01_create_users", CREATE_USERS);
        file("02_add_email", ADD_EMAIL);
        ok("migrate", dir.toString());

        CliRun again = cli("migrate", dir.toString());

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).startsWith("nothing to migrate: 02_add_email, the last migration in " + dir
                + ", is started and active; next: \"accordion complete\" once no client uses version schema public_01_create_users");
        assertThat(statuses()).containsExactly("01_create_users complete", "02_add_email active");

        CliRun completing = cli("migrate", dir.toString(), "--complete");

        assertThat(completing.exitCode()).as(completing.toString()).isZero();
        assertThat(completing.out()).startsWith("completed 02_add_email");
        assertThat(statuses()).containsExactly("01_create_users complete", "02_add_email complete");
    }

    @Test
    void migrateRefusesAnAppliedFileEditedSinceNamingTheChangeUnlessTold() throws Exception {
        file("01_create_users", CREATE_USERS);
        ok("migrate", dir.toString(), "--complete");
        file("01_create_users", CREATE_USERS.replace("{name: name, type: text}", "{name: name, type: varchar(100)}"));
        file("02_add_email", ADD_EMAIL);

        CliRun refused = cli("migrate", dir.toString());

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(4);
        assertThat(refused.err()).startsWith("error: the file of 1 applied migration was edited after it was applied (drift):\n"
                + "  01_create_users: checksum ").contains("operation 1 (create_table): columns #2.type: \"text\" recorded, \"varchar(100)\" in the file",
                "Nothing was migrated.");
        assertThat(statuses()).containsExactly("01_create_users complete");

        CliRun told = cli("migrate", dir.toString(), "--ignore-drift");

        assertThat(told.exitCode()).as(told.toString()).isZero();
        assertThat(told.err()).contains("warning: 01_create_users was edited after it was applied (drift)");
        assertThat(told.out()).startsWith("started 02_add_email");
        assertThat(db.queryString("SELECT data_type FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND table_name = 'users' AND column_name = 'name'")).as("applied as it was").isEqualTo("text");
    }

    @Test
    void statusWithTheDirectoryShowsChecksumsDriftAndPendingFiles() throws Exception {
        file("01_create_users", CREATE_USERS);
        ok("migrate", dir.toString(), "--complete");
        file("01_create_users", "# a comment is no change\n" + CREATE_USERS);
        file("02_add_email", ADD_EMAIL);

        CliRun unchanged = cli("status", dir.toString());

        assertThat(unchanged.exitCode()).as(unchanged.toString()).isZero();
        assertThat(unchanged.out()).containsPattern("01_create_users +complete .* checksum [0-9a-f]{12}\n")
                .contains("files:                 1 pending in " + dir + ": 02_add_email").doesNotContain("drift");

        file("01_create_users", CREATE_USERS.replace("serial", "bigserial"));
        CliRun drifted = cli("status", dir.toString(), "--output", "json");

        assertThat(drifted.exitCode()).as(drifted.toString()).isZero();
        JsonNode files = new ObjectMapper().readTree(drifted.out()).get("files");
        assertThat(files.get("drift").get(0).get("migration").asText()).isEqualTo("01_create_users");
        assertThat(files.get("drift").get(0).get("differences").get(0).asText()).isEqualTo("operation 1 (create_table): columns #1.type: \"serial\" recorded, \"bigserial\" in the file");
        assertThat(files.get("drift").get(0).get("recorded_checksum").asText())
                .isEqualTo(new ObjectMapper().readTree(drifted.out()).get("history").get(0).get("checksum").asText()).hasSize(64);
        assertThat(files.get("pending").get(0).asText()).isEqualTo("02_add_email");
    }

    @Test
    void aFileThatSortsBeforeTheLatestAppliedMigrationIsRefusedNamingBoth() throws Exception {
        file("01_create_users", CREATE_USERS);
        file("03_add_email", ADD_EMAIL);
        ok("migrate", dir.toString(), "--complete");
        String early = file("02_add_phone", ADD_EMAIL.replace("email", "phone"));

        CliRun migrate = cli("migrate", dir.toString());
        CliRun start = cli("start", early);

        for (CliRun run : new CliRun[] {migrate, start}) {
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
            assertThat(run.err()).startsWith("error: migration \"02_add_phone\" sorts before \"03_add_email\", the latest "
                    + "migration applied to schema \"public\"").contains("Nothing was changed", "Rename its file");
        }
        assertThat(statuses()).containsExactly("01_create_users complete", "03_add_email complete");
    }

    @Test
    void validateAndPlanOfAMigrationThatAlreadyRanSaySo() throws Exception {
        file("01_create_users", CREATE_USERS);
        String email = file("02_add_email", ADD_EMAIL);
        ok("migrate", dir.toString());

        CliRun validate = cli("validate", email);
        CliRun plan = cli("plan", dir.resolve("01_create_users.yaml").toString());

        assertThat(validate.exitCode()).as(validate.toString()).isEqualTo(4);
        assertThat(validate.err()).startsWith("error: migration \"02_add_email\" is already started on schema \"public\" (active), "
                + "so there is nothing to validate").contains("The file is the same as the copy recorded").doesNotContain("does not exist");
        assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(4);
        assertThat(plan.err()).startsWith("error: migration \"01_create_users\" is already applied to schema \"public\" (complete since ");
    }

    @Test
    void migrateThatStopsAtABadFileSaysWhatItAppliedBeforeAndGoesOnWhenFixed() throws Exception {
        file("01_create_users", CREATE_USERS);
        file("02_add_email", ADD_EMAIL);
        String age = file("03_add_age", "operations:\n  - add_column: {table: users, column: {name: age, type: integr, nullable: true}}\n");

        CliRun stopped = cli("migrate", dir.toString(), "--complete");

        assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(3);
        assertThat(stopped.err()).contains("error: migrate applied \"01_create_users\" (complete), \"02_add_email\" (complete) "
                        + "before it stopped at migration \"03_add_age\"; those stay applied")
                .contains("type \"integr\" does not exist", "nothing of this migration was changed")
                .doesNotContain("nothing was changed");
        assertThat(statuses()).containsExactly("01_create_users complete", "02_add_email complete");
        com.fasterxml.jackson.databind.JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(cli("--output", "json", "start", age).out()).get("error");
        assertThat(error.get("problems").get(0).asText()).contains("type \"integr\" does not exist");

        Files.writeString(Path.of(age), "operations:\n  - add_column: {table: users, column: {name: age, type: integer, nullable: true}}\n");
        CliRun fixed = cli("migrate", dir.toString(), "--complete");

        assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
        assertThat(fixed.out()).startsWith("completed 03_add_age");
        assertThat(statuses()).containsExactly("01_create_users complete", "02_add_email complete", "03_add_age complete");
    }

    @Test
    void startThenCompleteThatFailsAtCompleteSaysTheMigrationWasStarted() throws Exception {
        file("01_create_users", CREATE_USERS);
        file("02_add_email", ADD_EMAIL);
        ok("migrate", dir.toString(), "--complete");
        String dropEmail = file("03_drop_email", "operations:\n  - drop_column: {table: users, column: email}\n");
        CliRun failed;
        try (java.sql.Connection reader = db.connect(); java.sql.Statement statement = reader.createStatement()) {
            reader.setAutoCommit(false);
            // a long read: start's views do not mind it, complete's DROP COLUMN cannot get past it
            statement.execute("LOCK TABLE public.users IN ACCESS SHARE MODE");
            failed = cli("start", dropEmail, "--complete", "--lock-timeout", "50", "--lock-retry-deadline", "1");
            reader.rollback();
        }

        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(6);
        assertThat(failed.err()).contains("error: migration \"03_drop_email\" was started (version schema \"public_03_drop_email\" "
                + "serves the new version), but completing it failed part-way: the old version may be gone already")
                .contains("Complete of migration \"03_drop_email\" could not take the locks", "run the same command again");
        assertThat(statuses()).containsExactly("01_create_users complete", "02_add_email complete", "03_drop_email completing");
        ok("start", dropEmail, "--complete");
        assertThat(statuses()).containsExactly("01_create_users complete", "02_add_email complete", "03_drop_email complete");
    }

    @Test
    void statusOfAnInterruptedStartNamesTheFileItWasStartedFrom() throws Exception {
        file("01_create_users", CREATE_USERS);
        ok("migrate", dir.toString(), "--complete");
        String email = file("02_add_email", ADD_EMAIL);
        try (java.sql.Connection holder = db.connect(); java.sql.Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("LOCK TABLE users IN ACCESS SHARE MODE");
            CliRun failed = cli("start", email, "--lock-timeout", "50", "--lock-retry-deadline", "1");
            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(6);
            holder.rollback();
        }

        CliRun status = cli("status");

        assertThat(status.out()).contains("to finish it:          accordion start " + email + "\n")
                .contains("next step:             \"accordion start " + email + "\" to finish starting it")
                .contains("latest version schema: public_01_create_users; public_02_add_email comes when the start of 02_add_email finishes");
    }

    private java.util.List<String> statuses() {
        return db.queryStrings("SELECT name || ' ' || status FROM accordion.migrations ORDER BY started_at");
    }

    private String file(String name, String yaml) throws Exception {
        return Files.writeString(dir.resolve(name + ".yaml"), yaml).toString();
    }

    private void ok(String... args) throws Exception {
        CliRun run = cli(args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    private CliRun cli(String... args) throws Exception {
        return CliRun.against(db.jdbcUrl(), args);
    }
}
