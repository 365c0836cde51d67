package dev.accordion.postgres.sync;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlExpr;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether an expression over a table's row gives today the value it gave when the row was written, which is what the
 * agreement check assumes when it recomputes {@code up} or {@code down}. It does only when everything it calls is
 * IMMUTABLE and it reads nothing but the row: {@code random()}, {@code nextval()}, {@code now()},
 * {@code CURRENT_TIMESTAMP}, a cast whose text form depends on a session setting (timestamptz to text) or a
 * sub-select over a table (whose rows may have changed since) give another value now.
 *
 * <p>PostgreSQL is asked, not the text guessed at: the expression becomes a temporary view in a transaction that is
 * rolled back, and the view's stored query tree ({@code pg_rewrite.ev_action}) names every function, operator, cast
 * and relation it uses by oid, sub-selects and nested expressions included. Index expressions would check volatility
 * too, but refuse every sub-select, and the names bound by {@code NameBinding} are sub-selects.
 */
final class Recomputation {

    private static final Identifier PROBE = Identifier.of("_acc_recompute_probe");
    private static final Pattern FUNCTION = Pattern.compile(
            "\\{FUNCEXPR :funcid (\\d+)|:opfuncid (\\d+)|\\{AGGREF :aggfnoid (\\d+)|\\{WINDOWFUNC :winfnoid (\\d+)");
    private static final Pattern RELATION = Pattern.compile(":rtekind 0 :relid (\\d+)");
    private static final Pattern TYPE = Pattern.compile(":(?:vartype|consttype|resulttype|funcresulttype|opresulttype|aggtype) (\\d+)");

    private Recomputation() {
    }

    /**
     * Why {@code expression}, over the columns of {@code table}, cannot be recomputed, e.g. "calls random(), which is
     * volatile"; empty when it can. Runs in a transaction of its own that it rolls back; the connection must have none open.
     */
    static Optional<String> whyNot(Connection connection, QualifiedName table, SqlExpr expression) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            return whyNotInTrial(connection, table, expression);
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    private static Optional<String> whyNotInTrial(Connection connection, QualifiedName table, SqlExpr expression) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(SQL.format("CREATE TEMPORARY VIEW {} AS SELECT ({}) AS value FROM {}", PROBE, expression, table));
        }
        String tree;
        long view;
        long tableOid;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT r.ev_action::text, r.ev_class::bigint, to_regclass(?)::oid::bigint FROM pg_rewrite r "
                        + "WHERE r.ev_class = to_regclass(?) AND r.rulename = '_RETURN'")) {
            statement.setString(1, SQL.quote(table));
            statement.setString(2, "pg_temp." + SQL.quote(PROBE));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                tree = rs.getString(1);
                view = rs.getLong(2);
                tableOid = rs.getLong(3);
            }
        }
        List<String> reasons = new ArrayList<>();
        if (tree.contains("{SQLVALUEFUNCTION") || tree.contains("{NEXTVALUEEXPR")) {
            reasons.add("reads the clock, a session setting or a sequence (CURRENT_TIMESTAMP, CURRENT_USER, an identity)");
        }
        Set<Long> functions = oids(FUNCTION, tree);
        reasons.addAll(strings(connection, "SELECT format('calls %s(), which is %s', p.oid::regproc, CASE p.provolatile "
                + "WHEN 's' THEN 'stable' ELSE 'volatile' END) FROM pg_proc p WHERE p.oid = ANY (CAST(? AS bigint[])::oid[]) AND p.provolatile <> 'i' ORDER BY 1",
                functions));
        if (tree.contains("{COERCEVIAIO")) {
            // A cast through text uses the types' input and output functions, which the tree does not name.
            reasons.addAll(strings(connection, "SELECT format('casts %s through its text form, which depends on session settings', "
                    + "t.oid::regtype) FROM pg_type t JOIN pg_proc i ON i.oid = t.typinput JOIN pg_proc o ON o.oid = t.typoutput "
                    + "WHERE t.oid = ANY (CAST(? AS bigint[])::oid[]) AND (i.provolatile <> 'i' OR o.provolatile <> 'i') ORDER BY 1", oids(TYPE, tree)));
        }
        List<Long> relations = new ArrayList<>();
        Matcher relation = RELATION.matcher(tree);
        while (relation.find()) {
            relations.add(Long.parseLong(relation.group(1)));
        }
        relations.removeIf(oid -> oid == view); // the view's own OLD and NEW entries (PostgreSQL 15 and older)
        relations.remove(Long.valueOf(tableOid)); // the row itself, once; another reference is a sub-select over the table
        reasons.addAll(strings(connection, "SELECT format('reads table %s, whose rows may have changed since', c.oid::regclass) "
                + "FROM pg_class c WHERE c.oid = ANY (CAST(? AS bigint[])::oid[]) ORDER BY 1", new LinkedHashSet<>(relations)));
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    private static Set<Long> oids(Pattern pattern, String tree) {
        Set<Long> oids = new LinkedHashSet<>();
        Matcher matcher = pattern.matcher(tree);
        while (matcher.find()) {
            for (int group = 1; group <= matcher.groupCount(); group++) {
                if (matcher.group(group) != null) {
                    oids.add(Long.parseLong(matcher.group(group)));
                }
            }
        }
        return oids;
    }

    private static List<String> strings(Connection connection, String sql, Set<Long> oids) throws SQLException {
        if (oids.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            Array array = connection.createArrayOf("bigint", oids.toArray());
            statement.setArray(1, array);
            List<String> found = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            return found;
        }
    }
}
