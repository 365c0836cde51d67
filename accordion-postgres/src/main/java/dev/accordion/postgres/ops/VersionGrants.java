package dev.accordion.postgres.ops;

import static dev.accordion.postgres.PostgresSql.SQL;

import dev.accordion.schema.Column;
import dev.accordion.schema.SchemaSnapshot;
import dev.accordion.schema.Table;
import dev.accordion.sql.Identifier;
import dev.accordion.sql.Keyword;
import dev.accordion.sql.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The privileges roles hold on the base schema and its tables, carried to a version schema and its views when the
 * schema is created: otherwise only the view owner (Accordion's role) could use a version schema. Read from the
 * catalog as it is when the step runs: USAGE on the schema ({@code pg_namespace.nspacl}), SELECT/INSERT/UPDATE/DELETE on
 * each table ({@code pg_class.relacl}) and SELECT/INSERT/UPDATE on its columns ({@code pg_attribute.attacl}, granted on
 * the view column that shows that physical column). Grants made on the tables later do not follow.
 * <p>
 * With security_invoker views (PostgreSQL 15+) the base table's privileges and row-level security still apply to whoever
 * uses the view, so these grants only open the door the table already opens. On 13/14 a view reads its table with its
 * owner's rights, so a grant on the view of a table with row-level security would let the role past the policies
 * (the owner is exempt from them): such a table's view gets no grants, and a warning says so.
 */
final class VersionGrants {

    private static final Logger LOG = LoggerFactory.getLogger(VersionGrants.class);

    static final String PLANNED = "-- and GRANT on the schema and each view the privileges roles hold on the base schema and its tables"
            + " (read from the catalog when the step runs)";

    /** The privileges carried, a closed set: the catalog's privilege_type text is only used after it matched one. */
    private static final Set<String> TABLE_PRIVILEGES = Set.of("SELECT", "INSERT", "UPDATE", "DELETE");
    private static final Set<String> COLUMN_PRIVILEGES = Set.of("SELECT", "INSERT", "UPDATE");

    private VersionGrants() {
    }

    static List<String> statements(Connection connection, Identifier schema, Identifier versionSchema, SchemaSnapshot logical,
                                   boolean securityInvoker) throws SQLException {
        List<String> sql = new ArrayList<>();
        for (Grant grant : schemaUsage(connection, schema)) {
            sql.add(SQL.format("GRANT USAGE ON SCHEMA {} TO {}{}", versionSchema, grant.grantee(), grant.option()));
        }
        for (Table table : logical.tables()) {
            QualifiedName base = new QualifiedName(schema, table.physicalName());
            QualifiedName view = new QualifiedName(versionSchema, table.name());
            if (!securityInvoker && hasRowSecurity(connection, base)) {
                LOG.warn("no privileges granted on view {}: table {} has row-level security, and before PostgreSQL 15 a view "
                        + "reads its table with its owner's rights, so a role using the view would pass the policies; grant on the "
                        + "view by hand where the policies allow it, or use PostgreSQL 15 or newer", SQL.quote(view), SQL.quote(base));
                continue;
            }
            for (Grant grant : tableGrants(connection, base)) {
                sql.add(SQL.format("GRANT {} ON {} TO {}{}", Keyword.of(grant.privilege()), view, grant.grantee(), grant.option()));
            }
            Map<String, Identifier> viewColumns = new LinkedHashMap<>();
            for (Column column : table.columns()) {
                viewColumns.put(column.physicalName().name(), column.name());
            }
            for (ColumnGrant grant : columnGrants(connection, base)) {
                // A physical column no view column shows (a shadow's old column, one this version drops) gives nothing.
                Optional.ofNullable(viewColumns.get(grant.column())).ifPresent(viewColumn ->
                        sql.add(SQL.format("GRANT {} ({}) ON {} TO {}{}", Keyword.of(grant.grant().privilege()), viewColumn, view,
                                grant.grant().grantee(), grant.grant().option())));
            }
        }
        return sql;
    }

    /** One privilege of one role (PUBLIC when the catalog's grantee is 0); never to the role creating the views. */
    private record Grant(String privilege, Object grantee, boolean grantable) {
        static Grant read(ResultSet rs) throws SQLException {
            String role = rs.getString("grantee");
            return new Grant(rs.getString("privilege_type"), role == null ? Keyword.of("PUBLIC") : Identifier.of(role),
                    rs.getBoolean("is_grantable"));
        }

        Keyword option() {
            return Keyword.of(grantable ? " WITH GRANT OPTION" : "");
        }
    }

    private record ColumnGrant(String column, Grant grant) {
    }

    private static final String GRANTEE = "CASE WHEN a.grantee = 0 THEN NULL ELSE (SELECT rolname FROM pg_roles WHERE oid = a.grantee) END"
            + " AS grantee, a.privilege_type, a.is_grantable";
    private static final String NOT_MINE = "a.grantee IS DISTINCT FROM (SELECT oid FROM pg_roles WHERE rolname = current_user)";

    private static List<Grant> schemaUsage(Connection connection, Identifier schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + GRANTEE
                + " FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = ? AND a.privilege_type = 'USAGE' AND " + NOT_MINE
                + " ORDER BY a.grantee")) {
            statement.setString(1, schema.name());
            List<Grant> grants = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    grants.add(Grant.read(rs));
                }
            }
            return grants;
        }
    }

    private static List<Grant> tableGrants(Connection connection, QualifiedName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + GRANTEE
                + " FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = to_regclass(?) AND " + NOT_MINE
                + " ORDER BY a.grantee, a.privilege_type")) {
            statement.setString(1, SQL.quote(table));
            List<Grant> grants = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Grant grant = Grant.read(rs);
                    if (TABLE_PRIVILEGES.contains(grant.privilege())) {
                        grants.add(grant);
                    }
                }
            }
            return grants;
        }
    }

    private static List<ColumnGrant> columnGrants(Connection connection, QualifiedName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT t.attname, " + GRANTEE
                + " FROM pg_attribute t, aclexplode(t.attacl) a WHERE t.attrelid = to_regclass(?) AND t.attnum > 0"
                + " AND NOT t.attisdropped AND " + NOT_MINE + " ORDER BY t.attnum, a.grantee, a.privilege_type")) {
            statement.setString(1, SQL.quote(table));
            List<ColumnGrant> grants = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Grant grant = Grant.read(rs);
                    if (COLUMN_PRIVILEGES.contains(grant.privilege())) {
                        grants.add(new ColumnGrant(rs.getString("attname"), grant));
                    }
                }
            }
            return grants;
        }
    }

    private static boolean hasRowSecurity(Connection connection, QualifiedName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass(?)")) {
            statement.setString(1, SQL.quote(table));
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
