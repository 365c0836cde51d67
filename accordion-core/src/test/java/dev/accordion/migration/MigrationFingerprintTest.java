package dev.accordion.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationFingerprintTest {

    private static final Path PGROLL_EXAMPLES = Path.of("../compat/pgroll-examples");

    @Test
    void theStateStoresCopyHasTheFilesChecksumForEveryPgrollExample() {
        assertThat(PGROLL_EXAMPLES).as("the pgroll corpus at " + PGROLL_EXAMPLES.toAbsolutePath()).isDirectory();
        for (Migration file : MigrationReader.readDirectory(PGROLL_EXAMPLES)) {
            Migration stored = MigrationReader.fromJson(file.name(), MigrationReader.toJson(file));

            assertThat(MigrationFingerprint.of(stored)).as(file.name()).isEqualTo(MigrationFingerprint.of(file));
            assertThat(MigrationFingerprint.differences(stored, file)).as(file.name()).isEmpty();
        }
    }

    @Test
    void commentsAndLayoutAreNoChange() {
        Migration flow = MigrationReader.parseYaml("m", """
                operations:
                  - add_column: {table: items, column: {name: price, type: integer, nullable: true}}
                """);
        Migration block = MigrationReader.parseYaml("m", """
                # a price in cents
                operations:
                  - add_column:
                      column:
                        nullable: true
                        type: integer
                        name: price
                      table: items
                """);

        assertThat(MigrationFingerprint.of(block).checksum()).isEqualTo(MigrationFingerprint.of(flow).checksum()).hasSize(64);
    }

    @Test
    void namesEachOperationThatDiffers() {
        Migration recorded = MigrationReader.parseYaml("m", """
                operations:
                  - create_table: {name: a, columns: [{name: id, type: integer, pk: true}]}
                  - add_column: {table: items, column: {name: price, type: integr, nullable: true}}
                """);
        Migration file = MigrationReader.parseYaml("m", """
                operations:
                  - create_table: {name: a, columns: [{name: id, type: integer, pk: true}]}
                  - add_column: {table: items, column: {name: price, type: integer, nullable: true}}
                  - drop_table: {name: old}
                """);

        List<String> differences = MigrationFingerprint.differences(recorded, file);

        assertThat(differences).containsExactly(
                "operation 2 (add_column): column.type: \"integr\" recorded, \"integer\" in the file",
                "operation 3: drop_table in the file, not recorded");
        assertThat(MigrationFingerprint.of(recorded).checksum()).isNotEqualTo(MigrationFingerprint.of(file).checksum());
    }
}
