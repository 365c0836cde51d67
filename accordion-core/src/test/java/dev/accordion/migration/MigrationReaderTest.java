package dev.accordion.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationReaderTest {

    private static final Path PGROLL_EXAMPLES = Path.of("../compat/pgroll-examples");

    @Test
    void readsEveryPgrollExampleWithTheOperationItDeclares() throws IOException {
        assertThat(PGROLL_EXAMPLES).as("the pgroll corpus at " + PGROLL_EXAMPLES.toAbsolutePath()).isDirectory();
        List<Migration> migrations = MigrationReader.readDirectory(PGROLL_EXAMPLES);
        assertThat(migrations).hasSize(56);
        try (Stream<Path> files = Files.list(PGROLL_EXAMPLES)) {
            for (Path file : files.sorted().toList()) {
                String text = Files.readString(file);
                Migration migration = MigrationReader.read(file);
                String firstOperation = migration.operations().get(0).kind();
                assertThat(text).as(file.toString()).contains(firstOperation + ":");
            }
        }
        assertThat(migrations.get(0).name()).isEqualTo("01_create_tables");
        assertThat(migrations.get(55).versionSchema()).map(Object::toString).contains("with_version_schema");
    }

    @Test
    void keepsTheDifferenceBetweenAMissingAndANullDefault() {
        AlterColumn dropDefault = (AlterColumn) MigrationReader.parseYaml("m", """
                operations:
                  - alter_column: {table: t, column: c, default: null}
                """).operations().get(0);
        assertThat(dropDefault.defaultValue()).isEqualTo(new Setting(null));
        assertThat(dropDefault.comment()).isNull();
        AlterColumn setDefault = (AlterColumn) MigrationReader.parseYaml("m", """
                operations:
                  - alter_column: {table: t, column: c, default: "'x'"}
                """).operations().get(0);
        assertThat(setDefault.defaultValue().asOptional()).contains("'x'");
    }

    @Test
    void roundTripsThroughTheStateStoreJson() {
        Migration migration = MigrationReader.parseYaml("m", """
                operations:
                  - create_table:
                      name: items
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: name, type: text, nullable: true, default: "'x'"}
                  - create_index: {table: items, name: items_name, columns: [{column: name, sort: DESC}]}
                  - alter_column: {table: items, column: name, comment: null}
                """);
        Migration back = MigrationReader.fromJson("m", MigrationReader.toJson(migration));
        assertThat(back).isEqualTo(migration);
    }

    @Test
    void namesAnUnknownOperationWithItsLine() {
        assertThatThrownBy(() -> MigrationReader.parseYaml("m", """
                operations:
                  - create_table: {name: a, columns: [{name: id, type: int}]}
                  - rename_colum: {table: a, from: b, to: c}
                """))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("unknown operation \"rename_colum\"")
                .hasMessageContaining("line 3")
                .hasMessageContaining("rename_column");
    }

    @Test
    void namesAnUnknownFieldAndWhereItIs() {
        assertThatThrownBy(() -> MigrationReader.parseYaml("m", """
                operations:
                  - create_table:
                      name: a
                      columns:
                        - name: id
                          type: int
                          primary: true
                """))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("unknown field \"primary\"")
                .hasMessageContaining("operations[0].create_table.columns[0].primary")
                .hasMessageContaining("line 7, column 11")
                .hasMessageContaining("pk")
                .hasMessageNotContaining("quote the whole expression");
    }

    @Test
    void anExpressionSplitAtAnUnquotedCommaInsideBracesSaysToQuoteIt() {
        assertThatThrownBy(() -> MigrationReader.parseYaml("m", """
                operations:
                  - alter_column: {table: items, column: qty, nullable: false, up: coalesce(qty, 0)}
                """))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("unknown field \"0)\"")
                .hasMessageContaining("quote the whole expression: an unquoted comma there ends the value");
    }

    @Test
    void saysWhatAValueOfTheWrongShapeShouldLookLike() {
        assertThatThrownBy(() -> MigrationReader.parseYaml("m", """
                operations:
                  - add_column:
                      table: t
                      column: {name: c, type: int, default: 0}
                """))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("line 4, column 36 (at operations[0].add_column.column.default): "
                        + "expected SQL written as a string: put it in quotes, such as \"0\"");
        assertThatThrownBy(() -> MigrationReader.parseYaml("m", """
                operations:
                  - create_table: {name: t, columns: id}
                """))
                .hasMessageContaining("(at operations[0].create_table.columns): expected a list");
    }

    @Test
    void anOperationWithoutIndentedFieldsListsTheFieldsItTakes() {
        assertThatThrownBy(() -> MigrationReader.parseYaml("m", """
                operations:
                  - add_column:
                    table: users
                """))
                .hasMessageContaining("line 2, column 5 (at operations[0]): expected the fields of add_column (table, column, up), "
                        + "indented under its name");
    }

    @Test
    void aYamlSyntaxErrorPointsAtTheBrokenLineEvenAfterAMismatch() {
        assertThatThrownBy(() -> MigrationReader.parseYaml("m", """
                operations:
                  - add_column:
                    table: users
                  column: {name: x}
                """))
                .hasMessageContaining("line 4, column 3: this is not valid YAML: expected <block end>")
                .hasMessageContaining("check the indentation");
    }

    @Test
    void reportsMalformedYamlWithTheFileAndLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("07_broken.yaml");
        Files.writeString(file, "operations:\n  - create_table:\n      name: [unclosed\n");
        assertThatThrownBy(() -> MigrationReader.read(file))
                .isInstanceOf(InvalidMigrationException.class)
                .hasMessageContaining("07_broken.yaml, line");
    }

    @Test
    void aSyntaxErrorIsABadInputFileWhileAFieldThatDoesNotFitIsAnInvalidMigration() {
        assertThatThrownBy(() -> MigrationReader.parseYaml("m", "operations:\n  - drop_table: {name: users\n"))
                .isInstanceOfSatisfying(MigrationSyntaxException.class,
                        e -> assertThat(e.code()).isEqualTo(dev.accordion.ErrorCode.USAGE))
                .hasMessageContaining("line 2, column 29: this is not valid YAML");
        assertThatThrownBy(() -> MigrationReader.fromJson("m", "{\"operations\": [\n  {\"drop_table\": {\"name\": \"users\"}\n"))
                .isInstanceOfSatisfying(MigrationSyntaxException.class,
                        e -> assertThat(e.code()).isEqualTo(dev.accordion.ErrorCode.USAGE))
                .hasMessageContaining("line 3");
        assertThatThrownBy(() -> MigrationReader.parseYaml("m", "operations:\n  - drop_table: {nome: users}\n"))
                .isNotInstanceOf(MigrationSyntaxException.class)
                .isInstanceOfSatisfying(InvalidMigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(dev.accordion.ErrorCode.INVALID_MIGRATION));
    }

    @Test
    void refusesAFileWithoutOperations() {
        assertThatThrownBy(() -> MigrationReader.parseYaml("m", "version_schema: v\n"))
                .hasMessageContaining("no \"operations\" list");
        assertThatThrownBy(() -> MigrationReader.parseYaml("m", "operations: []\n"))
                .hasMessageContaining("at least one operation");
    }

    @Test
    void refusesAnEmptyName() {
        assertThatThrownBy(() -> MigrationReader.parseYaml("m", "operations:\n  - drop_table: {name: ''}\n"))
                .hasMessageContaining("a name must not be empty");
    }

    @Test
    void readsJsonFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("03_drop.json");
        Files.writeString(file, "{\"operations\": [{\"drop_table\": {\"name\": \"old\"}}]}");
        Migration migration = MigrationReader.read(file);
        assertThat(migration.name()).isEqualTo("03_drop");
        assertThat(migration.operations()).containsExactly(new DropTable(dev.accordion.sql.Identifier.of("old")));
    }

    @Test
    void aDirectoryGivenForAFileSaysWhichCommandsTakeADirectory(@TempDir Path dir) {
        assertThatThrownBy(() -> MigrationReader.read(dir))
                .isInstanceOf(dev.accordion.AccordionException.class)
                .hasMessageContaining(dir + " is a directory, and this command takes one migration file")
                .hasMessageContaining("\"accordion migrate " + dir + "\"")
                .extracting(e -> ((dev.accordion.AccordionException) e).code()).isEqualTo(dev.accordion.ErrorCode.USAGE);
    }
}
