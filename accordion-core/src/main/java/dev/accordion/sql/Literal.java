package dev.accordion.sql;

/** A string value that {@link SqlBuilder} renders as a quoted SQL string literal. */
public record Literal(String value) {
    public static Literal of(String value) {
        return new Literal(value);
    }
}
