package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertRefused;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.tableColumns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.ErrorCode;
import dev.accordion.postgres.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sql operation: {@code up} at start (or at complete with onComplete), {@code down} at
 * rollback, in reverse order of the operations; the new version's views are read from the catalog
 * after the SQL ran. SqlAmongOperationsLifecycleTest runs sql among other operations.
 */
class RawSqlLifecycleTest {

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
    void upRunsAtStartAndWithoutDownRollbackLeavesItsEffects() throws Exception {
        lifecycle.run("02_audit", """
                operations:
                  - sql:
                      up: CREATE TABLE IF NOT EXISTS audit (id serial PRIMARY KEY, note text)
                """,
                (v1, v2) -> {
                    assertThat(v1.columns("audit")).as("the old version has no audit view").isEmpty();
                    assertThat(v2.columns("audit")).containsExactly("id", "note");
                    assertThat(v2.columns("users")).containsExactly("id", "name");
                    v2.execute("INSERT INTO audit (note) VALUES ('from v2')");
                    v1.execute("INSERT INTO users (name) VALUES ('from v1')");
                    assertThat(lines(v2.rows("SELECT name FROM users ORDER BY id"))).containsExactly("Ada", "from v1");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> {
                    assertThat(tableColumns(db, "audit")).as("nothing undoes up").containsExactly("id", "note");
                    assertThat(db.queryStrings("SELECT note FROM public.audit")).containsExactly("from v2");
                    db.execute("DELETE FROM public.audit");
                },
                (v1, v2) -> {
                    assertThat(lines(v2.rows("SELECT note FROM audit"))).containsExactly("from v2");
                    assertThat(lines(v2.rows("SELECT id, name FROM users"))).containsExactly("1|Ada");
                });
    }

    @Test
    void rollbackRunsEachDownInReverseOrder() throws Exception {
        lifecycle.run("02_teams", """
                operations:
                  - sql:
                      up: CREATE TABLE teams (id serial PRIMARY KEY, name text NOT NULL)
                      down: DROP TABLE teams
                  - sql:
                      up: ALTER TABLE users ADD COLUMN team_id integer REFERENCES teams (id)
                      down: ALTER TABLE users DROP COLUMN team_id
                """,
                (v1, v2) -> {
                    assertThat(v1.columns("users")).containsExactly("id", "name");
                    assertThat(v1.columns("teams")).isEmpty();
                    assertThat(v2.columns("users")).containsExactly("id", "name", "team_id");
                    assertThat(v2.columns("teams")).containsExactly("id", "name");
                    v2.execute("INSERT INTO teams (name) VALUES ('core')");
                    v2.execute("UPDATE users SET team_id = (SELECT id FROM teams) WHERE name = 'Ada'");
                    v1.execute("INSERT INTO users (name) VALUES ('from v1')");
                    assertThat(lines(v2.rows("SELECT u.name, t.name AS team FROM users u LEFT JOIN teams t ON t.id = u.team_id "
                            + "ORDER BY u.id"))).containsExactly("Ada|core", "from v1|null");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT to_regclass('public.teams')")).isNull();
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name");
                    assertThat(lines(v1.rows("SELECT id, name FROM users"))).containsExactly("1|Ada");
                },
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name", "team_id");
                    assertThat(lines(v2.rows("SELECT u.name, t.name AS team FROM users u JOIN teams t ON t.id = u.team_id")))
                            .containsExactly("Ada|core");
                });
    }

    @Test
    void onCompleteRunsAtCompleteNotAtStartAndTheNewVersionThenSeesItsTables() throws Exception {
        lifecycle.run("02_audit", """
                operations:
                  - sql:
                      up: CREATE TABLE audit (id serial PRIMARY KEY, note text)
                      onComplete: true
                """,
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT to_regclass('public.audit')")).isNull();
                    assertThat(v2.columns("users")).containsExactly("id", "name");
                    v2.execute("INSERT INTO users (name) VALUES ('from v2')");
                    assertThat(lines(v1.rows("SELECT name FROM users ORDER BY id"))).containsExactly("Ada", "from v2");
                    v2.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> assertThat(db.queryString("SELECT to_regclass('public.audit')")).isNull(),
                (v1, v2) -> {
                    assertThat(tableColumns(db, "audit")).containsExactly("id", "note");
                    assertThat(v2.columns("audit")).as("refreshed version schema").containsExactly("id", "note");
                    v2.execute("INSERT INTO audit (note) VALUES ('after complete')");
                    assertThat(db.queryStrings("SELECT note FROM public.audit")).containsExactly("after complete");
                });
    }

    @Test
    void downWithOnCompleteIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - sql:
                      up: CREATE TABLE audit (id serial PRIMARY KEY)
                      down: DROP TABLE audit
                      onComplete: true
                """, ErrorCode.INVALID_MIGRATION, "down cannot be combined with onComplete");
    }

    @Test
    void sqlWithoutUpIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - sql:
                      down: DROP TABLE audit
                """, ErrorCode.INVALID_MIGRATION, "the field \"up\" is required");
    }
}
