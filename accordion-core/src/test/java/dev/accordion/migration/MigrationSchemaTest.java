package dev.accordion.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The published JSON Schema ({@code accordion-migration.schema.json}, for editors) accepts every example file,
 * rejects what the reader rejects, and names exactly the fields the reader knows, so the two cannot drift apart.
 */
class MigrationSchemaTest {

    private static final Path PGROLL_EXAMPLES = Path.of("../compat/pgroll-examples");
    private static final Path OUR_EXAMPLES = Path.of("../examples");
    private static final ObjectMapper YAML = new YAMLMapper();

    private static final JsonNode SCHEMA_NODE = schemaNode();
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(SCHEMA_NODE);

    /** Where in the schema each part of the format is described, and the class the reader reads it into. */
    private static final Map<String, Class<?>> DESCRIBED_BY = Map.ofEntries(
            Map.entry("/$defs/column", ColumnSpec.class),
            Map.entry("/$defs/columnCheck", ColumnSpec.CheckSpec.class),
            Map.entry("/$defs/columnReference", ColumnSpec.ReferencesSpec.class),
            Map.entry("/$defs/generated", ColumnSpec.GeneratedSpec.class),
            Map.entry("/$defs/generated/properties/identity", ColumnSpec.IdentitySpec.class),
            Map.entry("/$defs/tableConstraint", ConstraintSpec.class),
            Map.entry("/$defs/tableConstraint/properties/exclude", ConstraintSpec.ExcludeSpec.class),
            Map.entry("/$defs/foreignKeyReference", ConstraintSpec.ForeignKeyReference.class),
            Map.entry("/$defs/indexParameters", ConstraintSpec.IndexParameters.class),
            Map.entry("/$defs/indexField/oneOf/1", IndexField.class),
            Map.entry("/$defs/indexField/oneOf/1/properties/opclass", IndexField.OpClass.class),
            Map.entry("/$defs/alter_column/properties/unique", AlterColumn.UniqueSpec.class),
            Map.entry("/$defs/set_replica_identity/properties/identity", SetReplicaIdentity.Identity.class));

    @Test
    void everyPgrollExampleIsValid() throws IOException {
        assertThat(PGROLL_EXAMPLES).as("the pgroll corpus at " + PGROLL_EXAMPLES.toAbsolutePath()).isDirectory();
        assertThat(migrationFiles(PGROLL_EXAMPLES)).hasSize(56).allSatisfy(MigrationSchemaTest::assertValid);
    }

    @Test
    void everyExampleOfOursIsValid() throws IOException {
        assertThat(migrationFiles(OUR_EXAMPLES)).isNotEmpty().allSatisfy(MigrationSchemaTest::assertValid);
    }

    @Test
    void describesEveryOperationTheReaderKnows() {
        assertThat(fieldNames(SCHEMA_NODE.at("/$defs/operation"))).containsExactlyInAnyOrderElementsOf(OperationKinds.names());
        for (String operation : OperationKinds.names()) {
            assertThat(fieldNames(SCHEMA_NODE.at("/$defs/" + operation))).as(operation)
                    .isEqualTo(readerFields(OperationKinds.typeOf(operation)));
        }
    }

    @Test
    void describesEveryFieldOfEveryNestedObject() {
        DESCRIBED_BY.forEach((pointer, type) -> {
            JsonNode node = SCHEMA_NODE.at(pointer);
            assertThat(node.isMissingNode()).as(pointer).isFalse();
            assertThat(fieldNames(node)).as(pointer + " against " + type.getSimpleName()).isEqualTo(readerFields(type));
            assertThat(node.path("additionalProperties").asBoolean(true)).as(pointer + " refuses unknown fields").isFalse();
        });
    }

    @Test
    void rejectsWhatTheReaderRejects() {
        List<String> invalid = List.of(
                "operations:\n  - create_table: {name: t, colums: [{name: id, type: int}]}\n",
                "operations:\n  - make_table: {name: t}\n",
                "operations:\n  - rename_column: {table: t, from: a}\n",
                "operations:\n  - add_column: {table: t, column: {name: c, type: int, default: 0}}\n",
                "operations: []\n",
                "operation:\n  - drop_table: {name: t}\n");
        for (String yaml : invalid) {
            assertThat(errors(parse(yaml))).as(yaml).isNotEmpty();
            if (!yaml.contains("from: a}")) { // a missing field is the validation's to report, with the others
                assertThatThrownBy(() -> MigrationReader.parseYaml("m", yaml)).as(yaml).isInstanceOf(InvalidMigrationException.class);
            }
        }
    }

    private static void assertValid(Path file) {
        assertThat(errors(parse(file))).as(file.toString()).isEmpty();
    }

    private static Set<String> errors(JsonNode document) {
        return SCHEMA.validate(document).stream().map(ValidationMessage::getMessage).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> fieldNames(JsonNode schemaObject) {
        Set<String> names = new TreeSet<>();
        schemaObject.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The field names the reader accepts for a type: the properties its Jackson creator takes. */
    private static Set<String> readerFields(Class<?> type) {
        ObjectMapper mapper = MigrationReader.jsonMapper();
        return mapper.getDeserializationConfig().introspect(mapper.constructType(type)).findProperties().stream()
                .filter(BeanPropertyDefinition::hasConstructorParameter)
                .map(BeanPropertyDefinition::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<Path> migrationFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(f -> f.toString().matches(".*\\.(ya?ml|json)$")).sorted().collect(Collectors.toCollection(ArrayList::new));
        }
    }

    private static JsonNode parse(Path file) {
        try {
            return YAML.readTree(file.toFile()); // JSON is YAML too
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode schemaNode() {
        try (InputStream in = MigrationSchemaTest.class.getResourceAsStream("/accordion-migration.schema.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
