package dev.accordion.migration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a migration says, as a checksum and as one canonical text per operation. Both come from the parsed migration,
 * not the file's bytes: a comment, a reformatting or YAML turned into JSON is no change, a changed type or expression
 * is. The state store keeps the parsed migration, so a recorded copy and a file on disk are compared the same way.
 */
public record MigrationFingerprint(String checksum, List<String> operations) {

    public static MigrationFingerprint of(Migration migration) {
        List<String> operations = new ArrayList<>();
        for (Operation operation : migration.operations()) {
            operations.add(canonical(operation));
        }
        return new MigrationFingerprint(sha256(MigrationReader.toJson(migration)), List.copyOf(operations));
    }

    /** The first 12 hex digits, enough to tell versions of one file apart on a screen. */
    public String shortChecksum() {
        return checksum.substring(0, 12);
    }

    /**
     * How {@code file} differs from {@code recorded}, one line per field that differs, such as
     * {@code operation 2 (add_column): column.type: "integr" recorded, "integer" in the file} (operations and list items
     * numbered from 1, as a reader counts them in the file); empty when the two say the same.
     */
    public static List<String> differences(Migration recorded, Migration file) {
        List<String> lines = new ArrayList<>();
        if (!recorded.versionSchema().equals(file.versionSchema())) {
            lines.add("version_schema: " + recorded.versionSchema().map(v -> "\"" + v + "\"").orElse("(none)") + " recorded, "
                    + file.versionSchema().map(v -> "\"" + v + "\"").orElse("(none)") + " in the file");
        }
        List<Operation> was = recorded.operations();
        List<Operation> is = file.operations();
        for (int i = 0; i < Math.max(was.size(), is.size()); i++) {
            String where = "operation " + (i + 1);
            if (i >= is.size()) {
                lines.add(where + ": " + was.get(i).kind() + " recorded, not in the file");
            } else if (i >= was.size()) {
                lines.add(where + ": " + is.get(i).kind() + " in the file, not recorded");
            } else if (!was.get(i).kind().equals(is.get(i).kind())) {
                lines.add(where + ": " + was.get(i).kind() + " recorded, " + is.get(i).kind() + " in the file");
            } else {
                String kind = was.get(i).kind();
                compare(where + " (" + kind + ")", "", tree(was.get(i)).get(kind), tree(is.get(i)).get(kind), lines);
            }
        }
        return List.copyOf(lines);
    }

    private static void compare(String operation, String path, JsonNode was, JsonNode is, List<String> lines) {
        if (Objects.equals(was, is)) {
            return;
        }
        if (was != null && is != null && was.isObject() && is.isObject()) {
            Set<String> fields = new LinkedHashSet<>();
            was.fieldNames().forEachRemaining(fields::add);
            is.fieldNames().forEachRemaining(fields::add);
            fields.forEach(field -> compare(operation, path.isEmpty() ? field : path + "." + field, was.get(field), is.get(field), lines));
        } else if (was != null && is != null && was.isArray() && is.isArray()) {
            for (int i = 0; i < Math.max(was.size(), is.size()); i++) {
                compare(operation, path + " #" + (i + 1), was.get(i), is.get(i), lines);
            }
        } else {
            lines.add(operation + ": " + (path.isEmpty() ? "" : path + ": ") + text(was) + " recorded, " + text(is) + " in the file");
        }
    }

    private static String text(JsonNode value) {
        return value == null ? "(none)" : value.toString();
    }

    private static JsonNode tree(Operation operation) {
        try {
            return MigrationReader.jsonMapper().readTree(canonical(operation));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read back operation " + operation.kind(), e);
        }
    }

    private static String canonical(Operation operation) {
        try {
            return MigrationReader.jsonMapper().writerFor(Operation.class).writeValueAsString(operation);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize operation " + operation.kind(), e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
