package dev.accordion.postgres;

import dev.accordion.sql.Identifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names Accordion gives the objects it creates. PostgreSQL silently truncates names to 63 bytes,
 * which could make two generated names collide, so a long name keeps its start and ends in a short
 * hash of the whole.
 */
public final class GeneratedNames {

    public static final int MAX_BYTES = 63;
    private static final String DELETED_TABLE_PREFIX = "_acc_del_";

    private GeneratedNames() {
    }

    /** The name a dropped table has until complete. */
    public static Identifier deletedTable(Identifier table) {
        return fit(DELETED_TABLE_PREFIX + table.name());
    }

    /** The version schema of a migration: {@code <schema>_<migration>}. */
    public static Identifier versionSchema(Identifier schema, String migration) {
        return fit(schema.name() + "_" + migration);
    }

    public static Identifier fit(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_BYTES) {
            return Identifier.of(name);
        }
        String hash = "_" + HexFormat.of().formatHex(sha256(bytes)).substring(0, 8);
        int keep = MAX_BYTES - hash.length();
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            String next = new String(Character.toChars(codePoint));
            if (prefix.toString().getBytes(StandardCharsets.UTF_8).length + next.getBytes(StandardCharsets.UTF_8).length > keep) {
                break;
            }
            prefix.append(next);
            i += Character.charCount(codePoint);
        }
        return Identifier.of(prefix + hash);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
