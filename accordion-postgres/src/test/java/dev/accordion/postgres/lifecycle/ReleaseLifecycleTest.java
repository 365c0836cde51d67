package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.tableColumns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accordion.Accordion;
import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.FilesReport;
import dev.accordion.PhaseResult;
import dev.accordion.migration.InvalidMigrationException;
import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationReader;
import dev.accordion.migration.Release;
import dev.accordion.migration.ReleaseFile;
import dev.accordion.spi.MigrationRecord;
import dev.accordion.spi.MigrationStatus;
import dev.accordion.sql.Identifier;
import dev.accordion.postgres.testing.TestDatabase;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A release (issue 12): two files started as one migration with one version schema. The second file renames the
 * column the first adds, so it only works if it sees the schema as the first leaves it; the old version sees neither,
 * the new one sees the final name, and rollback and complete act on both files at once.
 */
class ReleaseLifecycleTest {

    private static final Migration ADD_NICKNAME = MigrationReader.parseYaml("02_add_nickname", """
            operations:
              - add_column:
                  table: users
                  up: lower(name)
                  column: {name: nickname, type: text, nullable: true}
            """);

    private static final Migration RENAME_TO_HANDLE = MigrationReader.parseYaml("03_rename_to_handle", """
            operations:
              - rename_column: {table: users, from: nickname, to: handle}
            """);

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;
    private Accordion accordion;

    @BeforeEach
    void users() throws Exception {
        lifecycle = new Lifecycle(db);
        accordion = lifecycle.accordion();
        lifecycle.given("01_users", """
                operations:
                  - create_table:
                      name: users
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: name, type: text}
                """);
        lifecycle.version("01_users").execute("INSERT INTO users (name) VALUES ('Ada')");
    }

    @Test
    void twoFilesStartRollBackStartAndCompleteAsOneVersion() throws Exception {
        Release release = Release.of(List.of(ADD_NICKNAME, RENAME_TO_HANDLE), Optional.empty());
        VersionClient v1 = lifecycle.version("01_users");

        PhaseResult started = accordion.start(release, false);

        assertThat(started.migration()).isEqualTo("03_rename_to_handle");
        assertThat(started.versionSchema()).contains("public_03_rename_to_handle");
        VersionClient v2 = new VersionClient(db, "public_03_rename_to_handle");
        bothVersionsWork(v1, v2);
        MigrationRecord active = accordion.status().active().orElseThrow();
        assertThat(active.fileNames()).containsExactly("02_add_nickname", "03_rename_to_handle");
        assertThat(active.releaseFiles()).extracting(ReleaseFile::position).containsExactly(1, 2);

        accordion.rollback();

        lifecycle.assertOnlyVersionSchema("public_01_users");
        assertThat(tableColumns(db, "users")).containsExactly("id", "name");
        assertThat(accordion.status().history()).extracting(MigrationRecord::name).containsExactly("01_users");
        assertThat(db.queryStrings("SELECT file_name FROM accordion.release_files")).as("the release's files go with it").isEmpty();

        accordion.start(release, false);
        bothVersionsWork(v1, v2);
        accordion.complete();

        lifecycle.assertOnlyVersionSchema("public_03_rename_to_handle");
        assertThat(tableColumns(db, "users")).containsExactly("id", "name", "handle");
        assertThat(lines(v2.rows("SELECT name, handle FROM users ORDER BY id"))).containsExactly("Ada|ada");
        List<MigrationRecord> history = accordion.status().history();
        assertThat(history).extracting(r -> r.name() + " " + r.status()).containsExactly("01_users COMPLETE", "03_rename_to_handle COMPLETE");
        assertThat(history.get(1).fileNames()).containsExactly("02_add_nickname", "03_rename_to_handle");
    }

