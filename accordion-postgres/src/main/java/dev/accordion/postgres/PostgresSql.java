package dev.accordion.postgres;

import dev.accordion.sql.Identifier;
import dev.accordion.sql.Quoting;
import dev.accordion.sql.SqlBuilder;

/** PostgreSQL's quoting: names in double quotes, string literals in single quotes, each doubled inside. */
public final class PostgresSql {

    public static final SqlBuilder SQL = new SqlBuilder(new Quoting() {
        @Override
        public String quote(Identifier identifier) {
            return '"' + identifier.name().replace("\"", "\"\"") + '"';
        }

        @Override
        public String literal(String value) {
            return '\'' + value.replace("'", "''") + '\'';
        }
    });

    private PostgresSql() {
    }
}
