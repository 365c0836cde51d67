package dev.accordion.sql;

/** How one database engine quotes names and string literals. */
public interface Quoting {
    String quote(Identifier identifier);

    String literal(String value);
}
