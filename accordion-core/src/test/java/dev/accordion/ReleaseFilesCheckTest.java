package dev.accordion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accordion.migration.Migration;
import dev.accordion.migration.MigrationFingerprint;
import dev.accordion.migration.MigrationReader;
import dev.accordion.migration.Release;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.spi.MigrationRecord;
import dev.accordion.spi.MigrationStatus;
import dev.accordion.sql.Identifier;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A release as one migration of merged operations, and how FilesCheck counts its files: one by one, each its own checksum. */
class ReleaseFilesCheckTest {

    private static final Migration USERS = MigrationReader.parseYaml("01_users", """
            operations:
              - create_table: {name: users, columns: [{name: id, type: serial, pk: true}]}
            """);
    private static final Migration ADD = MigrationReader.parseYaml("02_add", """
            version_schema: ignored_v2
            operations:
              - add_column: {table: users, column: {name: nick, type: text, nullable: true}}
            """);
    private static final Migration RENAME = MigrationReader.parseYaml("03_rename", """
            operations:
              - rename_column: {table: users, from: nick, to: handle}
            """);

    @Test
    void aReleaseHoldsItsFilesOperationsInOrderUnderTheLastName() {
        Release release = Release.of(List.of(ADD, RENAME), Optional.empty());

        assertThat(release.name()).isEqualTo("03_rename");
        assertThat(release.migration().versionSchema()).as("the last file's, which has none").isEmpty();
        assertThat(release.migration().operations()).containsExactly(ADD.operations().get(0), RENAME.operations().get(0));
        assertThat(release.files()).extracting(f -> f.position() + " " + f.name() + " " + f.checksum())
                .containsExactly("1 02_add " + MigrationFingerprint.of(ADD).checksum(), "2 03_rename " + MigrationFingerprint.of(RENAME).checksum());
        assertThat(release.operationsByFile()).isEqualTo("operation 1 = 02_add operation 1; operation 2 = 03_rename operation 1");
        assertThat(Release.of(List.of(ADD, RENAME), Optional.of(Identifier.of("app_v7"))).migration().versionSchema())
                .contains(Identifier.of("app_v7"));
    }

    @Test
    void filesOutOfNameOrderOrGivenTwiceAreRefused() {
        assertThatThrownBy(() -> Release.of(List.of(RENAME, ADD), Optional.empty()))
                .hasMessage("migration \"02_add\" is given after \"03_rename\" but sorts before it; migrations run in file-name "
                        + "order, so give the files of a release in that order (a directory is read in that order)");
        assertThatThrownBy(() -> Release.of(List.of(ADD, ADD), Optional.empty()))
                .hasMessage("migration \"02_add\" is given twice; give each file of a release once");
    }

    @Test
    void eachFileOfAnAppliedReleaseIsAppliedAndCheckedForDriftOnItsOwn() {
        Release release = Release.of(List.of(ADD, RENAME), Optional.empty());
        List<MigrationRecord> history = List.of(record(USERS, List.of()), new MigrationRecord(Identifier.of("public"),
                release.name(), Optional.of("01_users"), Identifier.of("public_03_rename"), release.migration(), SchemaSnapshot.EMPTY,
                MigrationStatus.COMPLETE, false, Instant.EPOCH, Optional.of(Instant.EPOCH), release.files()));
        Migration addEdited = MigrationReader.parseYaml("02_add", """
                operations:
                  - add_column: {table: users, column: {name: nick, type: varchar(20), nullable: true}}
                """);

        FilesReport unchanged = FilesCheck.of(history, List.of(USERS, ADD, RENAME));
        FilesReport edited = FilesCheck.of(history, List.of(USERS, addEdited, RENAME));
        FilesReport firstGone = FilesCheck.of(history, List.of(USERS, RENAME));

        assertThat(unchanged.drifted()).isEmpty();
        assertThat(unchanged.pending()).isEmpty();
        assertThat(unchanged.latestApplied()).contains("03_rename");
        assertThat(edited.drifted()).extracting(FilesReport.Drift::migration).containsExactly("02_add");
        assertThat(edited.drifted().get(0).differences()).containsExactly(
                "version_schema: \"ignored_v2\" recorded, (none) in the file",
                "operation 1 (add_column): column.type: \"text\" recorded, \"varchar(20)\" in the file");
        assertThat(firstGone.missing()).containsExactly("02_add");
        assertThat(FilesCheck.appliedFileNames(history)).containsExactlyInAnyOrder("01_users", "02_add", "03_rename");
    }

    private static MigrationRecord record(Migration migration, List<dev.accordion.migration.ReleaseFile> files) {
        return new MigrationRecord(Identifier.of("public"), migration.name(), Optional.empty(), Identifier.of("public_" + migration.name()),
                migration, SchemaSnapshot.EMPTY, MigrationStatus.COMPLETE, false, Instant.EPOCH, Optional.of(Instant.EPOCH), files);
    }
}
