package dev.accordion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releases on the command line (issue 12): start with several files or a directory, --version-schema, migrate
 * --release, and what the history, status and migrate say about a release's files afterwards.
 */
class ReleaseCommandTest {

    private static final String CREATE_USERS = """
            operations:
              - create_table:
                  name: users
                  columns:
                    - {name: id, type: serial, pk: true}
                    - {name: name, type: text}
            """;

    private static final String ADD_NICKNAME = """
            operations:
              - add_column:
                  table: users
                  up: lower(name)
                  column: {name: nickname, type: text, nullable: true}
            """;

    private static final String RENAME_TO_HANDLE = """
            operations:
              - rename_column: {table: users, from: nickname, to: handle}
            """;

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void startOfTwoFilesIsOneReleaseThatStatusListsAndMigrateThenFindsApplied() throws Exception {
        ok("start", file("01_users", CREATE_USERS), "--complete");
        String nickname = file("02_add_nickname", ADD_NICKNAME);
        String handle = file("03_rename_to_handle", RENAME_TO_HANDLE);

        CliRun started = cli("start", nickname, handle);

        assertThat(started.exitCode()).as(started.toString()).isZero();
        assertThat(started.out()).isEqualTo("started 03_rename_to_handle: clients of the new version use search_path "
                + "\"public_03_rename_to_handle\"; clients of the old version keep working (release of 2 files: 02_add_nickname, "
                + "03_rename_to_handle)\n");
        assertThat(statuses()).containsExactly("01_users complete", "03_rename_to_handle active");
        assertThat(versionSchemas()).containsExactly("public_01_users", "public_03_rename_to_handle");
        ok("complete");

        CliRun status = cli("status", dir.toString());

        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).containsPattern("03_rename_to_handle +complete .* checksum [0-9a-f]{12}\n"
                + "    release of 2 files: 02_add_nickname \\(checksum [0-9a-f]{12}\\), 03_rename_to_handle \\(checksum [0-9a-f]{12}\\)\n")
                .contains("none pending in " + dir).doesNotContain("drift").doesNotContain("no file:");
        assertThat(db.queryStrings("SELECT release || ' ' || position || ' ' || file_name FROM accordion.release_files ORDER BY position"))
                .containsExactly("03_rename_to_handle 1 02_add_nickname", "03_rename_to_handle 2 03_rename_to_handle");

