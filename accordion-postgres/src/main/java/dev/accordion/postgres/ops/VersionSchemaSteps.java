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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Version schemas: one simple, automatically updatable view per table that maps physical to
 * logical column names. Views reference columns by number, so renames at complete do not disturb
 * them. Defaults are not copied onto views: PostgreSQL applies the table's default to a column an
 * INSERT through such a view leaves out.
 */
public final class VersionSchemaSteps {

    private VersionSchemaSteps() {
    }

    /**
     * Creates a version schema with a view per table of {@code logical}. When {@code logical} is
     * empty (the migration ran user SQL), the views are derived from the catalog when the step runs.
     */
    public static Step create(StepId id, Identifier schema, Identifier versionSchema, Optional<SchemaSnapshot> logical,
                              boolean securityInvoker, BiFunction<Connection, Identifier, SchemaSnapshot> reader) {
        return new Step() {
            @Override
            public StepId id() {
                return id;
            }

            @Override
            public String summary() {
                return "create version schema " + SQL.quote(versionSchema) + " with a view per table";
            }

            @Override
            public boolean transactional() {
                return true;
            }

            @Override
            public List<LockClaim> locks() {
                return logical.map(s -> s.tables().stream()
                        .map(t -> Locks.on(LockLevel.ACCESS_SHARE, new QualifiedName(schema, t.physicalName()))).toList())
                        .orElse(List.of());
            }

            @Override
            public List<String> plannedSql() {
                return logical.map(s -> statements(schema, versionSchema, s, securityInvoker))
                        .orElse(List.of(SQL.format("CREATE SCHEMA {}", versionSchema),
                                "-- and a view per table, read from the catalog after the migration's SQL has run"));
            }

            @Override
            public List<String> sqlToRun(Connection connection) {
                return statements(schema, versionSchema, logical.orElseGet(() -> reader.apply(connection, schema)), securityInvoker);
            }
        };
    }

    private static List<String> statements(Identifier schema, Identifier versionSchema, SchemaSnapshot logical,
                                           boolean securityInvoker) {
        List<String> sql = new ArrayList<>();
        sql.add(SQL.format("CREATE SCHEMA IF NOT EXISTS {}", versionSchema));
        for (Table table : logical.tables()) {
            sql.add(view(schema, versionSchema, table, securityInvoker));
        }
        return sql;
    }

    static String view(Identifier schema, Identifier versionSchema, Table table, boolean securityInvoker) {
        List<SqlColumn> columns = table.columns().stream().map(SqlColumn::of).toList();
        String select = String.join(", ", columns.stream().map(SqlColumn::sql).toList());
        return SQL.format("CREATE OR REPLACE VIEW {}" + (securityInvoker ? " WITH (security_invoker = true)" : "")
                        + " AS SELECT " + select + " FROM {}",
                new QualifiedName(versionSchema, table.name()), new QualifiedName(schema, table.physicalName()));
    }

    private record SqlColumn(String sql) {
        static SqlColumn of(Column column) {
            return new SqlColumn(SQL.format("{} AS {}", column.physicalName(), column.name()));
        }
    }

    /**
     * Drops a version schema and its views: locks every view first (clients lock a view before its
     * table, so taking them in that order cannot deadlock with them), then drops. The views are read
     * from the catalog when the step runs; without CASCADE, a user's own object that depends on a
     * view stops the drop with an error instead of vanishing.
     */
    public static Step drop(StepId id, Identifier versionSchema, List<Identifier> plannedViews) {
        return new Step() {
            @Override
            public StepId id() {
                return id;
            }

            @Override
            public String summary() {
                return "drop version schema " + SQL.quote(versionSchema) + " and its views";
            }

            @Override
            public boolean transactional() {
                return true;
            }

            @Override
            public List<LockClaim> locks() {
                return plannedViews.stream().map(v -> Locks.accessExclusive(new QualifiedName(versionSchema, v))).toList();
            }

            @Override
            public List<String> plannedSql() {
                return dropStatements(versionSchema, plannedViews);
            }

            @Override
            public List<String> sqlToRun(Connection connection) throws SQLException {
                return dropStatements(versionSchema, viewsIn(connection, versionSchema));
            }
        };
    }

    private static List<String> dropStatements(Identifier versionSchema, List<Identifier> views) {
        List<String> sql = new ArrayList<>();
        if (!views.isEmpty()) {
            sql.add(SQL.format("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE",
                    views.stream().map(v -> new QualifiedName(versionSchema, v)).toList()));
        }
        views.forEach(v -> sql.add(SQL.format("DROP VIEW IF EXISTS {}", new QualifiedName(versionSchema, v))));
        sql.add(SQL.format("DROP SCHEMA IF EXISTS {}", versionSchema));
        return sql;
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
