package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertFailsWith;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.lines;
import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.tableColumns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.accordion.postgres.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * create_table and operations on the new table in one migration (issue 11): the old version has no such table, so
 * nothing it does can fail, and the table is empty when its later operations run. And a table without columns,
 * which PostgreSQL allows.
 */
class NewTableLifecycleTest {

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
        lifecycle.version("01_users").execute("INSERT INTO users (name) VALUES ('Ada'), ('Bob')");
    }

    @Test
    void createTableThenAddNotNullColumnWithUp() throws Exception {
        lifecycle.run("02_teams", """
                operations:
                  - create_table:
                      name: teams
                      columns:
                        - {name: id, type: serial, pk: true}
                  - add_column:
                      table: teams
                      column: {name: name, type: text}
                      up: "'unnamed'"
                """,
                (v1, v2) -> {
                    assertThat(v1.columns("teams")).isEmpty();
                    assertThat(v2.columns("teams")).containsExactly("id", "name");
                    v2.execute("INSERT INTO teams (name) VALUES ('core')");
                    assertFailsWith("23502", () -> v2.execute("INSERT INTO teams (name) VALUES (NULL)"));
                    assertThat(lines(v2.rows("SELECT id, name FROM teams"))).containsExactly("1|core");
                    v2.execute("DELETE FROM teams");
                },
                (v1, v2) -> assertThat(db.queryString("SELECT to_regclass('public.teams')")).isNull(),
                (v1, v2) -> {
                    assertThat(tableColumns(db, "teams")).containsExactly("id", "name");
                    assertThat(db.queryString("SELECT format_type(atttypid, atttypmod) || ' notnull=' || attnotnull FROM pg_attribute "
                            + "WHERE attrelid = 'public.teams'::regclass AND attname = 'name'")).isEqualTo("text notnull=true");
                });
    }

    @Test
    void createTableWithoutColumns() throws Exception {
        lifecycle.run("02_marker", """
                operations:
                  - create_table:
                      name: marker
                """,
                (v1, v2) -> {
                    assertThat(db.queryStrings("SELECT relname || ' ' || relnatts FROM pg_class WHERE oid = to_regclass('public.marker')"))
                            .containsExactly("marker 0");
                    assertThat(lines(v2.rows("SELECT count(*) AS n FROM marker"))).containsExactly("0");
                },
                (v1, v2) -> assertThat(db.queryString("SELECT to_regclass('public.marker')")).isNull(),
                (v1, v2) -> {
                    assertThat(TableLifecycleSupport.tables(db)).isEqualTo(List.of("marker", "users"));
                    assertThat(db.queryString("SELECT to_regclass('" + v2.schema() + ".marker')")).isNotNull();
                });
    }

    @Test
    void emptyTableThenNotNullColumnsWithAndWithoutDefault() throws Exception {
        lifecycle.run("02_tags", """
                operations:
                  - create_table:
                      name: tags
                  - add_column:
                      table: tags
                      column: {name: label, type: text}
                  - add_column:
                      table: tags
                      column: {name: weight, type: integer, default: "1"}
                """,
                (v1, v2) -> {
                    assertThat(v2.columns("tags")).containsExactly("label", "weight");
                    v2.execute("INSERT INTO tags (label) VALUES ('red')");
                    assertFailsWith("23502", () -> v2.execute("INSERT INTO tags (weight) VALUES (2)"));
                    assertThat(lines(v2.rows("SELECT label, weight FROM tags"))).containsExactly("red|1");
                    v2.execute("DELETE FROM tags");
                },
                (v1, v2) -> assertThat(db.queryString("SELECT to_regclass('public.tags')")).isNull(),
                (v1, v2) -> {
                    assertThat(tableColumns(db, "tags")).containsExactly("label", "weight");
                    assertThat(db.queryStrings("SELECT attname || ' ' || attnotnull FROM pg_attribute WHERE attrelid = 'public.tags'::regclass "
                            + "AND attnum > 0 ORDER BY attnum")).containsExactly("label true", "weight true");
                });
    }

}