        CliRun again = cli("migrate", dir.toString());

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).startsWith("nothing to migrate: every migration in " + dir + " is already applied");
        CliRun validated = cli("validate", nickname);

        assertThat(validated.exitCode()).as(validated.toString()).isEqualTo(4);
        assertThat(validated.err()).contains("migration \"02_add_nickname\" is already applied to schema \"public\" (complete since ")
                .contains(") as part of release \"03_rename_to_handle\", so there is nothing to validate")
                .contains("The file is the same as the copy recorded when it started.");

        file("02_add_nickname", ADD_NICKNAME.replace("lower(name)", "upper(name)"));
        CliRun drifted = cli("migrate", dir.toString());

        assertThat(drifted.exitCode()).as(drifted.toString()).isEqualTo(4);
        assertThat(drifted.err()).startsWith("error: the file of 1 applied migration was edited after it was applied (drift):\n"
                + "  02_add_nickname: checksum ").contains("operation 1 (add_column): up: \"lower(name)\" recorded, \"upper(name)\" in the file");
        assertThat(cli("status", dir.toString()).out()).contains("02_add_nickname").contains("drift");
    }

    @Test
    void startOfADirectoryLeavesOutItsAppliedFilesAndTakesTheVersionSchemaAsked() throws Exception {
        ok("start", file("01_users", CREATE_USERS), "--complete");
        file("02_add_nickname", ADD_NICKNAME);
        file("03_rename_to_handle", RENAME_TO_HANDLE);

        CliRun started = cli("start", dir.toString(), "--version-schema", "app_v7");

        assertThat(started.exitCode()).as(started.toString()).isZero();
        assertThat(started.err()).contains("left out, already applied: 01_users");
        assertThat(started.out()).startsWith("started 03_rename_to_handle: clients of the new version use search_path \"app_v7\"");
        assertThat(db.queryStrings("SELECT file_name FROM accordion.release_files ORDER BY position"))
                .containsExactly("02_add_nickname", "03_rename_to_handle");
        assertThat(db.queryStrings("SELECT version_schema FROM accordion.migrations ORDER BY started_at"))
                .containsExactly("public_01_users", "app_v7");

        CliRun rolledBack = cli("rollback");

        assertThat(rolledBack.exitCode()).as(rolledBack.toString()).isZero();
        assertThat(statuses()).containsExactly("01_users complete");
        assertThat(db.queryStrings("SELECT file_name FROM accordion.release_files")).isEmpty();
        assertThat(versionSchemas()).containsExactly("public_01_users");

        CliRun nothingLeft = cli("start", dir.toString(), "--complete");
        assertThat(nothingLeft.exitCode()).as(nothingLeft.toString()).isZero();
        CliRun allApplied = cli("start", dir.toString());

        assertThat(allApplied.exitCode()).as(allApplied.toString()).isEqualTo(4);
        assertThat(allApplied.err()).contains("nothing to start: every migration in " + dir + " is already applied to schema \"public\"");
    }

    @Test
    void migrateReleaseStartsThePendingFilesAsOneVersion() throws Exception {
        file("01_users", CREATE_USERS);
        ok("migrate", dir.toString(), "--complete");
        file("02_add_nickname", ADD_NICKNAME);
        file("03_rename_to_handle", RENAME_TO_HANDLE);

        CliRun migrated = cli("migrate", dir.toString(), "--release");

        assertThat(migrated.exitCode()).as(migrated.toString()).isZero();
        assertThat(migrated.out()).startsWith("started 03_rename_to_handle: clients of the new version use search_path \"public_03_rename_to_handle\"");
        assertThat(statuses()).as("no intermediate version was completed").containsExactly("01_users complete", "03_rename_to_handle active");
        assertThat(versionSchemas()).containsExactly("public_01_users", "public_03_rename_to_handle");

        CliRun again = cli("migrate", dir.toString(), "--release");

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).startsWith("nothing to migrate: 03_rename_to_handle, the last migration in " + dir + ", is started and active");

        CliRun completed = cli("migrate", dir.toString(), "--release", "--complete");

        assertThat(completed.exitCode()).as(completed.toString()).isZero();
        assertThat(completed.out()).startsWith("completed 03_rename_to_handle");
        assertThat(statuses()).containsExactly("01_users complete", "03_rename_to_handle complete");
        assertThat(db.queryStrings("SELECT attname FROM pg_attribute WHERE attrelid = 'public.users'::regclass AND attnum > 0 "
                + "AND NOT attisdropped ORDER BY attnum")).containsExactly("id", "name", "handle");
    }

    @Test
    void oneFileIsAMigrationOfItsOwnAsBefore() throws Exception {
        CliRun started = cli("start", file("01_users", CREATE_USERS));

        assertThat(started.exitCode()).as(started.toString()).isZero();
        assertThat(started.out()).isEqualTo("started 01_users: clients of the new version use search_path \"public_01_users\"; "
                + "clients of the old version keep working\n");
        assertThat(db.queryStrings("SELECT file_name FROM accordion.release_files")).isEmpty();
        assertThat(cli("status").out()).doesNotContain("release of");
    }

    @Test
    void aFileNamedThatIsAlreadyAppliedIsRefusedNamingIt() throws Exception {
        String users = file("01_users", CREATE_USERS);
        ok("start", users, "--complete");
        String nickname = file("02_add_nickname", ADD_NICKNAME);

        CliRun refused = cli("start", users, nickname);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(4);
        assertThat(refused.err()).contains("the release of \"02_add_nickname\" includes a file already in the history of schema "
                + "\"public\": \"01_users\" (complete). Nothing was changed.");
        assertThat(statuses()).containsExactly("01_users complete");
    }

    @Test
    void anInterruptedReleaseIsResumedWithAllItsFilesAndTheVersionSchemaAsked() throws Exception {
        ok("start", file("01_users", CREATE_USERS), "--complete");
        String nickname = file("02_add_nickname", ADD_NICKNAME);
        String handle = file("03_rename_to_handle", RENAME_TO_HANDLE);
        try (java.sql.Connection holder = db.connect(); java.sql.Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("LOCK TABLE users IN ACCESS SHARE MODE");
            CliRun failed = cli("start", nickname, handle, "--version-schema", "app_v7", "--lock-timeout", "50", "--lock-retry-deadline", "1");
            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(6);
            holder.rollback();
        }

        CliRun status = cli("status");

        String resume = "accordion start " + nickname + " " + handle + " --version-schema app_v7";
        assertThat(status.out()).contains("to finish it:          " + resume + "\n")
                .contains("next step:             \"" + resume + "\" to finish starting it");

        CliRun resumed = cli("start", nickname, handle, "--version-schema", "app_v7");

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.err()).doesNotContain("differs");
        assertThat(statuses()).containsExactly("01_users complete", "03_rename_to_handle active");
    }

    private List<String> statuses() {
        return db.queryStrings("SELECT name || ' ' || status FROM accordion.migrations ORDER BY started_at");
    }

    private List<String> versionSchemas() {
        return db.queryStrings("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'public\\_%' ORDER BY 1");
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
