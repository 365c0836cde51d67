package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertFailsWith;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.tableColumns;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.accordion.postgres.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several operations on one column in one migration (issue 11). Each runs the whole lifecycle: both versions read and
 * write after start, rollback leaves the table as it was with its rows, and complete runs to its end (it is all or
 * nothing: a complete that stopped half-way could neither finish nor be rolled back) and leaves the final shape.
 */
class ColumnCombinationLifecycleTest {

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
                        - {name: nick, type: text, nullable: true}
                """);
        lifecycle.version("01_users").execute("INSERT INTO users (name, nick) VALUES ('Ada', 'countess')");
    }

    @Test
    void columnAddedWithUpAndDroppedAgainIsSeenByNeitherVersionAndGoesAtComplete() throws Exception {
        lifecycle.run("02_add_drop", """
                operations:
                  - add_column:
                      table: users
                      up: lower(name)
                      column: {name: email, type: text, nullable: true}
                  - drop_column: {table: users, column: email}
                """,
                (v1, v2) -> {
                    assertThat(v1.columns("users")).containsExactly("id", "name", "nick");
                    assertThat(v2.columns("users")).containsExactly("id", "name", "nick");
                    v1.execute("INSERT INTO users (name) VALUES ('From V1')");
                    v2.execute("INSERT INTO users (name) VALUES ('From V2')");
                    v2.execute("UPDATE users SET nick = 'v2 nick' WHERE name = 'From V1'");
                    assertThat(db.queryStrings("SELECT name || '|' || coalesce(email, 'null') FROM public.users ORDER BY id"))
                            .as("the old version's writes fill it through up").containsExactly("Ada|ada", "From V1|from v1", "From V2|null");
                    assertThat(lines(v1.rows("SELECT name, nick FROM users ORDER BY id")))
                            .containsExactly("Ada|countess", "From V1|v2 nick", "From V2|null");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> assertThat(tableColumns(db, "users")).containsExactly("id", "name", "nick"),
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name", "nick");
                    v2.execute("INSERT INTO users (name) VALUES ('after')");
                    assertThat(lines(v2.rows("SELECT name, nick FROM users ORDER BY id"))).containsExactly("Ada|countess", "after|null");
                });
    }

    @Test
    void columnAddedFromAColumnTheSameMigrationDropsKeepsBeingFilledUntilCompleteDropsBoth() throws Exception {
        lifecycle.run("02_label", """
                operations:
                  - add_column:
                      table: users
                      up: coalesce(nick, name)
                      column: {name: label, type: text, nullable: true}
                  - drop_column: {table: users, column: nick}
                """,
                (v1, v2) -> {
                    assertThat(v2.columns("users")).containsExactly("id", "name", "label");
                    v1.execute("INSERT INTO users (name, nick) VALUES ('Grace', 'amazing')");
                    v1.execute("UPDATE users SET nick = 'lady' WHERE name = 'Ada'");
                    v2.execute("INSERT INTO users (name, label) VALUES ('Alan', 'turing')");
                    assertThat(lines(v2.rows("SELECT name, label FROM users ORDER BY id")))
                            .containsExactly("Ada|lady", "Grace|amazing", "Alan|turing");
                    assertThat(lines(v1.rows("SELECT name, nick FROM users ORDER BY id")))
                            .containsExactly("Ada|lady", "Grace|amazing", "Alan|null");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                    v1.execute("UPDATE users SET nick = 'countess'");
                },
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name", "nick");
                    assertThat(lines(v1.rows("SELECT name, nick FROM users"))).containsExactly("Ada|countess");
                },
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name", "label");
                    assertThat(lines(v2.rows("SELECT name, label FROM users"))).containsExactly("Ada|countess");
                });
    }

    @Test
    void columnAddedWithUpAndRenamedSettlesUnderItsNewName() throws Exception {
        lifecycle.run("02_add_rename", """
                operations:
                  - add_column:
                      table: users
                      up: lower(name)
                      column: {name: email, type: text, default: "'none'"}
                  - rename_column: {table: users, from: email, to: mail}
                """,
                (v1, v2) -> {
                    assertThat(v2.columns("users")).containsExactly("id", "name", "nick", "mail");
                    v1.execute("INSERT INTO users (name) VALUES ('From V1')");
                    v2.execute("INSERT INTO users (name) VALUES ('From V2')");
                    v2.execute("INSERT INTO users (name, mail) VALUES ('Set', 'set@example.com')");
                    assertFailsWith("23514", () -> v2.execute("UPDATE users SET mail = NULL"));
                    assertThat(lines(v2.rows("SELECT name, mail FROM users ORDER BY id")))
                            .containsExactly("Ada|ada", "From V1|from v1", "From V2|none", "Set|set@example.com");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> assertThat(tableColumns(db, "users")).containsExactly("id", "name", "nick"),
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name", "nick", "mail");
                    assertThat(db.queryString("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.users'::regclass "
                            + "AND attname = 'mail'")).isEqualTo("t");
                    v2.execute("INSERT INTO users (name) VALUES ('after')");
                    assertThat(lines(v2.rows("SELECT name, mail FROM users ORDER BY id"))).containsExactly("Ada|ada", "after|none");
                });
    }

    @Test
    void columnRenamedThenRetypedKeepsBothVersionsInSync() throws Exception {
        lifecycle.run("02_rename_alter", """
                operations:
                  - rename_column: {table: users, from: nick, to: nickname}
                  - alter_column:
                      table: users
                      column: nickname
                      type: varchar(20)
                      up: left(nickname, 20)
                      down: nickname
                """,
                (v1, v2) -> {
                    assertThat(v2.columns("users")).containsExactly("id", "name", "nickname");
                    v1.execute("INSERT INTO users (name, nick) VALUES ('Grace', 'a nickname longer than twenty')");
                    v2.execute("INSERT INTO users (name, nickname) VALUES ('Alan', 'enigma')");
                    assertThat(lines(v2.rows("SELECT name, nickname FROM users ORDER BY id")))
                            .containsExactly("Ada|countess", "Grace|a nickname longer th", "Alan|enigma");
                    assertThat(lines(v1.rows("SELECT name, nick FROM users ORDER BY id")))
                            .containsExactly("Ada|countess", "Grace|a nickname longer than twenty", "Alan|enigma");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> assertThat(tableColumns(db, "users")).containsExactly("id", "name", "nick"),
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name", "nickname");
                    assertThat(db.queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                            + "WHERE attrelid = 'public.users'::regclass AND attname = 'nickname'")).isEqualTo("character varying(20)");
                    assertThat(lines(v2.rows("SELECT name, nickname FROM users"))).containsExactly("Ada|countess");
                });
    }

    @Test
    void columnAddedWithUpThenRetypedAndMadeNotNullIsAddedInItsFinalShapeWithTheUpsComposed() throws Exception {
        lifecycle.run("02_add_alter", """
                operations:
                  - add_column:
                      table: users
                      up: length(name)
                      column: {name: score, type: integer, nullable: true}
                  - alter_column:
                      table: users
                      column: score
                      type: bigint
                      nullable: false
                      up: score * 10 + length(coalesce(nick, ''))
                      down: score
                """,
                (v1, v2) -> {
                    assertThat(db.queryStrings("SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute "
                            + "WHERE attrelid = 'public.users'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"))
                            .as("no shadow: the column is added as bigint").containsExactly("id integer", "name text", "nick text",
                                    "score bigint", "_acc_synced boolean");
                    v1.execute("INSERT INTO users (name, nick) VALUES ('Grace', 'amazing')");
                    v2.execute("INSERT INTO users (name, score) VALUES ('Alan', 7)");
                    assertFailsWith("23514", () -> v2.execute("INSERT INTO users (name, score) VALUES ('none', NULL)"));
                    assertThat(lines(v2.rows("SELECT name, score FROM users ORDER BY id")))
                            .containsExactly("Ada|38", "Grace|57", "Alan|7");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> assertThat(tableColumns(db, "users")).containsExactly("id", "name", "nick"),
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT format_type(atttypid, atttypmod) || ' notnull=' || attnotnull FROM pg_attribute "
                            + "WHERE attrelid = 'public.users'::regclass AND attname = 'score'")).isEqualTo("bigint notnull=true");
                    assertThat(lines(v2.rows("SELECT name, score FROM users"))).containsExactly("Ada|38");
                });
    }

    @Test
    void columnAddedThenRenamedWithANewDefaultKeepsTheAddedDefaultForRowsTheOldVersionWrites() throws Exception {
        lifecycle.run("02_add_alter_default", """
                operations:
                  - add_column:
                      table: users
                      column: {name: status, type: text, default: "'active'"}
                  - alter_column:
                      table: users
                      column: status
                      name: state
                      default: "'new'"
                      comment: where the user stands
                """,
                (v1, v2) -> {
                    assertThat(v2.columns("users")).containsExactly("id", "name", "nick", "state");
                    v1.execute("INSERT INTO users (name) VALUES ('from v1')");
                    v2.execute("INSERT INTO users (name) VALUES ('from v2')");
                    assertThat(lines(v2.rows("SELECT name, state FROM users ORDER BY id")))
                            .containsExactly("Ada|active", "from v1|active", "from v2|new");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> assertThat(tableColumns(db, "users")).containsExactly("id", "name", "nick"),
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name", "nick", "state");
                    assertThat(db.queryString("SELECT col_description(attrelid, attnum) FROM pg_attribute "
                            + "WHERE attrelid = 'public.users'::regclass AND attname = 'state'")).isEqualTo("where the user stands");
                    v2.execute("INSERT INTO users (name) VALUES ('after')");
                    assertThat(lines(v2.rows("SELECT name, state FROM users ORDER BY id"))).containsExactly("Ada|active", "after|new");
                });
    }

    @Test
    void columnAddedWithoutValueThenMadeNotNullIsRefusedNamingBothOperations() {
        List<String> problems = TableLifecycleSupport.assertRefused(lifecycle, db, "02_bad", """
                operations:
                  - add_column:
                      table: users
                      column: {name: email, type: text, nullable: true}
                  - alter_column: {table: users, column: email, nullable: false}
                """);
        assertThat(problems).containsExactly("operation 2 (alter_column) of \"users\".\"email\", which operation 1 (add_column) adds: "
                + "it makes the column NOT NULL, but neither an up nor a default gives the rows the table has and the old version's "
                + "inserts a value; give add_column an up or a default");
    }

    @Test
    void columnAddedFromAColumnThatSplitTableMovesKeepsBeingFilledUntilCompleteDropsTheMovedColumn() throws Exception {
        lifecycle.run("02_split_label", """
                operations:
                  - add_column:
                      table: users
                      up: coalesce(nick, name)
                      column: {name: label, type: text, nullable: true}
                  - split_table:
                      table: users
                      into: nicks
                      key: user_id
                      columns: {nick: nick}
                """,
                (v1, v2) -> {
                    assertThat(v2.columns("users")).containsExactly("id", "name", "label");
                    v1.execute("INSERT INTO users (name, nick) VALUES ('Grace', 'amazing')");
                    assertThat(lines(v2.rows("SELECT u.name, u.label, n.nick FROM users u LEFT JOIN nicks n ON n.user_id = u.id "
                            + "ORDER BY u.id"))).containsExactly("Ada|countess|countess", "Grace|amazing|amazing");
                    v1.execute("DELETE FROM users WHERE name <> 'Ada'");
                },
                (v1, v2) -> assertThat(tableColumns(db, "users")).containsExactly("id", "name", "nick"),
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name", "label");
                    assertThat(lines(v2.rows("SELECT u.name, u.label, n.nick FROM users u JOIN nicks n ON n.user_id = u.id")))
                            .containsExactly("Ada|countess|countess");
                });
    }
}
