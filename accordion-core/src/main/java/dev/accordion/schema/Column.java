package dev.accordion.schema;

import dev.accordion.sql.Identifier;
import java.util.Optional;

/**
 * A column as one version sees it: {@code name} is the logical name, {@code physicalName} the name
 * the column has in the table while a migration is active (they differ during a rename).
 * {@code defaultExpr} is SQL text, as the user or the catalog wrote it.
 */
public record Column(Identifier name, Identifier physicalName, String type, boolean nullable,
                     Optional<String> defaultExpr, Optional<String> comment, Generation generation) {

    /** How the database fills the column, if it does. */
    public enum Generation { NONE, IDENTITY_ALWAYS, IDENTITY_BY_DEFAULT, STORED }

    public static Column of(Identifier name, String type, boolean nullable) {
        return new Column(name, name, type, nullable, Optional.empty(), Optional.empty(), Generation.NONE);
    }

    private static final String SHADOW_PREFIX = "_acc_new_";

    public Column renamed(Identifier newName) {
        return new Column(newName, physicalName, type, nullable, defaultExpr, comment, generation);
    }

    /**
     * This column, held during a migration by a shadow column ({@code _acc_new_<name>}) that takes its new shape
     * beside the old one; complete gives the shadow the column's name.
     */
    public Column inShadow() {
        return new Column(name, Identifier.generated(SHADOW_PREFIX + physicalName.name()), type, nullable, defaultExpr, comment,
                generation);
    }

    /** Whether an earlier operation of the migration already moved this column to a shadow ({@link #inShadow()}). */
    public boolean isShadow() {
        return physicalName.name().startsWith(SHADOW_PREFIX);
    }

    public Column settled() {
        return new Column(name, name, type, nullable, defaultExpr, comment, generation);
    }

    /** Whether an INSERT that leaves this column out still gets a value. */
    public boolean hasDefault() {
        return defaultExpr.isPresent() || generation != Generation.NONE;
    }
}
