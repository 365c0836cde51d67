package dev.accordion.postgres.crash;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What a schema and its version schemas hold, as sorted lines of text that two databases can be compared by: schemas,
 * relations, columns (in order, with type, nullability, default and comment), constraints (with whether they are
 * validated), indexes (with validity), triggers, functions, views and sequences, every table's rows, and the state of
 * Accordion's migrations. OIDs never appear, so copies of a database compare equal.
 */
final class CatalogFacts {

    private static final String OURS = "(n.nspname = 'public' OR n.nspname LIKE 'public\\_%')";

    private static final List<String> QUERIES = List.of(
            "SELECT 'schema ' || n.nspname FROM pg_namespace n WHERE " + OURS,
            "SELECT format('relation %s.%s kind %s options %s replica identity %s', n.nspname, c.relname, c.relkind, c.reloptions,"
                    + " c.relreplident) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + OURS,
            """
            SELECT format('column %s.%s #%s %s %s not null %s default %s identity %s generated %s comment %s',
                          n.nspname, c.relname,
                          rank() OVER (PARTITION BY a.attrelid ORDER BY a.attnum), a.attname, format_type(a.atttypid, a.atttypmod),
                          a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, col_description(c.oid, a.attnum))
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND """ + OURS,
            "SELECT format('constraint %s on %s: %s validated %s deferrable %s', c.conname, c.conrelid::regclass, "
                    + "pg_get_constraintdef(c.oid), c.convalidated, c.condeferrable) FROM pg_constraint c "
                    + "JOIN pg_namespace n ON n.oid = c.connamespace WHERE " + OURS,
            "SELECT format('index %s valid %s ready %s', pg_get_indexdef(i.indexrelid), i.indisvalid, i.indisready) FROM pg_index i "
                    + "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + OURS,
            "SELECT format('trigger %s enabled %s', pg_get_triggerdef(t.oid), t.tgenabled) FROM pg_trigger t "
                    + "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND " + OURS,
            "SELECT 'function ' || pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                    + "WHERE p.prokind IN ('f', 'p') AND " + OURS,
            "SELECT format('view %s.%s options %s: %s', n.nspname, c.relname, c.reloptions, pg_get_viewdef(c.oid)) FROM pg_class c "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'v' AND " + OURS,
            "SELECT format('sequence %s.%s owned by %s', n.nspname, c.relname, (SELECT d.refobjid::regclass || '.' || d.refobjsubid "
                    + "FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i') LIMIT 1)) "
                    + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND " + OURS);

    private CatalogFacts() {
    }

    static List<String> of(String database) {
        try (Connection connection = ScratchDatabases.connect(database); Statement statement = connection.createStatement()) {
            List<String> facts = new ArrayList<>();
            for (String query : QUERIES) {
                facts.addAll(lines(statement, query));
            }
            for (String table : lines(statement, "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public'")) {
                facts.addAll(lines(statement, "SELECT 'row of " + table.replace("'", "''") + ": ' || to_jsonb(t)::text FROM " + table + " t"));
            }
            if (!lines(statement, "SELECT 1 FROM pg_namespace WHERE nspname = 'accordion'").isEmpty()) {
                facts.addAll(lines(statement, "SELECT format('migration %s %s', name, status) FROM accordion.migrations"));
            }
            facts.sort(null);
            return facts;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the catalog of " + database + ": " + e.getMessage(), e);
        }
    }

    private static List<String> lines(Statement statement, String query) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery(query)) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        return lines;
    }
}
