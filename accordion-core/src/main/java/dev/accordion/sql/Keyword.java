package dev.accordion.sql;

/**
 * A fixed piece of SQL chosen by Accordion's own code from a closed set (a lock mode, an index
 * method keyword, {@code ASC}). Never built from user input.
 */
public record Keyword(String text) {
    public static Keyword of(String text) {
        return new Keyword(text);
    }
}
