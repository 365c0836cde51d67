package dev.accordion.sql;

/** A schema-qualified object name, quoted as {@code "schema"."name"}. */
public record QualifiedName(Identifier schema, Identifier name) {

    public static QualifiedName of(Identifier schema, Identifier name) {
        return new QualifiedName(schema, name);
    }

    public static QualifiedName of(String schema, String name) {
        return new QualifiedName(Identifier.of(schema), Identifier.of(name));
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
