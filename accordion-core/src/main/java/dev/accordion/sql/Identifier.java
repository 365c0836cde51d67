package dev.accordion.sql;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A name of a database object exactly as the user wrote it. It is never concatenated into SQL:
 * {@link SqlBuilder} quotes it, so any character, including quotes and upper case, is safe.
 */
public record Identifier(String name) implements Comparable<Identifier> {

    /** The longest name Accordion generates: PostgreSQL's limit, the shortest of the engines it supports. */
    public static final int MAX_GENERATED_BYTES = 63;

    public Identifier {
        Objects.requireNonNull(name, "identifier");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a name must not be empty");
        }
    }

    @JsonCreator
    public static Identifier of(String name) {
        return new Identifier(name);
    }

    /**
     * A name Accordion makes up (a shadow column, a trigger, a version schema): {@code name} itself when it is
     * short enough, otherwise its longest prefix that fits with a short hash of the whole name, so that different
     * long names stay different.
     */
    public static Identifier generated(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_GENERATED_BYTES) {
            return new Identifier(name);
        }
        String hash = "_" + shortHash(name);
        int keep = MAX_GENERATED_BYTES - hash.length();
        StringBuilder prefix = new StringBuilder();
        int used = 0;
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > keep) {
                break;
            }
            prefix.appendCodePoint(codePoint);
            used += size;
            i += Character.charCount(codePoint);
        }
        return new Identifier(prefix + hash);
    }

    /** Eight hex digits of the text's SHA-256: enough to tell generated names (and step ids) apart. */
    public static String shortHash(String text) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8))).substring(0, 8);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public int byteLength() {
        return name.getBytes(StandardCharsets.UTF_8).length;
    }

    @JsonValue
    @Override
    public String toString() {
        return name;
    }

    @Override
    public int compareTo(Identifier other) {
        return name.compareTo(other.name);
    }
}
