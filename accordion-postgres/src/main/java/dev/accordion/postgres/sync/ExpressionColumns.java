package dev.accordion.postgres.sync;

import dev.accordion.sql.Identifier;
import dev.accordion.sql.SqlExpr;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.postgresql.core.Parser;

/**
 * Which of a table's columns an {@code up}/{@code down} expression may read, so that the sync trigger fires
 * only on updates of those columns. The expression is only read, never changed: every name it holds outside
 * literals and comments (pgjdbc's lexer skips those) counts, so a function or a column of another table that
 * shares a name only makes the answer larger, which is safe; a column the expression reads is never missed.
 */
public final class ExpressionColumns {

    private ExpressionColumns() {
    }

    public static Set<Identifier> readBy(SqlExpr expression, Collection<Identifier> columns) {
        Set<String> names = names(expression.text());
        Set<Identifier> read = new HashSet<>();
        for (Identifier column : columns) {
            if (names.contains(column.name())) {
                read.add(column);
            }
        }
        return read;
    }

    /** Every identifier in the SQL: unquoted ones folded to lower case as PostgreSQL does, quoted ones as written. */
    static Set<String> names(String sql) {
        char[] chars = sql.toCharArray();
        Set<String> names = new HashSet<>();
        int i = 0;
        while (i < chars.length) {
            char c = chars[i];
            if (c == '\'') {
                i = Parser.parseSingleQuotes(chars, i, true) + 1;
            } else if (c == '"') {
                int end = Parser.parseDoubleQuotes(chars, i);
                while (end + 1 < chars.length && chars[end + 1] == '"') { // "" is a quote inside the name
                    end = Parser.parseDoubleQuotes(chars, end + 1);
                }
                names.add(new String(chars, i + 1, Math.max(0, end - i - 1)).replace("\"\"", "\""));
                i = end + 1;
            } else if (c == '$' && i + 1 < chars.length && !Character.isDigit(chars[i + 1])) {
                int end = Parser.parseDollarQuotes(chars, i);
                i = end == i ? i + 1 : end + 1;
            } else if (c == '-' && i + 1 < chars.length && chars[i + 1] == '-') {
                i = Parser.parseLineComment(chars, i) + 1;
            } else if (c == '/' && i + 1 < chars.length && chars[i + 1] == '*') {
                i = Parser.parseBlockComment(chars, i) + 1;
            } else if (Parser.isIdentifierStartChar(c)) {
                int start = i;
                while (i < chars.length && Parser.isIdentifierContChar(chars[i])) {
                    i++;
                }
                // E'...', B'...', U&'...' and X'...' prefix a string literal, which the next turn skips.
                names.add(new String(chars, start, i - start).toLowerCase(Locale.ROOT));
            } else {
                i++;
            }
        }
        return names;
    }
}
