package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertFailsWith;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.tableColumns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.migration.MigrationReader;
import dev.accordion.postgres.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * create_constraint of each type on a table both versions use: the new version sees the constrained columns through
 * shadow columns that hold the constraint, the old version keeps writing what it always wrote and up makes that meet
 * the constraint; complete leaves the constraint, validated, under its name on the original columns.
 */
class CreateConstraintLifecycleTest {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private Lifecycle lifecycle;

    @BeforeEach
    void usersAndPosts() {
        lifecycle = new Lifecycle(db);
        lifecycle.given("01_scene", """
                operations:
                  - create_table:
                      name: users
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: name, type: text}
                        - {name: last_name, type: text, nullable: true}
                  - create_table:
                      name: posts
                      columns:
                        - {name: id, type: serial, pk: true}
                        - {name: title, type: text}
                        - {name: user_id, type: integer, nullable: true}
                  - create_table:
                      name: tags
                      columns:
                        - {name: code, type: text, unique: true}
                        - {name: rank, type: integer, nullable: true}
                """);
        db.execute("INSERT INTO public.users (name, last_name) VALUES ('Ada', 'Lovelace'), ('Alan', 'Turing'), ('Ada', 'Lovelace')");
        db.execute("INSERT INTO public.posts (title, user_id) VALUES ('first', 1), ('orphan', 999)");
        db.execute("INSERT INTO public.tags (code, rank) VALUES ('a', 1), ('bb', NULL), ('ccc', 3)");
    }

