package dev.accordion.postgres.lifecycle;

import static dev.accordion.postgres.lifecycle.ColumnOpsSupport.assertFailsWith;
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
 * add_column of a serial type (issue 11): a serial has a default, its sequence, so it is no NOT NULL column without one.
 * The rows already there get sequence values, the old version's inserts get the default, the new version sees them
 * all, and the table is not rewritten.
 */
class AddSerialColumnLifecycleTest {

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
                        - {name: id, type: integer, pk: true}
                        - {name: name, type: text}
                """);
        lifecycle.version("01_users").execute("INSERT INTO users (id, name) VALUES (1, 'Ada'), (2, 'Bob')");
    }

    @Test
    void existingRowsAndBothVersionsInsertsGetSequenceValues() throws Exception {
        String filenode = db.queryString("SELECT pg_relation_filenode('public.users')");
        lifecycle.run("02_ticket", """
                operations:
                  - add_column:
                      table: users
                      column: {name: ticket, type: bigserial}
                """,
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT pg_relation_filenode('public.users')")).as("no rewrite").isEqualTo(filenode);
                    assertThat(v1.columns("users")).containsExactly("id", "name");
                    assertThat(v2.columns("users")).containsExactly("id", "name", "ticket");
                    assertThat(lines(v2.rows("SELECT id, ticket, pg_typeof(ticket) AS t FROM users ORDER BY id")))
                            .containsExactly("1|1|bigint", "2|2|bigint");
                    v1.execute("INSERT INTO users (id, name) VALUES (10, 'from v1')");
                    v2.execute("INSERT INTO users (id, name) VALUES (11, 'from v2')");
                    assertFailsWith("23514", () -> v2.execute("INSERT INTO users (id, name, ticket) VALUES (12, 'null ticket', NULL)"));
                    assertThat(lines(v2.rows("SELECT id, ticket FROM users WHERE id >= 10 ORDER BY id"))).containsExactly("10|3", "11|4");
                    v1.execute("DELETE FROM users WHERE id >= 10");
                },
                (v1, v2) -> {
                    assertThat(tableColumns(db, "users")).containsExactly("id", "name");
                    assertThat(db.queryString("SELECT to_regclass('public.users_ticket_seq')")).as("the sequence").isNull();
                    assertThat(lines(v1.rows("SELECT id, name FROM users ORDER BY id"))).containsExactly("1|Ada", "2|Bob");
                },
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT format_type(atttypid, atttypmod) || ' notnull=' || attnotnull || ' default='"
                            + " || pg_get_expr(adbin, adrelid) FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid "
                            + "AND d.adnum = a.attnum WHERE a.attrelid = 'public.users'::regclass AND attname = 'ticket'"))
                            .isEqualTo("bigint notnull=true default=nextval('users_ticket_seq'::regclass)");
                    assertThat(db.queryString("SELECT pg_get_serial_sequence('public.users', 'ticket')")).isEqualTo("public.users_ticket_seq");
                    v2.execute("INSERT INTO users (id, name) VALUES (12, 'after complete')");
                    assertThat(lines(v2.rows("SELECT id, ticket FROM users ORDER BY id"))).containsExactly("1|1", "2|2", "12|5");
                });
    }

    @Test
    void smallserialOnATableTheMigrationCreatesIsAddedAsWritten() throws Exception {
        lifecycle.run("02_teams", """
                operations:
                  - create_table:
                      name: teams
                      columns:
                        - {name: name, type: text}
                  - add_column:
                      table: teams
                      column: {name: number, type: smallserial}
                """,
                (v1, v2) -> {
                    v2.execute("INSERT INTO teams (name) VALUES ('core'), ('ops')");
                    assertThat(lines(v2.rows("SELECT name, number, pg_typeof(number) AS t FROM teams ORDER BY number")))
                            .containsExactly("core|1|smallint", "ops|2|smallint");
                    v2.execute("DELETE FROM teams");
                },
                (v1, v2) -> assertThat(db.queryString("SELECT to_regclass('public.teams_number_seq')")).isNull(),
                (v1, v2) -> {
                    assertThat(db.queryString("SELECT pg_get_serial_sequence('public.teams', 'number')")).isEqualTo("public.teams_number_seq");
                    assertThat(db.queryString("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.teams'::regclass "
                            + "AND attname = 'number'")).isEqualTo("t");
                });
    }

    @Test
    void serialWithUpIsRefusedNamingTheColumn() {
        assertRefused(db, lifecycle, "02_ticket", """
                operations:
                  - add_column:
                      table: users
                      column: {name: ticket, type: serial}
                      up: id * 10
                """, ErrorCode.INVALID_MIGRATION, "column \"ticket\" is a serial", "leave out up");
    }
}