    /** Writes through either version show in the other; the rows are put back as they were, for the next round. */
    private void bothVersionsWork(VersionClient v1, VersionClient v2) throws Exception {
        assertThat(v1.columns("users")).containsExactly("id", "name");
        assertThat(v2.columns("users")).containsExactly("id", "name", "handle");
        v1.execute("INSERT INTO users (name) VALUES ('Grace')");
        v2.execute("INSERT INTO users (name, handle) VALUES ('Alan', 'turing')");
        v2.execute("UPDATE users SET name = 'Ada L.' WHERE name = 'Ada'");
        assertThat(lines(v2.rows("SELECT name, handle FROM users ORDER BY id")))
                .as("the old version's rows get a handle through the first file's up").containsExactly("Ada L.|ada", "Grace|grace", "Alan|turing");
        assertThat(lines(v1.rows("SELECT name FROM users ORDER BY id"))).containsExactly("Ada L.", "Grace", "Alan");
        v1.execute("UPDATE users SET name = 'Ada' WHERE name = 'Ada L.'");
        v1.execute("DELETE FROM users WHERE name <> 'Ada'");
        assertThat(lines(v2.rows("SELECT name, handle FROM users ORDER BY id"))).containsExactly("Ada|ada");
    }

    @Test
    void theVersionSchemaAskedForNamesTheRelease() {
        Release release = Release.of(List.of(ADD_NICKNAME, RENAME_TO_HANDLE), Optional.of(Identifier.of("app_v7")));

        PhaseResult started = accordion.start(release, true);

        assertThat(started.versionSchema()).contains("app_v7");
        assertThat(accordion.latestVersionSchema()).contains(Identifier.of("app_v7"));
    }

    @Test
    void aReleaseIsAppliedFileByFileForDriftPendingAndMissing() {
        accordion.start(Release.of(List.of(ADD_NICKNAME, RENAME_TO_HANDLE), Optional.empty()), true);
        Migration users = accordion.status().history().get(0).migration();

        FilesReport same = accordion.checkFiles(List.of(users, ADD_NICKNAME, RENAME_TO_HANDLE));
        FilesReport edited = accordion.checkFiles(List.of(users, MigrationReader.parseYaml("02_add_nickname",
                "operations:\n  - add_column:\n      table: users\n      up: upper(name)\n      column: {name: nickname, type: text, nullable: true}\n"),
                RENAME_TO_HANDLE));
        FilesReport withoutFirst = accordion.checkFiles(List.of(users, RENAME_TO_HANDLE));

        assertThat(same.drifted()).isEmpty();
        assertThat(same.pending()).isEmpty();
        assertThat(same.missing()).isEmpty();
        assertThat(edited.drifted()).singleElement().satisfies(drift -> {
            assertThat(drift.migration()).isEqualTo("02_add_nickname");
            assertThat(drift.differences()).containsExactly("operation 1 (add_column): up: \"lower(name)\" recorded, \"upper(name)\" in the file");
        });
        assertThat(withoutFirst.missing()).containsExactly("02_add_nickname");
        assertThat(accordion.migrate(List.of(users, ADD_NICKNAME, RENAME_TO_HANDLE), true)).as("nothing left to migrate").isEmpty();
    }

    @Test
    void aFileOfAnAppliedReleaseCannotBeInAnother() {
        accordion.start(Release.of(List.of(ADD_NICKNAME, RENAME_TO_HANDLE), Optional.empty()), true);
        Migration later = MigrationReader.parseYaml("04_add_bio", """
                operations:
                  - add_column:
                      table: users
                      column: {name: bio, type: text, nullable: true}
                """);

        assertThatThrownBy(() -> accordion.start(Release.of(List.of(ADD_NICKNAME, later), Optional.empty()), false))
                .isInstanceOfSatisfying(AccordionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STATE_CONFLICT))
                .hasMessageContaining("includes a file already in the history of schema \"public\": \"02_add_nickname\" (complete, in release "
                        + "\"03_rename_to_handle\"). Nothing was changed.");
        assertThat(accordion.status().active()).isEmpty();
    }

    @Test
    void aProblemOfALaterFileSaysWhichFileItsOperationCameFrom() {
        Migration renameMissing = MigrationReader.parseYaml("03_rename_missing", """
                operations:
                  - rename_column: {table: users, from: nick, to: handle}
                """);

        assertThatThrownBy(() -> accordion.start(Release.of(List.of(ADD_NICKNAME, renameMissing), Optional.empty()), false))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageStartingWith("release \"03_rename_missing\" is invalid (its operations, numbered across its files: "
                        + "operation 1 = 02_add_nickname operation 1; operation 2 = 03_rename_missing operation 1):\n  - operation 2 (rename_column)");
        assertThat(accordion.status().history()).extracting(MigrationRecord::status).containsExactly(MigrationStatus.COMPLETE);
    }
}
