package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.plan.LockClaim;
import dev.accordion.plan.LockLevel;
import dev.accordion.plan.Step;
import dev.accordion.plan.StepId;
import dev.accordion.postgres.Locks;
import dev.accordion.schema.Column;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.QualifiedName;
import dev.accordion.sql.SqlBuilder.Fragment;
import dev.accordion.sql.SqlExpr;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Version schemas: one simple, automatically updatable view per table that maps physical to
 * logical column names. Views reference columns by number, so renames at complete do not disturb
 * them. Every column default of the version is declared on its view column (DESIGN §2): PostgreSQL applies the
 * table's default to a column an INSERT through the view leaves out, but {@code UPDATE … SET c = DEFAULT} through a
 * view column without a default writes NULL, and during a migration the table's column is not always the one whose
 * default the version promises (the old column beside a shadow with the new default).
 */
public final class VersionSchemaSteps {

    private static final String VIEWS_FROM_CATALOG = "-- and a view per table, read from the catalog after the migration's SQL has run";

    private VersionSchemaSteps() {
    }

    /**
     * Creates a version schema with a view per table of {@code logical}. When {@code logical} is
     * empty (the migration ran user SQL), the views are derived from the catalog when the step runs.
     */
    public static Step create(StepId id, Identifier schema, Identifier versionSchema, Optional<SchemaSnapshot> logical,
                              boolean securityInvoker, BiFunction<Connection, Identifier, SchemaSnapshot> reader) {
        List<LockClaim> locks = logical.map(s -> s.tables().stream()
                .map(t -> Locks.on(LockLevel.ACCESS_SHARE, new QualifiedName(schema, t.physicalName()))).toList()).orElse(List.of());
        List<String> planned = new ArrayList<>(logical.map(s -> planned(schema, versionSchema, s, securityInvoker))
                .orElse(List.of(SQL.format("CREATE SCHEMA IF NOT EXISTS {}", versionSchema), VIEWS_FROM_CATALOG)));
        planned.add(VersionGrants.PLANNED);
        return new CatalogStep(id, "create version schema " + SQL.quote(versionSchema) + " with a view per table", locks, planned,
                connection -> withGrants(connection, schema, versionSchema, logical.orElseGet(() -> reader.apply(connection, schema)),
                        securityInvoker));
    }

    /** The schema and its views, then the privileges roles hold on the base schema and tables (see {@link VersionGrants}). */
    private static List<String> withGrants(Connection connection, Identifier schema, Identifier versionSchema, SchemaSnapshot logical,
                                           boolean securityInvoker) throws SQLException {
        List<String> sql = new ArrayList<>(statements(schema, versionSchema, logical, securityInvoker, SerialDefault.inCatalog(connection)));
        sql.addAll(VersionGrants.statements(connection, schema, versionSchema, logical, securityInvoker));
        return sql;
    }

    /**
     * Runs SQL on the tables behind a live version schema and rebuilds its views around it, in one transaction: the
     * SQL may drop or retype columns the views use (which the views would forbid, and CREATE OR REPLACE VIEW cannot
     * follow), and clients must see the old views or the new ones, never none. The drops and the SQL run while the
     * step's statements are decided, because the new views can only be read from the catalog after them.
     */
    public static Step rebuildAround(StepId id, Identifier schema, Identifier versionSchema, List<Identifier> plannedViews,
                                     List<String> sql, boolean securityInvoker,
                                     BiFunction<Connection, Identifier, SchemaSnapshot> reader) {
        List<String> planned = new ArrayList<>(dropViewStatements(versionSchema, plannedViews));
        planned.addAll(sql);
        planned.add(VIEWS_FROM_CATALOG);
        planned.add(VersionGrants.PLANNED);
        return new CatalogStep(id, "run the migration's SQL (onComplete) and rebuild the views of " + SQL.quote(versionSchema),
                plannedViews.stream().map(v -> Locks.accessExclusive(new QualifiedName(versionSchema, v))).toList(), planned,
                connection -> {
                    List<String> first = new ArrayList<>(dropViewStatements(versionSchema, viewsIn(connection, versionSchema)));
                    first.addAll(sql);
                    try (Statement statement = connection.createStatement()) {
                        for (String each : first) {
                            statement.execute(each);
                        }
                    }
                    // The views were dropped, and their grants with them.
                    return withGrants(connection, schema, versionSchema, reader.apply(connection, schema), securityInvoker);
                });
    }

    private static List<String> planned(Identifier schema, Identifier versionSchema, SchemaSnapshot logical, boolean securityInvoker) {
        try {
            return statements(schema, versionSchema, logical, securityInvoker, SerialDefault.PLANNED);
        } catch (SQLException e) {
            throw new IllegalStateException("planning reads no catalog", e);
        }
    }