    @Test
    void checkHoldsForTheNewVersionWhileUpFixesTheOldVersionsWrites() throws Exception {
        lifecycle.run("02_short_names", """
                operations:
                  - create_constraint:
                      type: check
                      table: users
                      name: name_length
                      columns: [name]
                      check: length(name) <= 3
                      up:
                        name: CASE WHEN length(name) <= 3 THEN name ELSE 'xxx' END
                """, (v1, v2) -> {
                    assertThat(lines(v1.rows("SELECT id, name FROM users ORDER BY id"))).containsExactly("1|Ada", "2|Alan", "3|Ada");
                    assertThat(lines(v2.rows("SELECT id, name FROM users ORDER BY id"))).containsExactly("1|Ada", "2|xxx", "3|Ada");

                    v1.execute("INSERT INTO users (id, name) VALUES (10, 'Grace')");
                    assertThat(lines(v2.rows("SELECT name FROM users WHERE id = 10"))).containsExactly("xxx");
                    assertThat(lines(v1.rows("SELECT name FROM users WHERE id = 10"))).containsExactly("Grace");
                    assertFailsWith("23514", () -> v2.execute("INSERT INTO users (id, name) VALUES (11, 'Edsger')"));
                    v2.execute("INSERT INTO users (id, name) VALUES (11, 'Ed')");
                    assertThat(lines(v1.rows("SELECT name FROM users WHERE id = 11"))).containsExactly("Ed");
                    v2.execute("UPDATE users SET name = 'Al' WHERE id = 2");
                    assertThat(lines(v1.rows("SELECT name FROM users WHERE id = 2"))).containsExactly("Al");
                    v1.execute("UPDATE users SET name = 'Alan' WHERE id = 2");
                    assertThat(lines(v2.rows("SELECT name FROM users WHERE id = 2"))).containsExactly("xxx");
                    v1.execute("DELETE FROM users WHERE id >= 10");
                }, (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name", "last_name");
                    assertThat(constraintDefs("users")).containsExactly("users_pkey PRIMARY KEY (id)");
                    v1.execute("INSERT INTO users (id, name) VALUES (12, 'Barbara')");
                    v1.execute("DELETE FROM users WHERE id = 12");
                }, (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "last_name", "name");
                    assertThat(constraintDefs("users")).containsExactly("name_length CHECK ((length(name) <= 3)) validated",
                            "users_pkey PRIMARY KEY (id)");
                    assertThat(lines(v2.rows("SELECT id, name FROM users ORDER BY id"))).containsExactly("1|Ada", "2|xxx", "3|Ada");
                    assertFailsWith("23514", () -> v2.execute("INSERT INTO users (name) VALUES ('Edsger')"));
                });
    }

    @Test
    void multiColumnUniqueTakesUpsDistinctValuesFromTheOldVersion() throws Exception {
        lifecycle.run("02_unique_names", """
                operations:
                  - create_constraint:
                      type: unique
                      table: users
                      name: users_full_name_key
                      columns: [name, last_name]
                      up:
                        last_name: last_name || '#' || id
                      down:
                        name: name
                """, (v1, v2) -> {
                    assertThat(lines(v2.rows("SELECT id, name, last_name FROM users ORDER BY id")))
                            .containsExactly("1|Ada|Lovelace#1", "2|Alan|Turing#2", "3|Ada|Lovelace#3");
                    v1.execute("INSERT INTO users (id, name, last_name) VALUES (10, 'Ada', 'Lovelace')");
                    assertThat(lines(v2.rows("SELECT last_name FROM users WHERE id = 10"))).containsExactly("Lovelace#10");
                    assertThat(lines(v1.rows("SELECT last_name FROM users WHERE id = 10"))).containsExactly("Lovelace");
                    assertFailsWith("23505", () -> v2.execute("INSERT INTO users (id, name, last_name) VALUES (11, 'Ada', 'Lovelace#1')"));
                    v2.execute("INSERT INTO users (id, name, last_name) VALUES (11, 'Ada', 'King')");
                    assertThat(lines(v1.rows("SELECT name, last_name FROM users WHERE id = 11"))).containsExactly("Ada|King");
                    v1.execute("DELETE FROM users WHERE id >= 10");
                }, (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name", "last_name");
                    assertThat(indexNames("users")).containsExactly("users_pkey");
                }, (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name", "last_name");
                    assertThat(constraintDefs("users")).containsExactly("users_full_name_key UNIQUE (name, last_name)",
                            "users_pkey PRIMARY KEY (id)");
                    assertFailsWith("23505", () -> v2.execute("INSERT INTO users (name, last_name) VALUES ('Ada', 'Lovelace#1')"));
                });
    }

    @Test
    void foreignKeyRefusesNewOrphansWhileUpClearsTheOldVersions() throws Exception {
        lifecycle.run("02_posts_users", """
                operations:
                  - create_constraint:
                      type: foreign_key
                      table: posts
                      name: fk_posts_user
                      columns: [user_id]
                      references: {table: users, columns: [id], on_delete: CASCADE}
                      up:
                        user_id: SELECT CASE WHEN EXISTS (SELECT 1 FROM users WHERE users.id = user_id) THEN user_id ELSE NULL END
                """, (v1, v2) -> {
                    assertThat(lines(v2.rows("SELECT id, user_id FROM posts ORDER BY id"))).containsExactly("1|1", "2|null");
                    assertThat(lines(v1.rows("SELECT id, user_id FROM posts ORDER BY id"))).containsExactly("1|1", "2|999");
                    v1.execute("INSERT INTO posts (id, title, user_id) VALUES (10, 'from v1', 998)");
                    assertThat(lines(v2.rows("SELECT user_id FROM posts WHERE id = 10"))).containsExactly("null");
                    assertFailsWith("23503", () -> v2.execute("INSERT INTO posts (title, user_id) VALUES ('from v2', 997)"));
                    v2.execute("INSERT INTO posts (id, title, user_id) VALUES (11, 'from v2', 2)");
                    assertThat(lines(v1.rows("SELECT user_id FROM posts WHERE id = 11"))).containsExactly("2");
                    v1.execute("DELETE FROM posts WHERE id >= 10");
                }, (v1, v2) -> assertThat(constraintDefs("posts")).containsExactly("posts_pkey PRIMARY KEY (id)"),
                (v1, v2) -> {
                    assertThat(tableColumns(db, "posts")).containsExactly("id", "title", "user_id");
                    assertThat(constraintDefs("posts")).containsExactly(
                            "fk_posts_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE validated",
                            "posts_pkey PRIMARY KEY (id)");
                    assertThat(lines(v2.rows("SELECT id, user_id FROM posts ORDER BY id"))).containsExactly("1|1", "2|null");
                    v2.execute("DELETE FROM users WHERE id = 1");
                    assertThat(lines(v2.rows("SELECT id FROM posts ORDER BY id"))).containsExactly("2");
                });
    }

    @Test
    void primaryKeyMakesItsShadowsNotNullAndTakesTheUniqueIndexAtComplete() throws Exception {
        lifecycle.run("02_tags_pkey", """
                operations:
                  - create_constraint:
                      type: primary_key
                      table: tags
                      name: tags_pkey
                      columns: [rank]
                      up:
                        rank: coalesce(rank, -length(code))
                """, (v1, v2) -> {
                    assertThat(lines(v2.rows("SELECT code, rank FROM tags ORDER BY code"))).containsExactly("a|1", "bb|-2", "ccc|3");
                    v1.execute("INSERT INTO tags (code) VALUES ('dddd')");
                    assertThat(lines(v2.rows("SELECT rank FROM tags WHERE code = 'dddd'"))).containsExactly("-4");
                    assertThat(lines(v1.rows("SELECT rank FROM tags WHERE code = 'dddd'"))).containsExactly("null");
                    assertFailsWith("23514", () -> v2.execute("INSERT INTO tags (code, rank) VALUES ('e', NULL)"));
                    assertFailsWith("23505", () -> v2.execute("INSERT INTO tags (code, rank) VALUES ('e', 1)"));
                    v2.execute("INSERT INTO tags (code, rank) VALUES ('e', 5)");
                    assertThat(lines(v1.rows("SELECT rank FROM tags WHERE code = 'e'"))).containsExactly("5");
                    v1.execute("DELETE FROM tags WHERE code IN ('dddd', 'e')");
                }, (v1, v2) -> assertThat(constraintDefs("tags")).containsExactly("tags_code_key UNIQUE (code)"),
                (v1, v2) -> {
                    assertThat(constraintDefs("tags")).containsExactly("tags_code_key UNIQUE (code)", "tags_pkey PRIMARY KEY (rank)");
                    assertThat(db.queryString("SELECT attnotnull::text FROM pg_attribute WHERE attrelid = 'public.tags'::regclass "
                            + "AND attname = 'rank'")).isEqualTo("true");
                    assertThat(lines(v2.rows("SELECT code, rank FROM tags ORDER BY code"))).containsExactly("a|1", "bb|-2", "ccc|3");
                    assertThat(db.queryStrings("SELECT attname FROM pg_attribute WHERE attrelid = 'public.tags_pkey'::regclass"))
                            .as("the index's own column, renamed with the table's").containsExactly("rank");
                });
    }

    @Test
    void onATableOfTheSameMigrationTheConstraintIsAddedAtOnce() throws Exception {
        lifecycle.run("02_tasks", """
                operations:
                  - create_table:
                      name: tasks
                      columns:
                        - {name: id, type: serial}
                        - {name: title, type: varchar(255)}
                  - create_constraint:
                      name: tasks_pkey
                      table: tasks
                      columns: [id]
                      type: primary_key
                      up: {id: id}
                      down: {id: id}
                """, (v1, v2) -> {
                    assertThat(v1.columns("tasks")).isEmpty();
                    v2.execute("INSERT INTO tasks (title) VALUES ('write tests')");
                    assertThat(lines(v2.rows("SELECT id, title FROM tasks"))).containsExactly("1|write tests");
                    assertFailsWith("23505", () -> v2.execute("INSERT INTO tasks (id, title) VALUES (1, 'again')"));
                    v2.execute("DELETE FROM tasks");
                }, (v1, v2) -> assertThat(db.queryStrings("SELECT relname FROM pg_class WHERE relname = 'tasks'")).isEmpty(),
                (v1, v2) -> {
                    assertThat(tableColumns(db, "tasks")).containsExactly("id", "title");
                    assertThat(constraintDefs("tasks")).containsExactly("tasks_pkey PRIMARY KEY (id)");
                    v2.execute("INSERT INTO tasks (title) VALUES ('ship')");
                    assertThat(lines(v2.rows("SELECT title FROM tasks"))).containsExactly("ship");
                });
    }

    /** Each constraint of a table of {@code public} as name, definition and "validated" when it is, sorted by name. */
    private List<String> constraintDefs(String table) {
        return db.queryStrings("SELECT conname || ' ' || pg_get_constraintdef(oid) || CASE WHEN contype IN ('c', 'f') AND convalidated "
                + "THEN ' validated' ELSE '' END FROM pg_constraint WHERE conrelid = 'public." + table + "'::regclass ORDER BY conname");
    }

    private List<String> indexNames(String table) {
        return db.queryStrings("SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "WHERE i.indrelid = 'public." + table + "'::regclass ORDER BY 1");
    }
}
