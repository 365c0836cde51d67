package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.plan.LockClaim;
import dev.accordion.plan.LockLevel;
import dev.accordion.plan.Step;
import dev.accordion.plan.StepId;
import dev.accordion.postgres.Locks;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlBuilder.Fragment;
import dev.accordion.sql.SqlExpr;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds, concurrently, a copy of an index of a column on the column's shadow (DESIGN §5, "Faithful shadow columns").
 * The definition is assembled when the step runs from the original index's catalog rows (access method, key and
 * INCLUDE columns, collations and operator classes that differ from the defaults, sort order, NULLS NOT DISTINCT,
 * storage parameters, tablespace), with the shadows in place of the columns; no definition text is rewritten. An
 * index with expressions or a predicate is refused by validation. As with {@link ConcurrentIndexStep}, an INVALID
 * leftover of a failed build is dropped and built again ({@link ConcurrentIndexStep#buildOrRebuild}).
 */
record ShadowIndexStep(StepId id, QualifiedName table, QualifiedName original, QualifiedName copy,
                       Map<Identifier, Identifier> shadows) implements Step {

    /** @param shadows each replaced column's shadow, by the column's name in the catalog, in the operation's order */
    ShadowIndexStep {
        shadows = Collections.unmodifiableMap(new LinkedHashMap<>(shadows));
    }

    /** {@code indnullsnotdistinct} came with PostgreSQL 15; read through to_jsonb, an older server's row lacks it (false). */
    private static final String DEFINITION = """
            SELECT am.amname, i.indisunique, coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false), i.indnkeyatts, i.indexprs IS NULL AND i.indpred IS NULL,
                   ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY u(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum ORDER BY u.ord)::text[],
                   ARRAY(SELECT CASE WHEN u.coll = 0 OR u.coll = a.attcollation THEN ARRAY['', ''] ELSE ARRAY[cn.nspname, co.collname] END
                         FROM unnest(i.indcollation) WITH ORDINALITY u(coll, ord)
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[u.ord - 1]
                         LEFT JOIN pg_collation co ON co.oid = u.coll LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
                         ORDER BY u.ord)::text[],
                   ARRAY(SELECT CASE WHEN oc.opcdefault THEN ARRAY['', ''] ELSE ARRAY[ocn.nspname, oc.opcname] END
                         FROM unnest(i.indclass) WITH ORDINALITY u(opc, ord)
                         JOIN pg_opclass oc ON oc.oid = u.opc JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
                         ORDER BY u.ord)::text[],
                   ARRAY(SELECT u.opt FROM unnest(i.indoption) WITH ORDINALITY u(opt, ord) ORDER BY u.ord)::int[],
                   ic.reloptions, ts.spcname
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
            LEFT JOIN pg_tablespace ts ON ts.oid = ic.reltablespace
            WHERE i.indexrelid = to_regclass(?)""";

    @Override
    public String summary() {
        return "build " + SQL.quote(copy.name()) + " concurrently on " + SQL.format("{}", List.copyOf(shadows.values()))
                + ", a copy of index " + SQL.quote(original);
    }

    @Override
    public boolean transactional() {
        return false;
    }

    @Override
    public List<LockClaim> locks() {
        return List.of(Locks.on(LockLevel.SHARE_UPDATE_EXCLUSIVE, table));
    }

    @Override
    public List<String> plannedSql() {
        return List.of(SQL.format("-- CREATE INDEX CONCURRENTLY {} ON {} as index {} is, on {} instead of {} (read from pg_index when it runs)",
                copy.name(), table, original, List.copyOf(shadows.values()), List.copyOf(shadows.keySet())));
    }

    @Override
    public List<String> sqlToRun(Connection connection) throws SQLException {
        return ConcurrentIndexStep.buildOrRebuild(connection, copy, () -> definition(connection));
    }

    private String definition(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(DEFINITION)) {
            statement.setString(1, SQL.quote(original));
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("index " + SQL.quote(original) + " is gone; it cannot be copied to " + SQL.format("{}",
                            List.copyOf(shadows.values())));
                }
                if (!rs.getBoolean(5)) {
                    throw new SQLException("index " + SQL.quote(original) + " has expressions or a predicate, which a shadow cannot carry");
                }
                String method = rs.getString(1);
                boolean unique = rs.getBoolean(2);
                boolean nullsNotDistinct = rs.getBoolean(3);
                int keys = rs.getInt(4);
                String[] columns = strings(rs.getArray(6));
                String[][] collations = pairs(rs.getArray(7), columns.length);
                String[][] opclasses = pairs(rs.getArray(8), columns.length);
                Integer[] options = (Integer[]) rs.getArray(9).getArray();
                Array reloptions = rs.getArray(10);
                String tablespace = rs.getString(11);

                List<Fragment> keyParts = new ArrayList<>();
                List<Identifier> included = new ArrayList<>();
                for (int i = 0; i < columns.length; i++) {
                    Identifier name = shadows.getOrDefault(Identifier.of(columns[i]), Identifier.of(columns[i]));
                    if (i >= keys) {
                        included.add(name);
                        continue;
                    }
                    StringBuilder part = new StringBuilder(SQL.quote(name));
                    if (collations[i] != null) {
                        part.append(SQL.format(" COLLATE {}", qualified(collations[i])));
                    }
                    if (opclasses[i] != null) {
                        part.append(SQL.format(" {}", qualified(opclasses[i])));
                    }
                    boolean descending = (options[i] & 1) != 0;
                    boolean nullsFirst = (options[i] & 2) != 0;
                    part.append(descending ? " DESC" : "");
                    if (nullsFirst != descending) {
                        part.append(nullsFirst ? " NULLS FIRST" : " NULLS LAST");
                    }
                    keyParts.add(new Fragment(part.toString()));
                }
                StringBuilder sql = new StringBuilder(SQL.format("CREATE {}INDEX CONCURRENTLY {} ON {} USING {} ({})",
                        SqlExpr.of(unique ? "UNIQUE " : ""), copy.name(), table, Identifier.of(method), keyParts));
                if (!included.isEmpty()) {
                    sql.append(SQL.format(" INCLUDE ({})", included));
                }
                if (nullsNotDistinct) {
                    sql.append(" NULLS NOT DISTINCT");
                }
                if (reloptions != null) {
                    sql.append(SQL.format(" WITH ({})", List.of(strings(reloptions)).stream().map(SqlExpr::of).toList()));
                }
                if (tablespace != null) {
                    sql.append(SQL.format(" TABLESPACE {}", Identifier.of(tablespace)));
                }
                return sql.toString();
            }
        }
    }

    /** A text[][] of (schema, name) pairs, one per index column, or null where the default applies (empty names). */
    private static String[][] pairs(Array array, int length) throws SQLException {
        String[][] pairs = new String[length][];
        Object[] rows = (Object[]) array.getArray();
        for (int i = 0; i < rows.length && i < length; i++) {
            String[] pair = (String[]) rows[i];
            pairs[i] = pair[1].isEmpty() ? null : pair;
        }
        return pairs;
    }

    private static QualifiedName qualified(String[] pair) {
        return new QualifiedName(Identifier.of(pair[0]), Identifier.of(pair[1]));
    }

    private static String[] strings(Array array) throws SQLException {
        return (String[]) array.getArray();
    }
}
