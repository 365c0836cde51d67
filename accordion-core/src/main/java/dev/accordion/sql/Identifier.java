package dev.accordion.sql;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A name of a database object exactly as the user wrote it. It is never concatenated into SQL:
 * {@link SqlBuilder} quotes it, so any character, including quotes and upper case, is safe.
 */
public record Identifier(String name) implements Comparable<Identifier> {

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
