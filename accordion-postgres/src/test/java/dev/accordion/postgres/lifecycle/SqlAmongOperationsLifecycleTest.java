package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertFailsWith;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.tableColumns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.postgres.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sql among other operations of one migration (issue 11): each runs in its place at start, rollback runs the downs and
 * undoes the operations in reverse order, and the new version sees both what the operations planned (under their
 * logical names) and what the SQL made (a table, a column).
 */
class SqlAmongOperationsLifecycleTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void users() throws Exception {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_users", """
                operations:
                  - create_table:
                      name: users
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: name, type: text}
                """);
        lifecycle.version("01_users").execute("INSERT INTO users (name) VALUES ('Ada')");
    }

    @Test
    void sqlRunsInOrderWithAddAndRenameColumnAndRollsBackWithItsDown() throws Exception {
        lifecycle.run("02_audit_and_email", """
                operations:
                  - sql:
                      up: CREATE TABLE audit (id serial PRIMARY KEY, note text)
                      down: DROP TABLE audit
                  - add_column:
                      table: users
                      column: {name: email, type: text}
                      up: lower(name) || '@example.com'
                  - rename_column: {table: users, from: name, to: full_name}
                  - sql:
                      up: ALTER TABLE users ADD COLUMN note text
                      down: ALTER TABLE users DROP COLUMN note
                """,
                (v1, v2) -> {
                    assertThat(v1.columns("users")).containsExactly("id", "name");
                    assertThat(v1.columns("audit")).isEmpty();
                    assertThat(v2.columns("users")).containsExactly("id", "full_name", "email", "note");
                    assertThat(v2.columns("audit")).containsExactly("id", "note");
                    v1.execute("INSERT INTO users (id, name) VALUES (10, 'Bob')");
                    v2.execute("INSERT INTO users (id, full_name, email, note) VALUES (11, 'Cy', 'cy@x.org', 'from v2')");
                    assertFailsWith("23514", () -> v2.execute("INSERT INTO users (id, full_name) VALUES (12, 'no email')"));
                    v2.execute("INSERT INTO audit (note) VALUES ('seen')");
                    assertThat(lines(v2.rows("SELECT id, full_name, email, note FROM users ORDER BY id"))).containsExactly(
                            "1|Ada|ada@example.com|null", "10|Bob|bob@example.com|null", "11|Cy|cy@x.org|from v2");
                    assertThat(lines(v1.rows("SELECT id, name FROM users ORDER BY id"))).containsExactly("1|Ada", "10|Bob", "11|Cy");
                    v1.execute("DELETE FROM users WHERE id >= 10");
                },
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name");
                    assertThat(db.queryString("SELECT to_regclass('public.audit')")).as("down of the first sql").isNull();
                    assertThat(lines(v1.rows("SELECT id, name FROM users"))).containsExactly("1|Ada");
                },
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "full_name", "email", "note");
                    assertThat(lines(v2.rows("SELECT id, full_name, email, note FROM users"))).containsExactly("1|Ada|ada@example.com|null");
                    assertThat(lines(v2.rows("SELECT note FROM audit"))).containsExactly("seen");
                    v2.execute("INSERT INTO users (id, full_name, email) VALUES (13, 'Di', 'di@x.org')");
                    assertThat(lines(v2.rows("SELECT id, full_name FROM users ORDER BY id"))).containsExactly("1|Ada", "13|Di");
                });
    }

    @Test
    void sqlOnCompleteAmongOperationsRunsOnceNamesAreSettled() throws Exception {
        lifecycle.run("02_email_index", """
                operations:
                  - add_column:
                      table: users
                      column: {name: email, type: text, nullable: true}
                      up: lower(name)
                  - rename_column: {table: users, from: name, to: full_name}
                  - sql:
                      up: CREATE INDEX users_full_name_idx ON users (full_name)
                      onComplete: true
                """,
                (v1, v2) -> {
                    assertThat(v2.columns("users")).containsExactly("id", "full_name", "email");
                    assertThat(db.queryString("SELECT to_regclass('public.users_full_name_idx')")).isNull();
                    v1.execute("INSERT INTO users (id, name) VALUES (10, 'Bob')");
                    assertThat(lines(v2.rows("SELECT id, full_name, email FROM users ORDER BY id")))
                            .containsExactly("1|Ada|ada", "10|Bob|bob");
                    v1.execute("DELETE FROM users WHERE id >= 10");
                },
                (v1, v2) -> assertThat(tableColumns(db, "users")).containsExactly("id", "name"),
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT pg_get_indexdef('public.users_full_name_idx'::regclass)"))
                            .isEqualTo("CREATE INDEX users_full_name_idx ON public.users USING btree (full_name)");
                    assertThat(v2.columns("users")).containsExactly("id", "full_name", "email");
                    assertThat(lines(v2.rows("SELECT id, full_name, email FROM users"))).containsExactly("1|Ada|ada");
                });
    }
}
