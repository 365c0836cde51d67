package dev.accordion.migration;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.accordion.AccordionException;
import dev.accordion.ErrorCode;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads migration files (YAML or JSON) strictly: an unknown operation or field is an error that
 * names it and where it is. The migration's name is the file name without its extension.
 */
public final class MigrationReader {

    private static final ObjectMapper YAML = configure(YAMLMapper.builder(new YAMLFactory()).build());
    private static final ObjectMapper JSON = configure(JsonMapper.builder().build());

    private MigrationReader() {
    }

    /** The top level of a file. {@code $schema} is allowed so that editors can find the JSON Schema. */
    record FileBody(List<Operation> operations,
                    @JsonProperty("version_schema") Identifier versionSchema,
                    @JsonProperty("$schema") String jsonSchema) {
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        // helpers such as isNullable() are not fields of the format
        return mapper.registerModule(new Jdk8Module())
                .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    public static boolean isMigrationFile(Path path) {
        String file = path.getFileName().toString();
        return Files.isRegularFile(path) && (file.endsWith(".yaml") || file.endsWith(".yml") || file.endsWith(".json"));
    }

    public static Migration read(Path path) {
        if (Files.isDirectory(path)) {
            throw new AccordionException(ErrorCode.USAGE, path + " is a directory, and this command takes one migration file"
                    + " (a .yaml, .yml or .json file in it); \"accordion migrate " + path + "\" runs a directory's pending files"
                    + " in name order and \"accordion status " + path + "\" lists them");
        }
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new AccordionException(ErrorCode.USAGE, "migration file " + path + " does not exist; check the path");
        } catch (IOException e) {
            throw new AccordionException(ErrorCode.USAGE, "cannot read migration file " + path + ": " + e.getMessage());
        }
        String file = path.getFileName().toString();
        return parse(nameOf(file), file, text, file.endsWith(".json") ? JSON : YAML, true).withSource(Optional.of(path.toString()));
    }