    private static List<String> statements(Identifier schema, Identifier versionSchema, SchemaSnapshot logical,
                                           boolean securityInvoker, SerialDefault serials) throws SQLException {
        List<String> sql = new ArrayList<>();
        sql.add(SQL.format("CREATE SCHEMA IF NOT EXISTS {}", versionSchema));
        for (Table table : logical.tables()) {
            sql.add(view(schema, versionSchema, table, securityInvoker));
            QualifiedName view = new QualifiedName(versionSchema, table.name());
            QualifiedName physical = new QualifiedName(schema, table.physicalName());
            for (Column column : table.columns()) {
                if (column.defaultExpr().isPresent()) {
                    sql.add(SQL.format("ALTER VIEW {} ALTER COLUMN {} SET DEFAULT {}", view, column.name(),
                            SqlExpr.of(column.defaultExpr().get())));
                } else if (isSerial(column)) {
                    sql.add(serials.defaultOf(view, physical, column));
                }
            }
        }
        return sql;
    }

    /**
     * A column declared {@code serial} by create_table in this migration has a default only PostgreSQL knows the text
     * of: the sequence it made for it, whose name it chose (shortened, numbered when taken).
     */
    private static boolean isSerial(Column column) {
        return SERIAL.matcher(column.type().strip()).matches();
    }

    private static final Pattern SERIAL = Pattern.compile("(?i)(small|big)?serial[248]?");

    /** The default statement of a serial column's view column. */
    private interface SerialDefault {
        String defaultOf(QualifiedName view, QualifiedName table, Column column) throws SQLException;

        SerialDefault PLANNED = (view, table, column) -> SQL.format("-- ALTER VIEW {} ALTER COLUMN {} SET DEFAULT", view, column.name())
                + " <the default PostgreSQL gave serial column " + SQL.format("{}.{}", table, column.physicalName())
                + ", read when the step runs>";

        static SerialDefault inCatalog(Connection connection) {
            return (view, table, column) -> {
                try (PreparedStatement statement = connection.prepareStatement("SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d "
                        + "JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = to_regclass(?) AND a.attname = ?")) {
                    statement.setString(1, SQL.quote(table));
                    statement.setString(2, column.physicalName().name());
                    try (ResultSet rs = statement.executeQuery()) {
                        if (!rs.next()) {
                            throw new SQLException("serial column " + SQL.format("{}.{}", table, column.physicalName())
                                    + " has no default in the catalog, so its view column in " + SQL.quote(view.schema())
                                    + " cannot get one; was the column's default dropped outside Accordion?");
                        }
                        return SQL.format("ALTER VIEW {} ALTER COLUMN {} SET DEFAULT {}", view, column.name(), SqlExpr.of(rs.getString(1)));
                    }
                }
            };
        }
    }

    static String view(Identifier schema, Identifier versionSchema, Table table, boolean securityInvoker) {
        // The select list goes in as fragments, never into the template: a name may contain "{}".
        List<Fragment> select = table.columns().stream()
                .map(column -> SQL.fragment("{} AS {}", column.physicalName(), column.name())).toList();
        Fragment options = SQL.fragment(securityInvoker ? " WITH (security_invoker = true)" : "");
        return SQL.format("CREATE OR REPLACE VIEW {}{} AS SELECT {} FROM {}", new QualifiedName(versionSchema, table.name()), options,
                select, new QualifiedName(schema, table.physicalName()));
    }

    /**
     * Drops a version schema and its views, which locks the views and none of their tables: clients lock a view
     * before its tables, so this cannot deadlock with them. The views are read
     * from the catalog when the step runs; without CASCADE, a user's own object that depends on a
     * view stops the drop with an error instead of vanishing.
     */
    public static Step drop(StepId id, Identifier versionSchema, List<Identifier> plannedViews) {
        return new CatalogStep(id, "drop version schema " + SQL.quote(versionSchema) + " and its views",
                plannedViews.stream().map(v -> Locks.accessExclusive(new QualifiedName(versionSchema, v))).toList(),
                dropStatements(versionSchema, plannedViews),
                connection -> dropStatements(versionSchema, viewsIn(connection, versionSchema)));
    }

    private static List<String> dropStatements(Identifier versionSchema, List<Identifier> views) {
        List<String> sql = new ArrayList<>(dropViewStatements(versionSchema, views));
        sql.add(SQL.format("DROP SCHEMA IF EXISTS {}", versionSchema));
        return sql;
    }

    private static List<String> dropViewStatements(Identifier versionSchema, List<Identifier> views) {
        // No LOCK TABLE on the views: since PostgreSQL 11 it also locks, in ACCESS EXCLUSIVE, every table a view
        // reads, one view's tables after the other, which deadlocks with a client whose trigger writes those tables
        // in the other order (split_table's two sides). DROP VIEW locks the view alone, so the drops, in one
        // transaction, take every view before anything else the step touches.
        return views.stream().map(v -> SQL.format("DROP VIEW IF EXISTS {}", new QualifiedName(versionSchema, v))).toList();
    }

    private static List<Identifier> viewsIn(Connection connection, Identifier versionSchema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relkind = 'v' ORDER BY c.relname""")) {
            statement.setString(1, versionSchema.name());
            List<Identifier> views = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    views.add(Identifier.of(rs.getString(1)));
                }
            }
            return views;
        }
    }
}
