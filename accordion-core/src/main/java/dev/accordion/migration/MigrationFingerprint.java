package dev.accordion.migration;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

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
     * How {@code file} differs from {@code recorded}, one line per operation that differs (numbered from 1, as a
     * reader counts them in the file), empty when they say the same.
     */
    public static List<String> differences(Migration recorded, Migration file) {
        MigrationFingerprint was = of(recorded);
        MigrationFingerprint is = of(file);
        List<String> lines = new ArrayList<>();
        if (!recorded.versionSchema().equals(file.versionSchema())) {
            lines.add("version_schema: " + recorded.versionSchema().map(Object::toString).orElse("(none)") + " recorded, "
                    + file.versionSchema().map(Object::toString).orElse("(none)") + " in the file");
        }
        int common = Math.min(was.operations.size(), is.operations.size());
        for (int i = 0; i < common; i++) {
            if (!was.operations.get(i).equals(is.operations.get(i))) {
                lines.add("operation " + (i + 1) + ": recorded " + was.operations.get(i) + ", in the file " + is.operations.get(i));
            }
        }
        for (int i = common; i < was.operations.size(); i++) {
            lines.add("operation " + (i + 1) + ": recorded " + was.operations.get(i) + ", not in the file");
        }
        for (int i = common; i < is.operations.size(); i++) {
            lines.add("operation " + (i + 1) + ": in the file " + is.operations.get(i) + ", not recorded");
        }
        return List.copyOf(lines);
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