    /** Every migration file of a directory, in file-name order. */
    public static List<Migration> readDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new AccordionException(ErrorCode.USAGE, directory + " is not a directory of migration files");
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(MigrationReader::isMigrationFile).sorted().map(MigrationReader::read).toList();
        } catch (IOException e) {
            throw new AccordionException(ErrorCode.USAGE, "cannot list " + directory + ": " + e.getMessage());
        }
    }

    public static Migration parseYaml(String name, String text) {
        return parse(name, name, text, YAML, true);
    }

    /** Reads a migration back from the JSON that {@link #toJson} wrote (the state store's copy; a baseline has no operations). */
    public static Migration fromJson(String name, String json) {
        return parse(name, name, json, JSON, false);
    }

    public static String toJson(Migration migration) {
        try {
            return JSON.writeValueAsString(new FileBody(migration.operations(), migration.versionSchema().orElse(null), null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize migration " + migration.name(), e);
        }
    }

    static ObjectMapper jsonMapper() {
        return JSON;
    }

    private static String nameOf(String file) {
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    private static Migration parse(String name, String source, String text, ObjectMapper mapper, boolean requireOperations) {
        try {
            mapper.readTree(text); // syntax first: reading into records can stop at a mismatch before the broken line
        } catch (JsonProcessingException e) {
            throw new MigrationSyntaxException(name, describe(source, text, mapper, e));
        }
        FileBody body;
        try {
            body = mapper.readValue(text, FileBody.class);
        } catch (JsonProcessingException e) {
            throw new InvalidMigrationException(name, List.of(describe(source, text, mapper, e)));
        }
        if (body == null || body.operations() == null) {
            throw new InvalidMigrationException(name, List.of(source + ": the file has no \"operations\" list"));
        }
        if ((requireOperations && body.operations().isEmpty()) || body.operations().contains(null)) {
            throw new InvalidMigrationException(name, List.of(source + ": \"operations\" must list at least one operation, each an object with one key"));
        }
        return new Migration(name, Optional.ofNullable(body.versionSchema()), body.operations());
    }

    /**
     * In a flow mapping ({@code {up: coalesce(qty, 0)}}) an unquoted comma ends the value, and the rest of the SQL
     * expression is read as a field name; such a "field" is not a word.
     */
    private static String splitExpressionHint(String field) {
        return field.matches("[A-Za-z_$][A-Za-z0-9_]*") ? "" : "; if it is the rest of an SQL expression written inside { }, "
                + "quote the whole expression: an unquoted comma there ends the value";
    }

    private static String describe(String source, String text, ObjectMapper mapper, JsonProcessingException e) {
        List<Object> path = e instanceof JsonMappingException mapping ? pathOf(mapping, text) : List.of();
        JsonLocation location = locate(mapper, text, path).orElse(e.getLocation());
        String where = source + (location != null && location.getLineNr() > 0
                ? ", line " + location.getLineNr() + ", column " + location.getColumnNr() : "");
        String at = path.isEmpty() ? "" : " (at " + render(path) + ")";
        if (e instanceof InvalidTypeIdException typeId) {
            return where + at + ": unknown operation \"" + typeId.getTypeId() + "\" (operations: "
                    + String.join(", ", OperationKinds.names()) + ")";
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : " (fields: " + unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).filter(f -> !f.equals("$schema")).sorted().collect(Collectors.joining(", ")) + ")";
            return where + at + ": unknown field \"" + unknown.getPropertyName() + "\"" + known + splitExpressionHint(unknown.getPropertyName());
        }
        if (e.getCause() instanceof MarkedYAMLException yaml) {
            return where + ": this is not valid YAML: " + yaml.getProblem()
                    + Optional.ofNullable(yaml.getContext()).map(context -> " " + context).orElse("")
                    + "; check the indentation of this line and the lines above it";
        }
        if (e instanceof ValueInstantiationException invalid && invalid.getCause() != null) {
            return where + at + ": " + invalid.getCause().getMessage();
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null && !path.isEmpty()) {
            return where + at + ": expected " + shapeOf(mismatch.getTargetType());
        }
        String message = e.getOriginalMessage().lines().findFirst().orElse("malformed input")
                .replaceAll("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)]", "line $1, column $2");
        return where + at + ": " + message;
    }

    /** What a value of the type looks like in a file, for "expected ..." messages (Jackson's names Java classes). */
    private static String shapeOf(Class<?> type) {
        if (Operation.class.isAssignableFrom(type) && type != Operation.class) {
            return "the fields of " + OperationKinds.nameOf(type) + " (" + Arrays.stream(type.getRecordComponents())
                    .map(c -> Optional.ofNullable(c.getAnnotation(JsonProperty.class)).map(JsonProperty::value).orElse(c.getName()))
                    .collect(Collectors.joining(", ")) + "), indented under its name";
        }
        if (type == Operation.class) {
            return "an operation: an object with exactly one key, the operation's name, such as "
                    + "\"- drop_table: {name: old_orders}\" (operations: " + String.join(", ", OperationKinds.names()) + ")";
        }
        if (type == SqlExpr.class) {
            return "SQL written as a string: put it in quotes, such as \"0\"";
        }
        if (type == Identifier.class || type == String.class) {
            return "a string";
        }
        if (type == Setting.class) {
            return "a string, or null to remove the setting";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a mapping of names to values";
        }
        return "an object (field: value, ...)";
    }

    /**
     * The path of the failing field as field names and indexes, with each operation's name, which
     * Jackson's path leaves out because the operation's key is its type.
     */
    private static List<Object> pathOf(JsonMappingException e, String text) {
        List<Object> path = new ArrayList<>();
        List<JsonMappingException.Reference> refs = e.getPath();
        for (int i = 0; i < refs.size(); i++) {
            JsonMappingException.Reference ref = refs.get(i);
            if (ref.getIndex() >= 0) {
                path.add(ref.getIndex());
                if (i == 1 && "operations".equals(refs.get(0).getFieldName())) {
                    operationName(text, ref.getIndex()).ifPresent(path::add);
                }
            } else if (ref.getFieldName() != null) {
                path.add(ref.getFieldName());
            }
        }
        return path;
    }

    private static String render(List<Object> path) {
        StringBuilder out = new StringBuilder();
        for (Object segment : path) {
            if (segment instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                out.append(out.length() == 0 ? "" : ".").append(segment);
            }
        }
        return out.toString();
    }

    /**
     * Where the path's last field stands in the file. Jackson reports where it noticed the problem,
     * which for records is the end of the enclosing object; people need the line of the field.
     */
    private static Optional<JsonLocation> locate(ObjectMapper mapper, String text, List<Object> path) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        try (JsonParser parser = mapper.getFactory().createParser(text)) {
            parser.nextToken();
            return find(parser, path, 0);
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }

    private static Optional<JsonLocation> find(JsonParser parser, List<Object> path, int depth) throws IOException {
        Object segment = path.get(depth);
        if (parser.currentToken() == JsonToken.START_OBJECT && segment instanceof String field) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean match = field.equals(parser.currentName());
                JsonLocation location = parser.currentTokenLocation();
                parser.nextToken();
                if (match) {
                    return depth + 1 == path.size() ? Optional.of(location) : find(parser, path, depth + 1);
                }
                parser.skipChildren();
            }
        } else if (parser.currentToken() == JsonToken.START_ARRAY && segment instanceof Integer index) {
            for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
                if (i == index) {
                    return depth + 1 == path.size() ? Optional.of(parser.currentTokenLocation()) : find(parser, path, depth + 1);
                }
                parser.skipChildren();
            }
        }
        return Optional.empty();
    }

    private static Optional<String> operationName(String text, int index) {
        try {
            JsonNode operation = YAML.readTree(text).path("operations").path(index);
            return operation.isObject() && operation.size() == 1 ? Optional.of(operation.fieldNames().next()) : Optional.empty();
        } catch (JsonProcessingException unreadable) {
            return Optional.empty();
        }
    }
}
