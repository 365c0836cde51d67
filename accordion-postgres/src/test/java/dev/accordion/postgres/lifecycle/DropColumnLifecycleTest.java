package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertRefused;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.indexes;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.tableColumns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.ErrorCode;
import dev.accordion.postgres.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * drop_column without {@code down}: the new version stops seeing the column at start while the old
 * version keeps reading and writing it; rollback keeps every value; complete drops the column. A
 * NOT NULL column without default is refused, since the new version could not insert rows.
 */
class DropColumnLifecycleTest {

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
                        - {name: email, type: text, nullable: true}
                        - {name: plan, type: text, default: "'free'"}
                        - {name: code, type: text}
                """);
        db.execute("CREATE INDEX users_email_idx ON public.users (email)");
        lifecycle.version("01_users").execute("INSERT INTO users (name, email, plan, code) VALUES ('Ada', 'ada@example.com', 'pro', 'A1')");
    }

    @Test
    void oldVersionKeepsTheColumnUntilCompleteAndRollbackKeepsItsValues() throws Exception {
        lifecycle.run("02_drop_email", """
                operations:
                  - drop_column: {table: users, column: email}
                """,
                (v1, v2) -> {
                    assertThat(v1.columns("users")).containsExactly("id", "name", "email", "plan", "code");
                    assertThat(v2.columns("users")).containsExactly("id", "name", "plan", "code");
                    v1.execute("INSERT INTO users (name, email, code) VALUES ('from v1', 'v1@example.com', 'B2')");
                    v1.execute("UPDATE users SET email = 'ada@lovelace.org' WHERE name = 'Ada'");
                    v2.execute("INSERT INTO users (name, code) VALUES ('from v2', 'C3')");
                    v2.execute("UPDATE users SET name = 'v1, renamed by v2' WHERE name = 'from v1'");
                    assertThat(lines(v1.rows("SELECT name, email FROM users ORDER BY id"))).containsExactly(
                            "Ada|ada@lovelace.org", "v1, renamed by v2|v1@example.com", "from v2|null");
                    assertThat(lines(v2.rows("SELECT name, plan FROM users ORDER BY id")))
                            .containsExactly("Ada|pro", "v1, renamed by v2|free", "from v2|free");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name", "email", "plan", "code");
                    assertThat(indexes(db, "users")).containsExactly("users_email_idx", "users_pkey");
                    assertThat(lines(v1.rows("SELECT name, email FROM users"))).containsExactly("Ada|ada@lovelace.org");
                },
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name", "plan", "code");
                    assertThat(indexes(db, "users")).as("the column's index went with it").containsExactly("users_pkey");
                    v2.execute("INSERT INTO users (name, code) VALUES ('after complete', 'D4')");
                    assertThat(lines(v2.rows("SELECT name, plan, code FROM users ORDER BY id")))
                            .containsExactly("Ada|pro|A1", "after complete|free|D4");
                });
    }

    @Test
    void notNullColumnWithDefaultIsFilledByTheTableDefaultForNewVersionInserts() throws Exception {
        lifecycle.run("02_drop_plan", """
                operations:
                  - drop_column: {table: users, column: plan}
                """,
                (v1, v2) -> {
                    assertThat(v2.columns("users")).containsExactly("id", "name", "email", "code");
                    v2.execute("INSERT INTO users (name, code) VALUES ('from v2', 'C3')");
                    v1.execute("INSERT INTO users (name, plan, code) VALUES ('from v1', 'team', 'B2')");
                    assertThat(lines(v1.rows("SELECT name, plan FROM users ORDER BY id")))
                            .containsExactly("Ada|pro", "from v2|free", "from v1|team");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> assertThat(lines(v1.rows("SELECT name, plan FROM users"))).containsExactly("Ada|pro"),
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name", "email", "code");
                    assertThat(lines(v2.rows("SELECT name, code FROM users"))).containsExactly("Ada|A1");
                });
    }

    @Test
    void columnThatOnlyAnUnrelatedUserViewSharesATableWithCanBeDropped() throws Exception {
        db.execute("CREATE VIEW public.user_names AS SELECT id, name FROM public.users");
        lifecycle.run("02_drop_email", """
                operations:
                  - drop_column: {table: users, column: email}
                """,
                (v1, v2) -> assertThat(v2.columns("users")).doesNotContain("email"),
                (v1, v2) -> assertThat(tableColumns(db, "users")).contains("email"),
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).doesNotContain("email");
                    assertThat(db.queryStrings("SELECT name FROM public.user_names")).containsExactly("Ada");
                });
    }

    @Test
    void notNullColumnWithoutDefaultIsRefusedBecauseTheNewVersionCouldNotInsert() {
        assertRefused(db, lifecycle, "02_drop_code", """
                operations:
                  - drop_column: {table: users, column: code}
                """, ErrorCode.INVALID_MIGRATION, "column \"code\" is NOT NULL without a default",
                "give it a default first, or make it nullable");
    }

    @Test
    void unknownColumnIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - drop_column: {table: users, column: phone}
                """, ErrorCode.INVALID_MIGRATION, "column \"phone\" does not exist in table \"users\"");
    }

    @Test
    void primaryKeyColumnIsRefused() {
        assertRefused(db, lifecycle, "02_bad", """
                operations:
                  - drop_column: {table: users, column: id}
                """, ErrorCode.INVALID_MIGRATION, "column \"id\" is part of primary key \"users_pkey\"");
    }

    @Test
    void columnUsedByAUserViewIsRefused() {
        db.execute("CREATE VIEW public.user_emails AS SELECT name, email FROM public.users");
        assertRefused(db, lifecycle, "02_drop_email", """
                operations:
                  - drop_column: {table: users, column: email}
                """, ErrorCode.INVALID_MIGRATION, "view public.user_emails uses column \"email\"");
        assertThat(db.queryStrings("SELECT email FROM public.user_emails")).containsExactly("ada@example.com");
    }
}
