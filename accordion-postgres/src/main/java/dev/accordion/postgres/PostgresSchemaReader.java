package dev.accordion.postgres;

import dev.accordion.schema.Column;
import dev.accordion.schema.Constraint;
import dev.accordion.schema.ConstraintType;
import dev.accordion.schema.Index;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads one schema's tables, columns, constraints and indexes from the catalog into a snapshot. */
final class PostgresSchemaReader {

    private static final String TABLES = """
            SELECT c.oid, c.relname, obj_description(c.oid, 'pg_class') AS comment
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            ORDER BY c.relname""";

    private static final String COLUMNS = """
            SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,
                   CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS default_expr,
                   col_description(a.attrelid, a.attnum) AS comment, a.attidentity, a.attgenerated
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attrelid, a.attnum""";

    private static final String CONSTRAINTS = """
            SELECT k.conrelid, k.conname, k.contype, ft.relname AS referenced,
                   ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord)::text[] AS columns
            FROM pg_constraint k
            JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_class ft ON ft.oid = k.confrelid
            WHERE n.nspname = ? AND k.contype IN ('p', 'u', 'c', 'f', 'x')
            ORDER BY k.conrelid, k.conname""";

    /** Indexes that back no constraint; those that do belong to their constraint. */
    private static final String INDEXES = """
            SELECT i.indrelid, ic.relname, i.indisunique,
                   ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY u(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum ORDER BY u.ord)::text[] AS columns
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
            WHERE n.nspname = ? AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
            ORDER BY i.indrelid, ic.relname""";

    private PostgresSchemaReader() {
    }

    static SchemaSnapshot read(Connection connection, Identifier schema) throws SQLException {
        Map<Long, TableParts> tables = new LinkedHashMap<>();
        query(connection, TABLES, schema, rs -> tables.put(rs.getLong(1),
                new TableParts(Identifier.of(rs.getString(2)), Optional.ofNullable(rs.getString(3)))));
        query(connection, COLUMNS, schema, rs -> part(tables, rs).columns.add(column(rs)));
        query(connection, CONSTRAINTS, schema, rs -> part(tables, rs).constraints.add(new Constraint(
                Identifier.of(rs.getString(2)), constraintType(rs.getString(3)), names(rs.getArray(5)),
                Optional.ofNullable(rs.getString(4)).map(Identifier::of))));
        query(connection, INDEXES, schema, rs -> part(tables, rs).indexes.add(
                new Index(Identifier.of(rs.getString(2)), names(rs.getArray(4)), rs.getBoolean(3))));
        return new SchemaSnapshot(tables.values().stream().map(TableParts::toTable).toList());
    }

    private static Column column(ResultSet rs) throws SQLException {
        Identifier name = Identifier.of(rs.getString(2));
        Column.Generation generation = switch (rs.getString(7) + rs.getString(8)) {
            case "a" -> Column.Generation.IDENTITY_ALWAYS;
            case "d" -> Column.Generation.IDENTITY_BY_DEFAULT;
            case "s" -> Column.Generation.STORED;
            default -> Column.Generation.NONE;
        };
        return new Column(name, name, rs.getString(3), !rs.getBoolean(4), Optional.ofNullable(rs.getString(5)),
                Optional.ofNullable(rs.getString(6)), generation);
    }

    private static ConstraintType constraintType(String code) {
        return switch (code) {
            case "p" -> ConstraintType.PRIMARY_KEY;
            case "u" -> ConstraintType.UNIQUE;
            case "c" -> ConstraintType.CHECK;
            case "f" -> ConstraintType.FOREIGN_KEY;
            case "x" -> ConstraintType.EXCLUDE;
            default -> throw new IllegalArgumentException("constraint type " + code);
        };
    }

    private static List<Identifier> names(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.stream((String[]) array.getArray()).map(Identifier::of).toList();
    }

    private static TableParts part(Map<Long, TableParts> tables, ResultSet rs) throws SQLException {
        TableParts parts = tables.get(rs.getLong(1));
        if (parts == null) {
            throw new SQLException("table oid " + rs.getLong(1) + " appeared while the schema was being read; read it again");
        }
        return parts;
    }

    private interface RowHandler {
        void handle(ResultSet rs) throws SQLException;
    }

    private static void query(Connection connection, String sql, Identifier schema, RowHandler handler) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema.name());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    handler.handle(rs);
                }
            }
        }
    }

    private static final class TableParts {
        final Identifier name;
        final Optional<String> comment;
        final List<Column> columns = new ArrayList<>();
        final List<Constraint> constraints = new ArrayList<>();
        final List<Index> indexes = new ArrayList<>();

        TableParts(Identifier name, Optional<String> comment) {
            this.name = name;
            this.comment = comment;
        }

        Table toTable() {
            return new Table(name, name, columns, constraints, indexes, comment);
        }
    }
}
