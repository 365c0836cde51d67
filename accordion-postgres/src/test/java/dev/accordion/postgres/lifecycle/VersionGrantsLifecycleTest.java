package dev.accordion.postgres.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accordion.postgres.testing.TestDatabase;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application role that is not the owner uses the new version schema with the privileges it has on the base schema
 * and tables, no more (issue 11). PostgreSQL 15+: the views are security_invoker there, so the table's privileges and
 * row-level security still apply to the role through the view.
 */
class VersionGrantsLifecycleTest {

    private static final String MIGRATION = """
            operations:
              - add_column: {table: accounts, up: "'none'", column: {name: note, type: text, nullable: true}}
              - rename_column: {table: accounts, from: amount, to: total}
            """;

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private final String suffix = HexFormat.of().toHexDigits(new SecureRandom().nextInt());
    /** SELECT, INSERT on the table. */
    private final String app = "acc_app_" + suffix;
    /** SELECT on the table, UPDATE of one column only. */
    private final String clerk = "acc_clerk_" + suffix;
    /** USAGE on the schema and nothing on the table. */
    private final String stranger = "acc_stranger_" + suffix;
    private Lifecycle lifecycle;
    /** PostgreSQL 15+: a view checks privileges and row-level security as its client, not as its owner. */
    private boolean securityInvokerViews;

    @BeforeEach
    void accountsAndRoles() throws Exception {
        securityInvokerViews = Integer.parseInt(db.queryString("SHOW server_version_num")) >= 150000;
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_accounts", """
                operations:
                  - create_table:
                      name: accounts
                      columns:
                        - {name: id, type: bigint, pk: true}
                        - {name: holder, type: text}
                        - {name: amount, type: integer}
                """);
        db.execute("CREATE ROLE " + app + " NOLOGIN", "CREATE ROLE " + clerk + " NOLOGIN", "CREATE ROLE " + stranger + " NOLOGIN",
                // Not through PUBLIC, so the version schema's USAGE must come from the roles' own grants.
                "REVOKE USAGE ON SCHEMA public FROM PUBLIC",
                "GRANT USAGE ON SCHEMA public TO " + app + ", " + clerk + ", " + stranger,
                "GRANT SELECT, INSERT ON public.accounts TO " + app,
                "GRANT SELECT, UPDATE (amount) ON public.accounts TO " + clerk,
                "INSERT INTO public.accounts VALUES (1, '" + app + "', 10), (2, 'someone else', 20)");
    }

    @AfterEach
    void dropRoles() {
        for (String role : List.of(app, clerk, stranger)) {
            db.execute("REASSIGN OWNED BY " + role + " TO CURRENT_USER", "DROP OWNED BY " + role, "DROP ROLE " + role);
        }
    }

    @Test
    void anAppRoleReadsAndWritesThroughTheNewVersionWithTheTablesPrivileges() throws Exception {
        Lifecycle.Checks throughTheNewVersion = (v1, v2) -> {
            assertThat(query(app, v2, "SELECT id || ' ' || holder || ' ' || total FROM accounts ORDER BY id"))
                    .containsExactly("1 " + app + " 10", "2 someone else 20");
            execute(app, v2, "INSERT INTO accounts (id, holder, total, note) VALUES (3, 'new', 30, 'written by the app')");
            assertThat(query(app, v2, "SELECT note || ' ' || total FROM accounts WHERE id = 3")).containsExactly("written by the app 30");
            assertThatThrownBy(() -> execute(app, v2, "UPDATE accounts SET note = 'x' WHERE id = 3"))
                    .as("no UPDATE on the table, none on the view").hasMessageContaining("permission denied");
            db.execute("DELETE FROM public.accounts WHERE id = 3");

            execute(clerk, v2, "UPDATE accounts SET total = total + 1 WHERE id = 1");
            assertThat(query(clerk, v2, "SELECT total FROM accounts WHERE id = 1"))
                    .as("a column privilege follows the column to its new name").containsExactly("11");
            v2.execute("UPDATE accounts SET total = 10 WHERE id = 1");
            assertThatThrownBy(() -> execute(clerk, v2, "UPDATE accounts SET holder = 'x' WHERE id = 1"))
                    .hasMessageContaining("permission denied");
        };
        lifecycle.run("02_note", MIGRATION, throughTheNewVersion, Lifecycle.NOTHING, throughTheNewVersion);
    }

    @Test
    void aRoleWithoutSelectOnTheTableCannotReadThroughTheView() throws Exception {
        lifecycle.run("02_note", MIGRATION, (v1, v2) -> {
            assertThatThrownBy(() -> query(stranger, v2, "SELECT count(*) FROM accounts"))
                    .hasMessageContaining("permission denied for view accounts");
            db.execute("GRANT SELECT ON \"" + v2.schema() + "\".accounts TO " + stranger);
            if (securityInvokerViews) {
                assertThatThrownBy(() -> query(stranger, v2, "SELECT count(*) FROM accounts"))
                        .as("granted the view by hand, the table's privileges still apply").hasMessageContaining("permission denied for table accounts");
            } else {
                // The documented limit of PostgreSQL 13 and 14: a view reads its table as its owner.
                assertThat(query(stranger, v2, "SELECT count(*) FROM accounts")).as("granted the view by hand, before 15").containsExactly("2");
            }
        }, Lifecycle.NOTHING, Lifecycle.NOTHING);
    }

    @Test
    void rowLevelSecurityAppliesThroughTheView() throws Exception {
        db.execute("ALTER TABLE public.accounts ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY own_rows ON public.accounts USING (holder = current_user) WITH CHECK (holder = current_user)");
        Lifecycle.Checks onlyItsRows = securityInvokerViews ? (v1, v2) -> {
            assertThat(query(app, v2, "SELECT id || ' ' || total FROM accounts ORDER BY id")).containsExactly("1 10");
            assertThatThrownBy(() -> execute(app, v2, "INSERT INTO accounts (id, holder, total) VALUES (4, 'someone else', 40)"))
                    .hasMessageContaining("row-level security");
        } : (v1, v2) -> {
            // Before 15 a view would read the table past its policies as its owner: start grants nothing on it.
            assertThatThrownBy(() -> query(app, v2, "SELECT count(*) FROM accounts")).hasMessageContaining("permission denied for view accounts");
        };
        lifecycle.run("02_note", MIGRATION, onlyItsRows, Lifecycle.NOTHING, onlyItsRows);
    }

    @Test
    void viewsRebuiltAfterSqlOnCompleteKeepTheGrants() throws Exception {
        Lifecycle.Checks appReads = (v1, v2) -> {
            assertThat(query(app, v2, "SELECT id || ' ' || holder FROM accounts ORDER BY id")).containsExactly("1 " + app, "2 someone else");
            assertThatThrownBy(() -> query(stranger, v2, "SELECT count(*) FROM accounts")).hasMessageContaining("permission denied");
        };
        lifecycle.run("02_cleanup", """
                operations:
                  - sql:
                      up: ALTER TABLE accounts ALTER COLUMN amount TYPE bigint
                      onComplete: true
                """, appReads, Lifecycle.NOTHING, appReads);
    }

    private List<String> query(String role, VersionClient version, String sql) throws SQLException {
        try (Connection connection = as(role, version); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    private void execute(String role, VersionClient version, String sql) throws SQLException {
        try (Connection connection = as(role, version); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A session whose privileges are the role's (SET ROLE: checks and current_user are the role's). */
    private Connection as(String role, VersionClient version) throws SQLException {
        Connection connection = db.connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET ROLE " + role);
            statement.execute("SET search_path TO \"" + version.schema() + "\"");
        }
        return connection;
    }
}
