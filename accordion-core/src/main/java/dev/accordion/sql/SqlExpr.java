package dev.accordion.sql;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A SQL expression or statement written by the user (a default, a check, {@code up}/{@code down},
 * a predicate, a type). It is opaque: Accordion inserts it verbatim and never rewrites its text.
 */
public record SqlExpr(String text) {

    public SqlExpr {
        Objects.requireNonNull(text, "expression");
    }

    @JsonCreator
    public static SqlExpr of(String text) {
        return new SqlExpr(text);
    }

    @JsonValue
    @Override
    public String toString() {
        return text;
    }
}
