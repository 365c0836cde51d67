package dev.accordion.postgres;

import dev.accordion.sql.SqlExpr;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL's serial pseudo-types: an integer column whose default takes the next value of a sequence the column
 * owns. Accordion adds such a column to a table with rows in parts (sequence, column, default, then the old rows'
 * values in batches), since {@code ADD COLUMN … serial} would rewrite the table under an exclusive lock.
 */
public final class SerialTypes {

    private static final Map<String, String> INTEGER_OF = Map.of(
            "smallserial", "smallint", "serial2", "smallint",
            "serial", "integer", "serial4", "integer",
            "bigserial", "bigint", "serial8", "bigint");

    private SerialTypes() {
    }

    /** The integer type a serial type stands for ({@code bigint} for {@code bigserial}); empty for any other type. */
    public static Optional<SqlExpr> integerOf(SqlExpr type) {
        return Optional.ofNullable(type).map(t -> INTEGER_OF.get(t.text().trim().toLowerCase(Locale.ROOT))).map(SqlExpr::of);
    }
}
